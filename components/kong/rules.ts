// Kong's rules as pure functions: openid-connect auth methods, proxy-cache settings and its cache
// key, route paths and protocols, upstream URL splitting and the Admin API's address. No Pulumi
// resources here, so they read (and are tested) as a spec; the policy pack calls them too.
import { checkHttpsUrl, RouteMode } from "../oidc";
import { Issues } from "../validation";

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

/** The auth methods a route needs, and no more (the plugin's default is all nine). */
export const DEFAULT_AUTH_METHODS: Record<RouteMode, readonly string[]> = {
    api: ["bearer", "client_credentials"],
    browser: ["authorization_code", "session"],
};

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
export interface UpstreamUrl<Host = string> {
    readonly protocol: "http" | "https";
    readonly host: Host;
    readonly port: number;
    /** Path Kong prefixes to every upstream request; undefined for "/". */
    readonly path?: string;
}

/** Splits `http(s)://host[:port][/path]`; anything else (query, fragment, credentials) is an issue. */
export function parseUpstreamUrl(issues: Issues, path: string, url: string): UpstreamUrl | undefined {
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

/** The protocols a Kong route accepts; kong-cognito's routes speak HTTP. */
export const ROUTE_PROTOCOLS = ["http", "https"] as const;

export function checkRouteProtocols(issues: Issues, path: string, protocols: readonly string[]): void {
    if (protocols.length === 0 || protocols.some((p) => !(ROUTE_PROTOCOLS as readonly string[]).includes(p))) {
        issues.add(path, protocols, 'must be "http" and/or "https"');
    }
}

/**
 * The Admin API controls the whole gateway (CVE-2020-11710): reach it over https, or over plain
 * http only on this machine (a port-forward or a sidecar).
 */
export function checkAdminApiUrl(issues: Issues, path: string, url: string): void {
    checkHttpsUrl(issues, path, url, { allowPath: true });
}

/** Kong plugins that authenticate a request. */
export const AUTH_PLUGINS = [
    "openid-connect",
    "jwt",
    "key-auth",
    "basic-auth",
    "oauth2",
    "hmac-auth",
    "ldap-auth",
    "ldap-auth-advanced",
    "oauth2-introspection",
] as const;

/** Auth plugins that always resolve a Kong consumer, which proxy-cache puts in its key. */
export const CONSUMER_PLUGINS = ["key-auth", "jwt", "basic-auth", "hmac-auth", "oauth2"] as const;

/** The proxy-cache plugins, OSS and Enterprise. */
export const CACHE_PLUGINS = ["proxy-cache", "proxy-cache-advanced"] as const;

/**
 * Whether a cache behind auth plugins keeps users apart: its key holds the consumer (an auth
 * plugin that maps one) or the Authorization header (vary_headers). See cacheVaryHeaders.
 */
export function cacheSeparatesUsers(
    cache: { readonly vary_headers?: readonly string[] },
    authPlugins: readonly {
        readonly plugin: string;
        readonly config: { readonly consumer_claim?: unknown; readonly consumer_claims?: unknown };
    }[],
): boolean {
    const mapsConsumers = authPlugins.some(
        (a) => (CONSUMER_PLUGINS as readonly string[]).includes(a.plugin) || Boolean(a.config.consumer_claim ?? a.config.consumer_claims),
    );
    return mapsConsumers || (cache.vary_headers ?? []).some((h) => h.toLowerCase() === "authorization");
}
