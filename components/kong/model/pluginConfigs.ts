// The configs of the Kong plugins kong-cognito drives, typed in Kong's own field names so each
// interface can be held against the plugin's schema (openid-connect and proxy-cache-advanced: Kong
// Enterprise; proxy-cache: kong/plugins/proxy-cache/schema.lua), and the pure builders that fill them.
import { cacheVaryHeaders, LogoutMethod, needsClientSecret, ProxyCacheSettings, RedisSettings } from "./rules";

/** The `redis` record openid-connect and proxy-cache-advanced share (the fields kong-cognito sets). */
export interface RedisConfig {
    readonly host: string;
    readonly port: number;
    readonly ssl: boolean;
    /** Its default differs between releases (false up to Kong 3.13, true from 3.14): always say it. */
    readonly ssl_verify: boolean;
    readonly server_name?: string;
    readonly username?: string;
    /** Holds a secret: keep the whole config inside a Pulumi secret. */
    readonly password?: string;
    readonly database: number;
}

export function redisConfig(settings: RedisSettings, password: string | undefined): RedisConfig {
    return {
        host: settings.host,
        port: settings.port,
        ssl: settings.tls,
        ssl_verify: settings.tls,
        ...(settings.tls ? { server_name: settings.host } : {}),
        ...(settings.username !== undefined ? { username: settings.username } : {}),
        ...(password !== undefined ? { password } : {}),
        database: settings.database,
    };
}

/** The openid-connect fields kong-cognito sets (Kong Enterprise, openid-connect plugin schema). */
export interface OpenIdConnectConfig {
    /** Discovery URL or issuer. */
    readonly issuer: string;
    readonly client_id: string[];
    /** Only where an auth method makes the plugin authenticate as the client. Holds a secret. */
    readonly client_secret?: string[];
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
    /** Browser routes: signs session cookies; one stable value per route (a secret). */
    readonly session_secret?: string;
    readonly session_cookie_secure?: boolean;
    /** Default `session`: every instance on a host shares it unless it gets its own (or its own path). */
    readonly session_cookie_name?: string;
    /** Default `/`. */
    readonly session_cookie_path?: string;
    /** The sign-in's state, nonce and PKCE verifier until the callback. Default `authorization`. */
    readonly authorization_cookie_name?: string;
    /** Default `/`. */
    readonly authorization_cookie_path?: string;
    readonly session_storage?: "cookie" | "redis";
    readonly redis?: RedisConfig;
    readonly logout_uri_suffix?: string;
    /** Default POST and DELETE. */
    readonly logout_methods?: LogoutMethod[];
    readonly logout_revoke?: boolean;
    readonly logout_revoke_access_token?: boolean;
    readonly logout_revoke_refresh_token?: boolean;
    readonly revocation_endpoint?: string;
    /** Where the logout sends the browser; overrides the discovery document's `end_session_endpoint`. */
    readonly end_session_endpoint?: string;
    /** Sent as `post_logout_redirect_uri` when an end session endpoint is known, else the logout's redirect. */
    readonly logout_redirect_uri?: string[];
}

/** A browser route's session and logout, as the plugin config needs them. */
export interface BrowserSessionSettings {
    /** A stable random value, the same on every Kong node and across restarts. */
    readonly sessionSecret: string;
    /** Only over HTTPS (the public URL's scheme). */
    readonly secureCookie: boolean;
    /** The session cookie's name: one per route on a host, or the routes overwrite each other's sessions. */
    readonly sessionCookieName: string;
    /** The cookie holding the sign-in's state until the callback: one per route too. */
    readonly authorizationCookieName: string;
    /** The path of both cookies. */
    readonly cookiePath: string;
    /** Sessions in Redis (shared by every node, revocable) instead of in the cookie. */
    readonly redis?: RedisConfig;
    /** Requests to a URI ending in this suffix sign the user out. */
    readonly logoutSuffix: string;
    /** The request methods that sign out there. */
    readonly logoutMethods: readonly LogoutMethod[];
    /** Where the browser lands after signing out. */
    readonly signedOutUrl: string;
    /**
     * The IdP's logout with the query that ends its own session and sends the browser on to
     * `signedOutUrl` (Cognito: `/logout?client_id=…&logout_uri=…`). Undefined: the IdP's discovery
     * document decides (RP-initiated logout), or the browser goes straight to `signedOutUrl`.
     */
    readonly endSessionEndpoint?: string;
    /** The IdP's token revocation endpoint; tokens are revoked at logout. */
    readonly revocationEndpoint?: string;
}

/** Plain inputs of the openid-connect config, every secret still inside `clientSecret`. */
export interface OpenIdConnectSettings {
    /** Discovery URL (or issuer) of the identity provider. */
    readonly issuer: string;
    readonly clientId: string;
    /** Put in the config only when an auth method needs it (needsClientSecret). */
    readonly clientSecret?: string;
    readonly authMethods: readonly string[];
    readonly scopes: readonly string[];
    /** Scopes a token must carry, all of them; empty means no scope check. */
    readonly scopesRequired: readonly string[];
    readonly audienceClaim: readonly string[];
    readonly sslVerify: boolean;
    /** Only for authorization_code: where the IdP sends the browser back (a registered callback URL). */
    readonly redirectUri?: string;
    readonly session?: BrowserSessionSettings;
}

/** The openid-connect plugin config. It may hold secrets: keep the result inside a Pulumi secret. */
export function openIdConnectConfig(settings: OpenIdConnectSettings): OpenIdConnectConfig {
    const session = settings.session;
    return {
        issuer: settings.issuer,
        client_id: [settings.clientId],
        ...(needsClientSecret(settings.authMethods) && settings.clientSecret !== undefined
            ? { client_secret: [settings.clientSecret] }
            : {}),
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
        // Separate entries are alternatives (OR): one space-separated entry requires them all.
        ...(settings.scopesRequired.length > 0 ? { scopes_required: [settings.scopesRequired.join(" ")] } : {}),
        ...(settings.redirectUri !== undefined ? { redirect_uri: [settings.redirectUri] } : {}),
        ...(session
            ? {
                  session_secret: session.sessionSecret,
                  session_cookie_secure: session.secureCookie,
                  session_cookie_name: session.sessionCookieName,
                  session_cookie_path: session.cookiePath,
                  authorization_cookie_name: session.authorizationCookieName,
                  authorization_cookie_path: session.cookiePath,
                  session_storage: session.redis ? "redis" : "cookie",
                  ...(session.redis ? { redis: session.redis } : {}),
                  logout_uri_suffix: session.logoutSuffix,
                  logout_methods: [...session.logoutMethods],
                  logout_revoke: session.revocationEndpoint !== undefined,
                  ...(session.revocationEndpoint !== undefined
                      ? {
                            // Cognito revokes refresh tokens (and the access tokens issued from them), not access tokens.
                            logout_revoke_access_token: false,
                            logout_revoke_refresh_token: true,
                            revocation_endpoint: session.revocationEndpoint,
                        }
                      : {}),
                  // At logout openid-connect redirects to `end_session_endpoint` (this field, else the
                  // discovery document's), appending `id_token_hint` and, from `logout_redirect_uri`,
                  // `post_logout_redirect_uri`; only without any end session endpoint does it redirect to
                  // `logout_redirect_uri` itself (Kong Enterprise kong/plugins/openid-connect/handler.lua,
                  // logout). Cognito publishes `end_session_endpoint` (its /logout), which takes neither
                  // parameter and needs `client_id` and `logout_uri` (Cognito docs, "The managed login
                  // sign-out endpoint: /logout"): so the endpoint itself carries them.
                  ...(session.endSessionEndpoint !== undefined
                      ? { end_session_endpoint: session.endSessionEndpoint }
                      : { logout_redirect_uri: [session.signedOutUrl] }),
              }
            : {}),
    };
}

/** The jwt plugin fields kong-cognito sets (Kong/kong kong/plugins/jwt/schema.lua). */
export interface JwtConfig {
    /** Read from the token's claims, then its header: Cognito puts the signing key's id in the header. */
    readonly key_claim_name: string;
    readonly claims_to_verify: ("exp" | "nbf")[];
    /** Seconds a token may still have to live; 0 for no limit. Needs `exp` in claims_to_verify. */
    readonly maximum_expiration: number;
    readonly header_names: string[];
    readonly uri_param_names: string[];
    readonly cookie_names: string[];
    readonly secret_is_base64: boolean;
    readonly run_on_preflight: boolean;
}

/** Cognito's longest access-token lifetime (1 day): a token claiming to live longer was not issued by it. */
const COGNITO_MAX_TOKEN_SECONDS = 86400;

/**
 * The jwt plugin config for Cognito access tokens: the credential is found by the token header's
 * `kid` (one credential per signing key of the pool), `exp` is verified and capped, and the token
 * is read from the Authorization header only (tokens in query strings end up in access logs).
 */
export function jwtConfig(): JwtConfig {
    return {
        key_claim_name: "kid",
        claims_to_verify: ["exp"],
        maximum_expiration: COGNITO_MAX_TOKEN_SECONDS,
        header_names: ["authorization"],
        uri_param_names: [],
        cookie_names: [],
        secret_is_base64: false,
        run_on_preflight: true,
    };
}

/** The acl plugin fields kong-cognito sets (Kong/kong kong/plugins/acl/schema.lua). */
export interface AclConfig {
    readonly allow: string[];
    readonly hide_groups_header: boolean;
}

/**
 * Only the pool's consumer passes: the jwt plugin accepts a credential of any consumer of the Kong
 * instance whose key is the token's kid, so a token signed for another consumer would pass it alone.
 */
export function aclConfig(group: string): AclConfig {
    return { allow: [group], hide_groups_header: true };
}

/** The proxy-cache (or proxy-cache-advanced) fields kong-cognito sets. */
export interface ProxyCacheConfig {
    /** `memory`: one cache per Kong node in a shared dict; `redis` (proxy-cache-advanced): one cache for all. */
    readonly strategy: "memory" | "redis";
    readonly memory?: { readonly dictionary_name: string };
    readonly redis?: RedisConfig;
    readonly cache_ttl: number;
    /** Kong matches type and subtype (or `*`) and the same parameters with the same values (rules.ts contentTypeMatches). */
    readonly content_type: string[];
    readonly response_code: number[];
    readonly request_method: string[];
    readonly vary_headers: string[];
    readonly cache_control: boolean;
}

/** The cache plugin for the settings: proxy-cache-advanced (Enterprise) only for Redis. */
export function proxyCachePlugin(settings: Pick<ProxyCacheSettings, "redis">): "proxy-cache" | "proxy-cache-advanced" {
    return settings.redis ? "proxy-cache-advanced" : "proxy-cache";
}

/** The proxy-cache plugin config; with Redis it takes the password, and then holds a secret. */
export function proxyCacheConfig(settings: ProxyCacheSettings, redisPassword?: string): ProxyCacheConfig {
    return {
        ...(settings.redis
            ? { strategy: "redis", redis: redisConfig(settings.redis, redisPassword) }
            : { strategy: "memory", memory: { dictionary_name: settings.dictionaryName } }),
        cache_ttl: settings.ttlSeconds,
        content_type: [...settings.contentTypes],
        response_code: [...settings.responseCodes],
        request_method: [...settings.requestMethods],
        vary_headers: cacheVaryHeaders(settings),
        cache_control: false,
    };
}
