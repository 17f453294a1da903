// Kong's rules as pure functions: the openid-connect and proxy-cache plugin configs, upstream URL
// splitting and route checks. No Pulumi resources here, so they read (and are tested) as a spec.
import { Issues } from "./validation";

/** Every `auth_methods` value Kong's openid-connect plugin accepts (its schema's one_of list). */
export const OIDC_AUTH_METHODS = [
    "password",
    "client_credentials",
    "authorization_code",
    "bearer",
    "introspection",
    "userinfo",
    "kong_oauth2",
    "refresh_token",
    "session",
] as const;

/** How Kong is configured: Kong Ingress Controller objects, or Kong's Admin API (`kong` provider). */
export type KongTarget = "ingress" | "admin";
export const TARGETS: readonly KongTarget[] = ["ingress", "admin"];

/** Who calls a route: machines with tokens, or people in a browser. */
export type RouteMode = "api" | "browser";
export const ROUTE_MODES: readonly RouteMode[] = ["api", "browser"];

/** The auth methods a route needs, and no more (the plugin's default is all nine). */
export const DEFAULT_AUTH_METHODS: Record<RouteMode, readonly string[]> = {
    api: ["bearer", "client_credentials"],
    browser: ["authorization_code", "session"],
};

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

/**
 * The openid-connect plugin config (Kong Enterprise). It holds the client secret: keep the
 * result inside a Pulumi secret.
 */
export function openIdConnectConfig(settings: OpenIdConnectSettings): Record<string, unknown> {
    const config: Record<string, unknown> = {
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
    };
    if (settings.scopesRequired.length > 0) {
        config.scopes_required = [...settings.scopesRequired];
    }
    if (settings.redirectUri !== undefined) {
        config.redirect_uri = [settings.redirectUri];
    }
    return config;
}

export function checkAuthMethods(issues: Issues, path: string, methods: readonly string[]): void {
    if (methods.length === 0) {
        issues.add(path, methods, "must name at least one auth method");
    }
    for (const method of methods) {
        if (!(OIDC_AUTH_METHODS as readonly string[]).includes(method)) {
            issues.add(path, method, `is not an openid-connect auth method (one of ${OIDC_AUTH_METHODS.join(", ")})`);
        }
    }
}

/** Settings of Kong's proxy-cache plugin that kong-cognito exposes. */
export interface ProxyCacheSettings {
    readonly ttlSeconds: number;
    readonly contentTypes: readonly string[];
    readonly responseCodes: readonly number[];
    readonly requestMethods: readonly string[];
    readonly varyHeaders: readonly string[];
    /** The route authenticates requests (openid-connect or any other auth plugin). */
    readonly authenticated: boolean;
    /** The auth plugin maps each request to a Kong consumer, which proxy-cache puts in its key. */
    readonly consumerMapping: boolean;
}

export const PROXY_CACHE_DEFAULTS = {
    ttlSeconds: 300,
    contentTypes: ["text/plain", "application/json"],
    responseCodes: [200, 301, 404],
    requestMethods: ["GET", "HEAD"],
} as const;

/** proxy-cache's request_method one_of list (kong/plugins/proxy-cache/schema.lua). */
export const CACHEABLE_METHODS = ["HEAD", "GET", "POST", "PATCH", "PUT"] as const;

/**
 * The headers proxy-cache must put in its cache key. Its key is route (+ consumer when one is
 * resolved) + method + URI + vary headers: behind openid-connect without consumer mapping every
 * user would share one entry per URL, so the key varies by Authorization. openid-connect passes
 * the access token upstream in Authorization (upstream_access_token_header), which runs first
 * (priority 1050 vs 100), so this also separates users signed in by session cookie.
 */
export function cacheVaryHeaders(settings: Pick<ProxyCacheSettings, "varyHeaders" | "authenticated" | "consumerMapping">): string[] {
    const headers = settings.varyHeaders.map((h) => h.toLowerCase());
    if (settings.authenticated && !settings.consumerMapping && !headers.includes("authorization")) {
        headers.push("authorization");
    }
    return headers;
}

/** The proxy-cache plugin config (memory strategy, the one OSS Kong ships). */
export function proxyCacheConfig(settings: ProxyCacheSettings): Record<string, unknown> {
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

export function checkProxyCacheSettings(issues: Issues, prefix: string, settings: ProxyCacheSettings): void {
    const at = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
    if (!Number.isInteger(settings.ttlSeconds) || settings.ttlSeconds <= 0) {
        issues.add(at("ttlSeconds"), settings.ttlSeconds, "must be a positive whole number of seconds");
    }
    if (settings.contentTypes.length === 0) {
        issues.add(at("contentTypes"), settings.contentTypes, "must name at least one content type (matched exactly, parameters included)");
    }
    for (const type of settings.contentTypes) {
        if (!/^[\w.+-]+\/[\w.+*-]+(\s*;.*)?$/.test(type)) {
            issues.add(at("contentTypes"), type, 'is not a media type such as "text/html; charset=utf-8"');
        }
    }
    for (const code of settings.responseCodes) {
        if (!Number.isInteger(code) || code < 100 || code > 900) {
            issues.add(at("responseCodes"), code, "must be an HTTP status code from 100 to 900");
        }
    }
    for (const method of settings.requestMethods) {
        if (!(CACHEABLE_METHODS as readonly string[]).includes(method)) {
            issues.add(at("requestMethods"), method, `must be one of ${CACHEABLE_METHODS.join(", ")}`);
        }
    }
    for (const header of settings.varyHeaders) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
            issues.add(at("varyHeaders"), header, "is not an HTTP header name");
        }
    }
}

/** An upstream URL split the way Kong services and Kubernetes Services want it. */
export interface UpstreamTarget {
    readonly protocol: "http" | "https";
    readonly host: string;
    readonly port: number;
    /** Path Kong prefixes to every upstream request; undefined for "/". */
    readonly path?: string;
}

/** Splits `http(s)://host[:port][/path]`; anything else (query, fragment, credentials) is an issue. */
export function parseUpstreamUrl(issues: Issues, path: string, url: string): UpstreamTarget | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        issues.add(path, url, "must be an absolute URL such as http://httpbin.org");
        return undefined;
    }
    const protocol = parsed.protocol.replace(/:$/, "");
    if (protocol !== "http" && protocol !== "https") {
        issues.add(path, url, "must use http or https");
        return undefined;
    }
    if (parsed.username !== "" || parsed.password !== "") {
        issues.add(path, url, "must not contain credentials");
    }
    if (parsed.search !== "" || parsed.hash !== "" || url.includes("#") || url.includes("?")) {
        issues.add(path, url, "must not contain a query or a fragment");
    }
    if (parsed.hostname === "") {
        issues.add(path, url, "must name a host");
    }
    const port = parsed.port === "" ? (protocol === "https" ? 443 : 80) : Number(parsed.port);
    const upstreamPath = parsed.pathname === "/" ? undefined : parsed.pathname;
    return { protocol, host: parsed.hostname, port, path: upstreamPath };
}

const ROUTE_PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** A Kong route path: starts with "/", no spaces, no regex (`~`-prefixed paths are Kong regexes). */
export function checkRoutePath(issues: Issues, path: string, routePath: string): void {
    if (routePath.length === 0) {
        issues.add(path, routePath, 'must not be empty; use "/" for the whole host');
    } else if (!ROUTE_PATH_PATTERN.test(routePath)) {
        issues.add(path, routePath, 'must start with "/" and hold only URL path characters');
    } else if (routePath.length > 1 && routePath.endsWith("/")) {
        issues.add(path, routePath, 'must not end with "/" (Prefix matching already covers sub-paths)');
    }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes object names used here are DNS-1123 labels: the Ingress, plugins and Secret derive from them. */
export function checkKubernetesName(issues: Issues, path: string, name: string, maxLength = 63): void {
    if (!DNS_LABEL.test(name) || name.length > maxLength) {
        issues.add(path, name, `must be a DNS-1123 label: lowercase letters, digits and inner hyphens, at most ${maxLength} characters`);
    }
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Names of most Kubernetes objects (a Secret, say) are DNS-1123 subdomains: labels joined by dots. */
export function checkKubernetesObjectName(issues: Issues, path: string, name: string): void {
    if (!DNS_SUBDOMAIN.test(name)) {
        issues.add(path, name, "must be a DNS-1123 subdomain: lowercase letters, digits, inner hyphens and dots, at most 253 characters");
    }
}

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export function checkHostname(issues: Issues, path: string, host: string): void {
    if (!HOSTNAME.test(host)) {
        issues.add(path, host, "must be a lowercase DNS name such as api.example.com");
    }
}

/** Labels on every Kubernetes object kong-cognito creates. */
export const KONG_COGNITO_LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "kong-cognito",
};
