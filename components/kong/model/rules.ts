// Kong's rules as pure functions: openid-connect auth methods, proxy-cache settings and its cache
// key, route paths and protocols, upstream URL splitting and the Admin API's address. No Pulumi
// resources here, so they read (and are tested) as a spec; the policy pack calls them too.
import type * as pulumi from "@pulumi/pulumi";
import { checkHttpsUrl, RouteMode } from "../../oidc";
import { Issues } from "../../validation";

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

/**
 * Auth methods with which the plugin itself authenticates to the IdP as the client (token
 * exchange, refresh, introspection): only these need the plugin's own client_secret. With bearer
 * the plugin only verifies a token; with client_credentials it forwards the caller's credentials.
 */
export const CLIENT_AUTHENTICATING_METHODS = ["authorization_code", "password", "refresh_token", "introspection"] as const;

export function needsClientSecret(methods: readonly string[]): boolean {
    return methods.some((m) => (CLIENT_AUTHENTICATING_METHODS as readonly string[]).includes(m));
}

/** Every `logout_methods` value openid-connect accepts (its schema's enum, 3.4 to 3.15). */
export const LOGOUT_METHODS = ["POST", "DELETE", "GET"] as const;
export type LogoutMethod = (typeof LOGOUT_METHODS)[number];

/**
 * The plugin's own default `logout_methods`: a sign-out is a form post (or a DELETE from a script).
 * GET would let any page sign a user out with a link or an image, so it is only ever asked for.
 */
export const DEFAULT_LOGOUT_METHODS: readonly LogoutMethod[] = ["POST", "DELETE"];

export function checkLogoutMethods(issues: Issues, path: string, methods: readonly string[]): void {
    if (methods.length === 0) {
        issues.add(path, methods, `must name at least one method (${LOGOUT_METHODS.join(", ")})`);
    }
    for (const method of methods) {
        if (!(LOGOUT_METHODS as readonly string[]).includes(method)) {
            issues.add(path, method, `is not a method openid-connect signs out with (one of ${LOGOUT_METHODS.join(", ")})`);
        }
    }
    if (new Set(methods).size !== methods.length) {
        issues.add(path, methods, "must not name a method twice");
    }
}

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
    /** memory strategy: the nginx shared dict holding the cache (one per Kong node). */
    readonly dictionaryName: string;
    /** One cache for every Kong node in Redis (proxy-cache-advanced); undefined: memory. */
    readonly redis?: RedisSettings;
}

/** Where sessions and shared caches live when Kong runs on several nodes. */
export interface RedisSettings {
    readonly host: string;
    readonly port: number;
    /** TLS to Redis, the certificate verified against Kong's `lua_ssl_trusted_certificate`. */
    readonly tls: boolean;
    readonly username?: string;
    readonly database: number;
}

/** Redis as a user gives it; the password stays a Pulumi secret apart from the settings. */
export interface Redis {
    /** Host name of the Redis server, e.g. `redis.kong.svc.cluster.local`. */
    readonly host: string;
    /** @default 6379 (6380 is common with TLS) */
    readonly port?: number;
    /** TLS to Redis, the certificate verified. @default false */
    readonly tls?: boolean;
    /** ACL user (Redis 6+). @default none */
    readonly username?: string;
    /** Redis AUTH password; kept a Pulumi secret. @default none */
    readonly password?: pulumi.Input<string>;
    /** @default 0 */
    readonly database?: number;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;

/** Redis settings with defaults applied; the host and port as Kong's typedefs take them. */
export function resolveRedis(issues: Issues, path: string, args: RedisArgs): RedisSettings {
    const settings: RedisSettings = {
        host: args.host,
        port: args.port ?? 6379,
        tls: args.tls ?? false,
        username: args.username,
        database: args.database ?? 0,
    };
    if (typeof settings.host !== "string" || !HOST_NAME.test(settings.host)) {
        issues.add(`${path}.host`, settings.host, "must be a host name or IPv4 address such as redis.kong.svc.cluster.local");
    }
    if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) {
        issues.add(`${path}.port`, settings.port, "must be a port number from 1 to 65535");
    }
    if (!Number.isInteger(settings.database) || settings.database < 0) {
        issues.add(`${path}.database`, settings.database, "must be a Redis database number (0 or more)");
    }
    return settings;
}

/**
 * The shared dict of the memory strategy: Kong's own `kong_db_cache`, proxy-cache's default. Kong
 * refuses a proxy-cache whose dict its nginx does not declare ("missing shared dict": Kong/kong
 * kong/plugins/proxy-cache/schema.lua `check_shdict`), and on KIC one refused plugin stops every
 * later config push to that Kong. Every Kong's nginx template declares `kong_db_cache`
 * (kong/templates/nginx_kong.lua); it also holds Kong's cached entities, so a busy cache may want a
 * dict of its own, which the Kong must then declare (`nginx_http_lua_shared_dict`; README).
 */
export const DEFAULT_CACHE_DICTIONARY = "kong_db_cache";

export function checkDictionaryName(issues: Issues, path: string, name: string): void {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
        issues.add(path, name, "must be an nginx shared dict name: letters, digits and underscores");
    }
}

export const PROXY_CACHE_DEFAULTS = {
    ttlSeconds: 300,
    // proxy-cache needs the same parameters with the same values (contentTypeMatches), and real
    // upstreams send a charset: go-httpbin answers `application/json; charset=utf-8`, web apps
    // `text/html; charset=utf-8`. Kong's own default (text/plain, application/json) caches neither.
    contentTypes: [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/plain; charset=utf-8",
        "text/html; charset=utf-8",
    ],
    responseCodes: [200, 301, 404],
    requestMethods: ["GET", "HEAD"],
} as const;

/** A media type as Kong reads one: type and subtype lower-cased, parameter names lower-cased, values as sent. */
export interface MediaType {
    readonly type: string;
    readonly subtype: string;
    readonly parameters: Readonly<Record<string, string>>;
}

// RFC 2045's grammar as Kong/kong kong/tools/mime_type.lua writes it in LPeg (the same since 3.3):
// a token is printable ASCII without separators; a quoted value keeps what is between its quotes
// (its qdtext takes any byte but a control character or a quote, a backslash included).
const MEDIA_TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPES = new RegExp(`^(${MEDIA_TOKEN})/(${MEDIA_TOKEN})`);
const MEDIA_PARAMETER = new RegExp(`^[ \t]*;[ \t]*(${MEDIA_TOKEN})=(?:(${MEDIA_TOKEN})|"([^"\x00-\x1f\x7f]*)")`);

/**
 * Parses a media type the way Kong's `parse_mime_type` does: `type/subtype` or a lone `*`, then
 * `; name=value` parameters; spaces only around `;`, none at either end. Undefined when Kong's
 * parser refuses it.
 */
export function parseMediaType(text: string): MediaType | undefined {
    const types = MEDIA_TYPES.exec(text);
    if (!types && !text.startsWith("*")) {
        return undefined;
    }
    const [type, subtype] = types ? [types[1].toLowerCase(), types[2].toLowerCase()] : ["*", "*"];
    let rest = text.slice(types ? types[0].length : 1);
    const parameters: Record<string, string> = {};
    for (let parameter = MEDIA_PARAMETER.exec(rest); parameter; parameter = MEDIA_PARAMETER.exec(rest)) {
        parameters[parameter[1].toLowerCase()] = parameter[2] ?? parameter[3];
        rest = rest.slice(parameter[0].length);
    }
    return rest === "" ? { type, subtype, parameters } : undefined;
}

/**
 * Whether proxy-cache caches a response with this Content-Type for a `content_type` entry (Kong/kong
 * kong/plugins/proxy-cache/handler.lua `cacheable_response`): type and subtype equal or `*` in the
 * entry, and exactly the entry's parameters, each with the same value (`charset=UTF-8` is not
 * `charset=utf-8`; `application/json` does not match `application/json; charset=utf-8`).
 */
export function contentTypeMatches(entry: string, contentType: string): boolean {
    const expected = parseMediaType(entry);
    if (expected === undefined || contentType === "") {
        return false;
    }
    // A Content-Type Kong cannot parse still matches `*/*`: the handler compares its nil type and parameters.
    const actual = parseMediaType(contentType);
    const sent = actual?.parameters ?? {};
    const wanted = Object.entries(expected.parameters);
    return (
        (expected.type === "*" || expected.type === actual?.type) &&
        (expected.subtype === "*" || expected.subtype === actual?.subtype) &&
        wanted.every(([name, value]) => Object.hasOwn(sent, name) && sent[name] === value) &&
        wanted.length === Object.keys(sent).length
    );
}

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
        issues.add(at("contentTypes"), settings.contentTypes, "must name at least one content type: a cache without one stores nothing");
    }
    // Kong's schema takes any string, but its handler skips an entry its parser cannot read: such
    // an entry never matches, so it is refused here. Wildcards (`*`, `*/*`, `text/*`) are Kong's.
    for (const type of settings.contentTypes) {
        if (parseMediaType(type) === undefined) {
            issues.add(
                at("contentTypes"),
                type,
                'is not a media type Kong can read, so it would never match: "type/subtype" or "*", then "; name=value" ' +
                    'parameters, with no spaces around "/" and "=" nor at either end, e.g. "text/html; charset=utf-8"',
            );
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

/**
 * Splits `http(s)://host[:port][/path]`; anything else (query, fragment, credentials) is an issue.
 * An http(s) URL without a host never parses (the WHATWG parser refuses it), so it is not checked again.
 */
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
    const port = parsed.port === "" ? (protocol === "https" ? 443 : 80) : Number(parsed.port);
    const upstreamPath = parsed.pathname === "/" ? undefined : parsed.pathname;
    return { protocol, host: parsed.hostname, port, path: upstreamPath };
}

const ROUTE_PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** A URL path: "/" then only URL path characters (Kong's router_path, without its regex form). */
export function isUrlPath(path: string): boolean {
    return ROUTE_PATH_PATTERN.test(path);
}

/** A Kong route path: starts with "/", no spaces, no regex (`~`-prefixed paths are Kong regexes). */
export function checkRoutePath(issues: Issues, path: string, routePath: string): void {
    if (routePath.length === 0) {
        issues.add(path, routePath, 'must not be empty; use "/" for the whole host');
    } else if (!isUrlPath(routePath)) {
        issues.add(path, routePath, 'must start with "/" and hold only URL path characters');
    } else if (routePath.length > 1 && routePath.endsWith("/")) {
        issues.add(path, routePath, 'must not end with "/" (Prefix matching already covers sub-paths)');
    }
}

/**
 * The Kong route paths that match a path prefix and nothing longer. A Kong path is a plain prefix
 * (`/oidcroute` also matches `/oidcroutefoo`), so a prefix becomes `<path>/` plus the regex
 * `~<path>$` for the path itself: what KIC makes of an Ingress `Prefix` path.
 */
export function prefixPaths(path: string): string[] {
    if (path === "/") {
        return ["/"];
    }
    return [`${path}/`, `~${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`];
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

/**
 * Auth plugins whose Kong consumer is the caller's own (one credential, one principal), which
 * proxy-cache puts in its key. Not `jwt`: its credential may stand for a whole issuer, as the one
 * consumer of a user pool does on Kong OSS. Not `oauth2`: its consumer is the client app's, shared
 * by every user who signs in through it.
 */
export const CONSUMER_PLUGINS = ["key-auth", "basic-auth", "hmac-auth"] as const;

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
    return mapsConsumers || Boolean(cache.vary_headers?.some((h) => h.toLowerCase() === "authorization"));
}

/** A Kong Gateway release as `<major>.<minor>`, which decides version-dependent settings. */
export interface KongVersion {
    readonly major: number;
    readonly minor: number;
}

/** Oldest Kong Gateway kong-cognito targets (3.4 LTS): proxy-cache matches content types exactly from 3.3. */
export const MIN_KONG_VERSION: KongVersion = { major: 3, minor: 4 };

/** The Kong a stack targets when it does not say: the release that made ssl_verify default to true. */
export const DEFAULT_KONG_VERSION = "3.14";

/**
 * Kong's global `tls_certificate_verify` (kong.conf, or `KONG_TLS_CERTIFICATE_VERIFY`) as the Kong
 * a stack targets runs it: `on`, `off`, or `default`, Kong's default for kongVersion. While it is
 * on, Kong refuses a plugin that turns certificate verification off.
 */
export const KongTlsCertificateVerify = {
    /** The Kong runs with `tls_certificate_verify = on`. */
    On: "on",
    /** The Kong runs with `tls_certificate_verify = off`. */
    Off: "off",
    /** Kong's default for kongVersion: off in 3.13, on from 3.14; no such option before 3.13. */
    Default: "default",
} as const;
export type KongTlsCertificateVerify = (typeof KongTlsCertificateVerify)[keyof typeof KongTlsCertificateVerify];
export const KONG_TLS_CERTIFICATE_VERIFY_VALUES: readonly KongTlsCertificateVerify[] = Object.values(KongTlsCertificateVerify);

// Kong Enterprise 3.13 added `tls_certificate_verify`, off by default ("When this option is enabled
// the plugin's flags ssl_verify, ... cannot be disabled": openid-connect changelog 3.13.0.0); 3.14
// turned it on by default (gateway changelog 3.14.0.0, breaking change). developer.konghq.com
// app/_data/kong-conf/3.13.json and 3.14.json give the defaults, app/gateway/breaking-changes.md
// the effect: DB-less Kong does not start, a data plane or KIC's push is refused.
const TLS_CERTIFICATE_VERIFY_ADDED: KongVersion = { major: 3, minor: 13 };
const TLS_CERTIFICATE_VERIFY_ON_BY_DEFAULT: KongVersion = { major: 3, minor: 14 };

export function atLeast(version: KongVersion, other: KongVersion): boolean {
    return version.major > other.major || (version.major === other.major && version.minor >= other.minor);
}

/** Parses `3.14`, `3.10.0.2` (Enterprise patch releases) and the like; anything else is an issue. */
export function parseKongVersion(issues: Issues, path: string, version: string): KongVersion | undefined {
    const match = /^(\d+)\.(\d+)(\.\d+){0,2}$/.exec(version);
    if (!match) {
        issues.add(path, version, 'must be a Kong Gateway version such as "3.14" or "3.10.0.2"');
        return undefined;
    }
    const parsed = { major: Number(match[1]), minor: Number(match[2]) };
    if (!atLeast(parsed, MIN_KONG_VERSION)) {
        // A stack file's unquoted 3.10 reaches the program as "3.1" (YAML reads it as a number): a
        // `<major>.<minor>` without a patch part that would be recent enough with a trailing 0.
        const tenfold = { major: parsed.major, minor: parsed.minor * 10 };
        const misread =
            match[3] === undefined && atLeast(tenfold, MIN_KONG_VERSION)
                ? ` (an unquoted ${version}0 in a stack file is the YAML number ${version}: quote it, "${version}0")`
                : "";
        issues.add(path, version, `must be ${MIN_KONG_VERSION.major}.${MIN_KONG_VERSION.minor} or later${misread}`);
        return undefined;
    }
    return parsed;
}

function versionText(version: KongVersion): string {
    return `${version.major}.${version.minor}`;
}

/** Whether the Kong enforces certificate verification; undefined for a Kong without the option (before 3.13). */
export function enforcesTlsVerification(version: KongVersion, setting: KongTlsCertificateVerify): boolean | undefined {
    if (!atLeast(version, TLS_CERTIFICATE_VERIFY_ADDED)) {
        return undefined;
    }
    return setting === "default" ? atLeast(version, TLS_CERTIFICATE_VERIFY_ON_BY_DEFAULT) : setting === "on";
}

/** `kongTlsCertificateVerify`: one of its values, and `on`/`off` only for a Kong that has the option. */
export function checkTlsCertificateVerify(issues: Issues, path: string, setting: string, version: KongVersion): void {
    if (!(KONG_TLS_CERTIFICATE_VERIFY_VALUES as readonly string[]).includes(setting)) {
        issues.add(path, setting, `must be one of ${KONG_TLS_CERTIFICATE_VERIFY_VALUES.join(", ")}`);
    } else if (setting !== "default" && !atLeast(version, TLS_CERTIFICATE_VERIFY_ADDED)) {
        issues.add(
            path,
            setting,
            `Kong ${versionText(version)} has no tls_certificate_verify option (Kong 3.13 added it): leave it at default, ` +
                "or set kongVersion to the Kong you run",
        );
    }
}

/**
 * openid-connect `ssl_verify: false` against what refuses it: Kong's `tls_certificate_verify`,
 * never the version alone. Refused while the option is on (the stack says so, or it is the
 * version's default); on a Kong that has the option off, the answer is a warning to show the user.
 */
export function checkSslVerify(
    issues: Issues,
    path: string,
    sslVerify: boolean,
    version: KongVersion,
    setting: KongTlsCertificateVerify,
): string | undefined {
    const enforced = enforcesTlsVerification(version, setting);
    if (sslVerify || enforced === undefined) {
        return undefined;
    }
    if (enforced) {
        const why =
            setting === "on"
                ? "as kongTlsCertificateVerify says"
                : `Kong's default from 3.14 (kongVersion ${versionText(version)}, kongTlsCertificateVerify default)`;
        issues.add(
            path,
            sslVerify,
            `Kong refuses ssl_verify: false while its tls_certificate_verify option is on, ${why}: the Admin API answers ` +
                "an error, KIC's config push fails, a DB-less Kong does not start. Verify the IdP's certificate, or, if your " +
                "Kong runs with tls_certificate_verify = off, set kongTlsCertificateVerify: off",
        );
        return undefined;
    }
    return (
        `Kong ${versionText(version)} accepts ssl_verify: false only while its tls_certificate_verify option is off ` +
        `(${setting === "off" ? "kongTlsCertificateVerify: off" : "Kong 3.13's default"}); a Kong that turns it on refuses ` +
        "this config, and until then the IdP's certificate is not verified"
    );
}

// openid-connect took its `redis` record in Kong Enterprise 3.8 ("Standardized Redis configuration
// across plugins", openid-connect changelog 3.8.0.0): developer.konghq.com
// app/_schemas/gateway/plugins/3.4/ and 3.7/OpenidConnect.json have only the flat session_redis_*
// fields (without a database), 3.8/ and later the record. 3.8 still ignored its `database`
// (changelog 3.9.0.0: "Fixed an issue where the configured Redis database was ignored").
// proxy-cache-advanced has its `redis` record, with every field redisConfig sets, from 3.4 on.
const OIDC_REDIS_RECORD: KongVersion = { major: 3, minor: 8 };
const OIDC_REDIS_DATABASE_READ: KongVersion = { major: 3, minor: 9 };

/**
 * Sessions in Redis (openid-connect's `redis` record) on the targeted Kong: refused before 3.8,
 * which has no record; on 3.8 a database other than 0 is a warning (that release ignores it).
 */
export function checkSessionRedis(issues: Issues, path: string, redis: RedisSettings, version: KongVersion): string | undefined {
    if (!atLeast(version, OIDC_REDIS_RECORD)) {
        issues.add(
            path,
            redis.host,
            `browser sessions in Redis need Kong 3.8 or later: openid-connect took its redis record in 3.8 (Kong ` +
                `${versionText(version)} has only the flat session_redis_* fields, which kong-cognito does not write); set ` +
                "kongVersion to the Kong you run if it is 3.8 or later, or keep the sessions in the cookie (no redis)",
        );
        return undefined;
    }
    if (!atLeast(version, OIDC_REDIS_DATABASE_READ) && redis.database !== 0) {
        return (
            `Kong ${versionText(version)}'s openid-connect ignores redis.database ${redis.database} and keeps sessions in ` +
            "database 0 (fixed in 3.9.0.0): keep nothing else there, or run 3.9 or later"
        );
    }
    return undefined;
}

/** Redis by its former name. */
export type RedisArgs = Redis;
