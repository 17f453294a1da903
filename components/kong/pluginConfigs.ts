// The configs of the Kong plugins kong-cognito drives, typed in Kong's own field names so each
// interface can be held against the plugin's schema (openid-connect: Kong Enterprise; proxy-cache:
// kong/plugins/proxy-cache/schema.lua), and the pure builders that fill them.
import { cacheVaryHeaders, ProxyCacheSettings } from "./rules";

/** The openid-connect fields kong-cognito sets (Kong Enterprise, openid-connect plugin schema). */
export interface OpenIdConnectConfig {
    /** Discovery URL or issuer. */
    readonly issuer: string;
    readonly client_id: string[];
    /** Holds a secret: keep the whole config inside a Pulumi secret. */
    readonly client_secret: string[];
    readonly auth_methods: string[];
    readonly scopes: string[];
    /** Each entry is an alternative (OR); scopes within one entry, space-separated, are all required. */
    readonly scopes_required?: string[];
    readonly audience_claim: string[];
    readonly audience_required: string[];
    readonly ssl_verify: boolean;
    readonly bearer_token_param_type: ("header" | "query" | "body")[];
    readonly client_credentials_param_type: ("header" | "query" | "body")[];
    readonly redirect_uri?: string[];
}

/** Plain inputs of the openid-connect config, every secret still inside `clientSecret`. */
export interface OpenIdConnectSettings {
    /** Discovery URL (or issuer) of the identity provider. */
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authMethods: readonly string[];
    readonly scopes: readonly string[];
    /** Scopes a token must carry; empty means no scope check. */
    readonly scopesRequired: readonly string[];
    readonly audienceClaim: readonly string[];
    readonly sslVerify: boolean;
    /** Only for authorization_code: where the IdP sends the browser back (a registered callback URL). */
    readonly redirectUri?: string;
}

/** The openid-connect plugin config. It holds the client secret: keep the result inside a Pulumi secret. */
export function openIdConnectConfig(settings: OpenIdConnectSettings): OpenIdConnectConfig {
    return {
        issuer: settings.issuer,
        client_id: [settings.clientId],
        client_secret: [settings.clientSecret],
        auth_methods: [...settings.authMethods],
        scopes: [...settings.scopes],
        // Cognito access tokens carry client_id and no aud.
        audience_claim: [...settings.audienceClaim],
        audience_required: [settings.clientId],
        // Its default changed in Kong 3.14 (false before): always say it.
        ssl_verify: settings.sslVerify,
        // Tokens and client credentials in query strings end up in access logs.
        bearer_token_param_type: ["header"],
        client_credentials_param_type: ["header"],
        ...(settings.scopesRequired.length > 0 ? { scopes_required: [...settings.scopesRequired] } : {}),
        ...(settings.redirectUri !== undefined ? { redirect_uri: [settings.redirectUri] } : {}),
    };
}

/** The proxy-cache fields kong-cognito sets (kong/plugins/proxy-cache/schema.lua). */
export interface ProxyCacheConfig {
    /** The only strategy OSS Kong ships. */
    readonly strategy: "memory";
    readonly cache_ttl: number;
    /** Matched exactly, parameters included. */
    readonly content_type: string[];
    readonly response_code: number[];
    readonly request_method: string[];
    readonly vary_headers: string[];
    readonly cache_control: boolean;
}

/** The proxy-cache plugin config: no secrets in it. */
export function proxyCacheConfig(settings: ProxyCacheSettings): ProxyCacheConfig {
    return {
        strategy: "memory",
        cache_ttl: settings.ttlSeconds,
        content_type: [...settings.contentTypes],
        response_code: [...settings.responseCodes],
        request_method: [...settings.requestMethods],
        vary_headers: cacheVaryHeaders(settings),
        cache_control: false,
    };
}
