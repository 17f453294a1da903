// What a KongOidcRoute is, whatever the target: its args, the model they resolve to (defaults
// applied, every rule that holds on any target checked, the cache settings resolved and kept) and
// the openid-connect settings of a resolved route. Emitters read the model; nothing here registers
// a resource or knows a target's own rules.
import * as pulumi from "@pulumi/pulumi";
import { checkHostname, checkKubernetesName, checkKubernetesObjectName, checkServiceName } from "../../kubernetes";
import { checkHttpsUrl, idpLogoutUrl, OidcProviderArgs, ROUTE_MODES, RouteMode, routeUrl } from "../../oidc";
import { checkInputWhenKnown, isPlain, Issues } from "../../validation";
import { ProxyCacheOptions, resolveProxyCacheSettings } from "./cacheModel";
import type { JwtConsumerReference } from "./consumerModel";
import type { KongTarget } from "./kongTarget";
import { OpenIdConnectSettings, redisConfig } from "./pluginConfigs";
import {
    checkAuthMethods,
    checkLogoutMethods,
    checkRoutePath,
    checkRouteProtocols,
    checkSessionRedis,
    checkSslVerify,
    DEFAULT_AUTH_METHODS,
    DEFAULT_KONG_VERSION,
    DEFAULT_LOGOUT_METHODS,
    checkTlsCertificateVerify,
    isUrlPath,
    KongTlsCertificateVerify,
    KongVersion,
    LogoutMethod,
    parseKongVersion,
    parseUpstreamUrl,
    ProxyCacheSettings,
    RedisArgs,
    RedisSettings,
    resolveRedis,
    UpstreamUrl,
} from "./rules";

/**
 * The Kong Gateway edition a route is for: `enterprise` protects routes with openid-connect;
 * `oss` protects API routes with the bundled jwt and acl plugins and has no browser sign-in.
 */
export const KongEdition = {
    /** Kong Enterprise: openid-connect. */
    Enterprise: "enterprise",
    /** The open-source gateway: jwt and acl against the pool's signing keys, API routes only. */
    Oss: "oss",
} as const;
export type KongEdition = (typeof KongEdition)[keyof typeof KongEdition];
export const KONG_EDITIONS: readonly KongEdition[] = Object.values(KongEdition);

/**
 * What a Kong OSS route checks of a token (jwt and acl), and what it does not: the bundled plugins
 * read no scope, client or token type. `npm run plan` and the stack outputs say it per route.
 */
export const OSS_TOKEN_CHECKS = {
    checked: [
        "signature by a signing key of the user pool (the credential the token's kid names)",
        "exp, at most 1 day ahead",
        "the credential belongs to the pool's consumer (acl)",
    ],
    notChecked: [
        "scopes",
        "the client the token was issued to (client_id): any app client of the pool passes",
        "the token type (token_use): the pool's ID tokens pass too",
        "audience and issuer beyond the signing key",
    ],
} as const;

/** Route args that only openid-connect (Kong Enterprise) reads. */
const ENTERPRISE_ARGS = ["authMethods", "audienceClaim", "redis"] as const;

/** An in-cluster upstream: a Service this stack or another one runs. */
export interface UpstreamService {
    /** The Service's name (a DNS-1035 label). */
    readonly name: pulumi.Input<string>;
    readonly port: number;
    /**
     * The Service's namespace. On the ingress target a Service in another namespace is reached
     * through an ExternalName Service `<route>-upstream` pointing at `<name>.<namespace>.svc.cluster.local`;
     * on the gateway target the HTTPRoute references it, granted by a ReferenceGrant `<route>-backend`
     * in that namespace. @default the route's namespace
     */
    readonly namespace?: pulumi.Input<string>;
}

/** The Gateway an HTTPRoute attaches to (its `parentRefs`), on the gateway target. */
export interface GatewayReference {
    /** The Gateway's name. @default "kong", the name in Kong's Gateway API guides */
    readonly name?: pulumi.Input<string>;
    /**
     * The Gateway's namespace; its listener must allow routes from the route's namespace
     * (`allowedRoutes`). @default the route's namespace
     */
    readonly namespace?: pulumi.Input<string>;
    /** One listener of the Gateway, by name, to attach to it alone. @default every listener that allows the route */
    readonly sectionName?: string;
}

export interface KongOidcRouteArgs {
    /**
     * The Kong Gateway edition: `enterprise` (openid-connect) or `oss` (the bundled jwt plugin
     * against the pool's signing keys, API routes only; needs `jwtConsumer`). @default "enterprise"
     */
    readonly kongEdition?: KongEdition;
    /** oss: the pool's consumer (`KongJwtConsumer.reference`); the route waits for its credentials. */
    readonly jwtConsumer?: JwtConsumerReference;
    /**
     * How Kong is configured: `ingress` (Kong Ingress Controller, an Ingress), `gateway` (Kong
     * Ingress Controller, a Gateway API HTTPRoute) or `admin` (Kong's Admin API through the `kong`
     * provider). @default "ingress"
     */
    readonly target?: KongTarget;
    /**
     * Namespace of the Ingress or HTTPRoute, its KongPlugins and Secret (KIC attaches plugins within
     * a namespace); on the admin target, of upstreamService. Required for the ingress and gateway targets.
     */
    readonly namespace?: pulumi.Input<string>;
    /**
     * HTTPS base URL of the Kong proxy as users reach it, e.g. `https://kong.example.com`. May come
     * from another resource (a load balancer's DNS name): it is checked now when known, else when it
     * resolves, and the deployment then fails with the same message.
     */
    readonly publicBaseUrl: pulumi.Input<string>;
    /** Path prefix of the route, e.g. `/oidcroute`. */
    readonly path: string;
    /** `api`: bearer tokens and client credentials; `browser`: sign-in through the IdP and a session. */
    readonly mode: RouteMode;
    /**
     * The identity provider and client the route trusts: from a CognitoIdp, its `oidcSettings(mode)`
     * (TypeScript), or its outputs: api routes `discoveryUrl`, `machineClientId`,
     * `machineClientSecret`, and `machineScopes` as scopes and required scopes; browser routes
     * `discoveryUrl`, `webClientId`, `webClientSecret`, `browserScopes`, `logoutEndpoint` and
     * `revocationEndpoint`.
     */
    readonly oidc: OidcProviderArgs;
    /** External upstream, e.g. `http://httpbin.org` (an ExternalName Service). Exclusive with upstreamService. */
    readonly upstreamUrl?: string;
    /**
     * In-cluster upstream. Exclusive with upstreamUrl. On the admin target it becomes
     * `http://<name>.<namespace>.svc:<port>`, reachable when Kong runs in the cluster.
     */
    readonly upstreamService?: UpstreamServiceArgs;
    /** Host the route matches; must be the host of publicBaseUrl. @default any host */
    readonly host?: string;
    /**
     * ingress: TLS Secret for `host` on the Ingress; under the Kong Operator it needs the label
     * `konghq.com/secret: "true"`. @default none (TLS terminated in front of Kong)
     */
    readonly tlsSecretName?: string;
    /** Strip the route path before proxying. @default true */
    readonly stripPath?: boolean;
    /**
     * Protocols the Kong route accepts (ingress, gateway: the `konghq.com/protocols` annotation).
     * @default ingress, admin: ["http", "https"] (TLS often ends in front of Kong); gateway: those of
     * the Gateway's listeners (KIC's rule)
     */
    readonly protocols?: string[];
    /** openid-connect `auth_methods`. @default api: bearer, client_credentials; browser: authorization_code, session */
    readonly authMethods?: string[];
    /** Token claim holding the audience. @default ["client_id"] (Cognito access tokens carry no aud) */
    readonly audienceClaim?: string[];
    /**
     * Verify the IdP's TLS certificate (openid-connect `ssl_verify`). Kong refuses false while its
     * `tls_certificate_verify` option is on: see kongTlsCertificateVerify. @default true
     */
    readonly sslVerify?: boolean;
    /**
     * The Kong Gateway release the route is for, `<major>.<minor>` (3.4 or later); version-dependent
     * rules follow it (the `redis` record, the default of `tls_certificate_verify`). @default "3.14"
     */
    readonly kongVersion?: string;
    /**
     * Kong's global `tls_certificate_verify` as the targeted Kong runs it (kong.conf, or
     * `KONG_TLS_CERTIFICATE_VERIFY`; Kong Enterprise 3.13+): `on`, `off`, or `default` for Kong's
     * default for kongVersion (off in 3.13, on from 3.14). While it is on, `sslVerify: false` is
     * refused, as Kong refuses it; with it off, it is allowed with a warning. @default "default"
     */
    readonly kongTlsCertificateVerify?: KongTlsCertificateVerify;
    /**
     * Redis shared by every Kong node: browser sessions are stored there (`session_storage: redis`,
     * openid-connect's `redis` record: Kong 3.8 or later) and the cache uses proxy-cache-advanced's
     * Redis strategy (Kong Enterprise, 3.4 or later). @default none:
     * sessions in the cookie, the cache in each node's memory
     */
    readonly redis?: RedisArgs;
    /** Browser routes: requests to a URI ending in this suffix sign the user out. @default "/logout" */
    readonly logoutPath?: string;
    /**
     * Browser routes: the request methods that sign out at `logoutPath` (openid-connect
     * `logout_methods`; `POST`, `DELETE`, `GET`). GET lets any page sign a user out with a link or
     * an image: add it only where a plain link must sign out. @default ["POST", "DELETE"], Kong's default
     */
    readonly logoutMethods?: string[];
    /**
     * Browser routes: where the browser lands after signing out (through the IdP's logout, which
     * requires it among the web client's logout URLs). @default the route's URL
     */
    readonly signedOutUrl?: pulumi.Input<string>;
    /** Cache responses with proxy-cache; the key varies by Authorization. @default no cache */
    readonly cache?: ProxyCacheOptions;
    /** ingress, gateway: names of other KongPlugins in the namespace to attach. @default none */
    readonly extraPlugins?: string[];
    /** gateway: the Gateway the HTTPRoute attaches to. @default the Gateway "kong" in the route's namespace */
    readonly gateway?: GatewayReference;
}

/** A browser route's session and logout, resolved. */
export interface BrowserSession {
    /** `session_cookie_name`: `<route>-session`, so routes on one host keep their own sessions. */
    readonly sessionCookieName: string;
    /** `authorization_cookie_name` (the sign-in's state until the callback): `<route>-authorization`. */
    readonly authorizationCookieName: string;
    /** `session_cookie_path` and `authorization_cookie_path`: the route's path. */
    readonly cookiePath: string;
    /** `logout_uri_suffix`. */
    readonly logoutPath: string;
    /** `logout_methods`. */
    readonly logoutMethods: LogoutMethod[];
    /** Registered as a logout URL of the web client. */
    readonly signedOutUrl: pulumi.Input<string>;
    /** The session cookie is sent over HTTPS only: true when the public URL is HTTPS. */
    readonly secureCookie: pulumi.Input<boolean>;
}

/** Where a route sends its traffic. */
export type Upstream =
    { readonly kind: "url"; readonly url: UpstreamUrl } | { readonly kind: "service"; readonly service: UpstreamServiceArgs };

/** A route as every target sees it: validated, defaults applied. Plain data apart from Inputs the user gave. */
export interface RouteModel {
    /** The component's name; Kubernetes objects and Kong entities derive their names from it. */
    readonly name: string;
    readonly namespace?: pulumi.Input<string>;
    /** Where users and clients call the route, e.g. `https://kong.example.com/oidcroute`; an Output when publicBaseUrl is one. */
    readonly publicUrl: pulumi.Input<string>;
    readonly path: string;
    readonly mode: RouteMode;
    readonly kongEdition: KongEdition;
    /** oss: the consumer whose credentials the jwt plugin finds, and whose ACL group the route allows. */
    readonly jwtConsumer?: JwtConsumerReference;
    readonly upstream: Upstream;
    readonly host?: string;
    readonly tlsSecretName?: string;
    readonly stripPath: boolean;
    /** Given explicitly, or undefined for the target's default. */
    readonly protocols?: string[];
    readonly authMethods: string[];
    readonly audienceClaim: string[];
    readonly sslVerify: boolean;
    readonly kongVersion: KongVersion;
    /** Sessions and cache in Redis; undefined: in the cookie and in each node's memory. */
    readonly redis?: RedisSettings;
    /** Completes `redis`; a Pulumi secret. */
    readonly redisPassword?: pulumi.Input<string>;
    /** Browser routes only. */
    readonly session?: BrowserSession;
    /** The cache settings, resolved; undefined for an uncached route. */
    readonly cache?: ProxyCacheSettings;
    readonly extraPlugins: string[];
    /** gateway: the Gateway as given; undefined for the default. */
    readonly gateway?: GatewayReference;
}

/** A route resolved for one target. */
export interface ResolvedKongOidcRouteArgs {
    readonly target: KongTarget;
    readonly route: RouteModel;
    /** What Kong accepts but the user should hear about; the component logs each as a warning. */
    readonly warnings: readonly string[];
}

/** Longest route name that leaves room for the `-oidc-config` suffix in a 63-character name. */
const MAX_ROUTE_NAME = 50;

function resolveUpstream(issues: Issues, args: Omit<KongOidcRouteArgs, "oidc">): Upstream | undefined {
    const { upstreamUrl, upstreamService: service } = args;
    if (upstreamUrl !== undefined && service === undefined) {
        const url = parseUpstreamUrl(issues, "upstreamUrl", upstreamUrl);
        return url && { kind: "url", url };
    }
    if (service !== undefined && upstreamUrl === undefined) {
        if (isPlain(service.name)) {
            checkServiceName(issues, "upstreamService.name", service.name);
        }
        if (service.namespace !== undefined && isPlain(service.namespace)) {
            checkKubernetesName(issues, "upstreamService.namespace", service.namespace);
        }
        if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) {
            issues.add("upstreamService.port", service.port, "must be a port number from 1 to 65535");
        }
        return { kind: "service", service };
    }
    issues.add("upstreamUrl", upstreamUrl, "set exactly one of upstreamUrl and upstreamService");
    return undefined;
}

function resolveSession(
    issues: Issues,
    name: string,
    args: Omit<KongOidcRouteArgs, "oidc">,
    publicUrl: pulumi.Input<string> | undefined,
): BrowserSession | undefined {
    if (args.mode !== "browser") {
        for (const key of ["logoutPath", "logoutMethods", "signedOutUrl"] as const) {
            if (args[key] !== undefined) {
                issues.add(key, isPlain(args[key]) ? args[key] : "(an Output)", "applies to browser routes only (mode: browser)");
            }
        }
        return undefined;
    }
    if (args.path?.includes(";")) {
        // The path is the session cookie's Path, whose value cannot hold ";" (RFC 6265, 4.1.1).
        issues.add("path", args.path, 'must not contain ";" on a browser route (it is the session cookie\'s Path)');
    }
    const logoutPath = args.logoutPath ?? "/logout";
    if (!isUrlPath(logoutPath) || logoutPath === "/") {
        issues.add("logoutPath", logoutPath, 'must be a URL path suffix such as "/logout"');
    }
    const logoutMethods = args.logoutMethods ?? [...DEFAULT_LOGOUT_METHODS];
    checkLogoutMethods(issues, "logoutMethods", logoutMethods);
    const signedOutUrl =
        args.signedOutUrl !== undefined &&
        checkInputWhenKnown(issues, "signedOutUrl", args.signedOutUrl, (later, path, url) =>
            checkHttpsUrl(later, path, url, { allowPath: true }),
        );
    if (publicUrl === undefined) {
        return undefined;
    }
    return {
        // openid-connect's cookies default to `session` and `authorization` on path `/` (plugin schema,
        // session_cookie_name/_path, authorization_cookie_name/_path, the same from 3.4 to 3.15): every
        // route on a host would share them, each overwriting the other's with a session sealed by its
        // own secret. The route's name (unique in a stack) and path (unique on a host) keep them apart.
        sessionCookieName: `${name}-session`,
        authorizationCookieName: `${name}-authorization`,
        cookiePath: args.path,
        logoutPath,
        logoutMethods: logoutMethods as LogoutMethod[],
        signedOutUrl: signedOutUrl || publicUrl,
        secureCookie: isPlain(publicUrl) ? isHttps(publicUrl) : pulumi.output(publicUrl).apply(isHttps),
    };
}

function isHttps(url: string): boolean {
    return new URL(url).protocol === "https:";
}

/** The public base URL: HTTPS, no path, and the host of `host` when that is set. */
function checkPublicBaseUrl(issues: Issues, propertyPath: string, url: string, host: string | undefined): void {
    const before = issues.all.length;
    checkHttpsUrl(issues, propertyPath, url, { allowPath: false });
    if (issues.all.length === before && host !== undefined) {
        const baseHost = new URL(url).hostname;
        if (baseHost !== host) {
            issues.add("host", host, `must be the host of publicBaseUrl (${baseHost}), where callbacks arrive`);
        }
    }
}

/**
 * Kong OSS has no openid-connect: API routes only, with the pool's consumer; the plugin's own args
 * are refused rather than dropped. Enterprise routes take no consumer.
 */
function checkEdition(issues: Issues, edition: string, args: Omit<KongOidcRouteArgs, "oidc">): void {
    if (!(KONG_EDITIONS as readonly string[]).includes(edition)) {
        issues.add("kongEdition", edition, `must be one of ${KONG_EDITIONS.join(", ")}`);
        return;
    }
    if (edition === "enterprise") {
        if (args.jwtConsumer !== undefined) {
            issues.add("jwtConsumer", "(set)", "applies to kongEdition oss only (Kong Enterprise routes use openid-connect)");
        }
        return;
    }
    if (args.mode === "browser") {
        issues.add(
            "mode",
            args.mode,
            "browser sign-in needs Kong Enterprise's openid-connect plugin (sessions, the authorization code flow); " +
                "on kongEdition oss only api routes, protected by the jwt plugin, are possible",
        );
    }
    if (args.jwtConsumer === undefined) {
        issues.add("jwtConsumer", undefined, "kongEdition oss needs the pool's consumer (KongJwtConsumer.reference)");
    }
    for (const key of ENTERPRISE_ARGS) {
        if (args[key] !== undefined) {
            const why = key === "redis" ? "sessions and proxy-cache-advanced are Kong Enterprise's" : "it is an openid-connect setting";
            issues.add(key, args[key], `applies to kongEdition enterprise only: ${why}`);
        }
    }
    if (args.sslVerify === false) {
        issues.add(
            "sslVerify",
            false,
            "applies to kongEdition enterprise only: on oss Kong calls no IdP (the keys are read at deploy time, over verified TLS)",
        );
    }
    if (args.kongTlsCertificateVerify !== undefined && args.kongTlsCertificateVerify !== "default") {
        issues.add(
            "kongTlsCertificateVerify",
            args.kongTlsCertificateVerify,
            "applies to kongEdition enterprise only: tls_certificate_verify is a Kong Enterprise option, and the jwt plugin calls no IdP",
        );
    }
}

/**
 * A route's args checked against every rule that holds on any target, and the target-free model
 * they resolve to: undefined when a rule the model needs is broken (`issues` then says which).
 * What only the target requires is its emitter's to check (KongOidcRoute's resolveKongOidcRouteArgs).
 */
export function resolveRouteModel(
    issues: Issues,
    name: string,
    args: Omit<KongOidcRouteArgs, "oidc">,
): { readonly route?: RouteModel; readonly warnings: readonly string[] } {
    // The name becomes the Service `<name>-upstream`: a DNS-1035 label.
    checkServiceName(issues, "name", name, MAX_ROUTE_NAME);
    if (args.namespace !== undefined && isPlain(args.namespace)) {
        checkKubernetesName(issues, "namespace", args.namespace);
    }
    const kongEdition = args.kongEdition ?? "enterprise";
    const warnings: string[] = [];
    const kongVersion = parseKongVersion(issues, "kongVersion", args.kongVersion ?? DEFAULT_KONG_VERSION);
    const sslVerify = args.sslVerify ?? true;
    const tlsCertificateVerify = args.kongTlsCertificateVerify ?? "default";
    if (kongVersion && kongEdition === "enterprise") {
        const before = issues.all.length;
        checkTlsCertificateVerify(issues, "kongTlsCertificateVerify", tlsCertificateVerify, kongVersion);
        const warning = issues.all.length === before && checkSslVerify(issues, "sslVerify", sslVerify, kongVersion, tlsCertificateVerify);
        if (warning) {
            warnings.push(`KongOidcRoute "${name}": sslVerify = false: ${warning}`);
        }
    }
    const redis = args.redis && resolveRedis(issues, "redis", args.redis);
    if (args.protocols !== undefined) {
        checkRouteProtocols(issues, "protocols", args.protocols);
    }
    checkRoutePath(issues, "path", args.path ?? "");
    if (!ROUTE_MODES.includes(args.mode)) {
        issues.add("mode", args.mode, `must be one of ${ROUTE_MODES.join(", ")}`);
    }
    checkEdition(issues, kongEdition, args);
    // The jwt plugin takes bearer tokens only.
    const authMethods = kongEdition === "oss" ? ["bearer"] : (args.authMethods ?? [...(DEFAULT_AUTH_METHODS[args.mode] ?? [])]);
    checkAuthMethods(issues, "authMethods", authMethods);

    const before = issues.all.length;
    const publicBaseUrl = checkInputWhenKnown(issues, "publicBaseUrl", args.publicBaseUrl ?? "", (later, path, url) =>
        checkPublicBaseUrl(later, path, url, args.host),
    );
    const baseUrlOk = issues.all.length === before;
    // The route path is checked above; an Output base URL gives an Output route URL.
    const publicUrl = !baseUrlOk
        ? undefined
        : isPlain(publicBaseUrl)
          ? routeUrl(publicBaseUrl, args.path)
          : pulumi.output(publicBaseUrl).apply((base) => routeUrl(base, args.path));
    // Stryker disable next-line ConditionalExpression: checkHostname(undefined) would test the string "undefined", a valid host name, and add nothing
    if (args.host !== undefined) {
        checkHostname(issues, "host", args.host);
    }
    if (args.tlsSecretName !== undefined) {
        checkKubernetesObjectName(issues, "tlsSecretName", args.tlsSecretName);
        if (args.host === undefined) {
            issues.add("tlsSecretName", args.tlsSecretName, "needs host: TLS on an Ingress is bound to host names");
        }
    }
    const upstream = resolveUpstream(issues, args);
    const cache =
        args.cache && resolveProxyCacheSettings(issues, "cache", args.cache, { authenticated: true, consumerMapping: false, redis });
    const session = resolveSession(issues, name, args, publicUrl);
    if (redis && kongVersion && args.mode === "browser" && kongEdition === "enterprise") {
        const warning = checkSessionRedis(issues, "redis", redis, kongVersion);
        if (warning) {
            warnings.push(`KongOidcRoute "${name}": redis.database = ${redis.database}: ${warning}`);
        }
    }
    for (const [index, plugin] of (args.extraPlugins ?? []).entries()) {
        checkKubernetesName(issues, `extraPlugins[${index}]`, plugin);
    }
    if (!upstream || publicUrl === undefined || !kongVersion) {
        return { warnings };
    }
    const route: RouteModel = {
        name,
        namespace: args.namespace,
        publicUrl,
        path: args.path,
        mode: args.mode,
        kongEdition,
        jwtConsumer: args.jwtConsumer,
        upstream,
        host: args.host,
        tlsSecretName: args.tlsSecretName,
        stripPath: args.stripPath ?? true,
        protocols: args.protocols,
        authMethods,
        audienceClaim: args.audienceClaim ?? ["client_id"],
        sslVerify,
        kongVersion,
        redis,
        redisPassword: args.redis?.password,
        session,
        cache,
        extraPlugins: args.extraPlugins ?? [],
        gateway: args.gateway,
    };
    return { route, warnings };
}

/** UpstreamService by its former name. */
export type UpstreamServiceArgs = UpstreamService;

/** A route's provider and its own Inputs, resolved: what its openid-connect settings are made of. */
export interface ResolvedRouteOidc {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly scopes: readonly string[];
    readonly requiredScopes: readonly string[];
    readonly logoutEndpoint?: string;
    readonly revocationEndpoint?: string;
    /** Browser routes. A secret. */
    readonly sessionSecret?: string;
    /** With `route.redis`. A secret. */
    readonly redisPassword?: string;
    readonly publicUrl: string;
    /** Browser routes. */
    readonly signedOutUrl?: string;
    /** Browser routes. */
    readonly secureCookie?: boolean;
}

/** The openid-connect settings of a route, once its Inputs are known. May hold secrets. */
export function routeOidcSettings(route: RouteModel, resolved: ResolvedRouteOidc): OpenIdConnectSettings {
    const { clientId, logoutEndpoint } = resolved;
    return {
        issuer: resolved.issuer,
        clientId,
        clientSecret: resolved.clientSecret,
        authMethods: route.authMethods,
        scopes: resolved.scopes,
        scopesRequired: resolved.requiredScopes,
        audienceClaim: route.audienceClaim,
        sslVerify: route.sslVerify,
        redirectUri: route.authMethods.includes("authorization_code") ? resolved.publicUrl : undefined,
        session: route.session
            ? {
                  sessionSecret: resolved.sessionSecret!,
                  secureCookie: resolved.secureCookie!,
                  sessionCookieName: route.session.sessionCookieName,
                  authorizationCookieName: route.session.authorizationCookieName,
                  cookiePath: route.session.cookiePath,
                  redis: route.redis && redisConfig(route.redis, resolved.redisPassword),
                  logoutSuffix: route.session.logoutPath,
                  logoutMethods: route.session.logoutMethods,
                  signedOutUrl: resolved.signedOutUrl!,
                  endSessionEndpoint:
                      logoutEndpoint !== undefined ? idpLogoutUrl(logoutEndpoint, clientId, resolved.signedOutUrl!) : undefined,
                  revocationEndpoint: resolved.revocationEndpoint,
              }
            : undefined,
    };
}
