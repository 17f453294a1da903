// What a KongOidcRoute is, whatever the target: its args, and the model they resolve to once
// (defaults applied, every rule checked, the cache settings resolved and kept). Emitters read the
// model; nothing here registers a resource.
import * as pulumi from "@pulumi/pulumi";
import { checkHostname, checkKubernetesName, checkKubernetesObjectName } from "../kubernetes";
import { checkHttpsUrl, OidcProviderArgs, ROUTE_MODES, RouteMode, routeUrl } from "../oidc";
import { Issues, ResolvedOnce } from "../validation";
import { ProxyCacheOptions, resolveProxyCacheSettings } from "./proxyCache";
import {
    checkAuthMethods,
    checkRoutePath,
    checkRouteProtocols,
    DEFAULT_AUTH_METHODS,
    parseUpstreamUrl,
    ProxyCacheSettings,
    UpstreamUrl,
} from "./rules";
import { checkTarget, emitterOf, KongTarget } from "./targets";

/** An in-cluster upstream: a Service in the route's namespace. */
export interface UpstreamServiceArgs {
    readonly name: pulumi.Input<string>;
    readonly port: number;
}

export interface KongOidcRouteArgs {
    /**
     * How Kong is configured: `ingress` (Kong Ingress Controller objects) or `admin` (Kong's Admin
     * API through the `kong` provider). @default "ingress"
     */
    readonly target?: KongTarget;
    /**
     * Namespace of the Ingress, its KongPlugins and Secret (KIC attaches plugins within a namespace);
     * on the admin target, of upstreamService. Required for the ingress target.
     */
    readonly namespace?: pulumi.Input<string>;
    /** HTTPS base URL of the Kong proxy as users reach it, e.g. `https://kong.example.com`. */
    readonly publicBaseUrl: string;
    /** Path prefix of the route, e.g. `/oidcroute`. */
    readonly path: string;
    /** `api`: bearer tokens and client credentials; `browser`: sign-in through the IdP and a session. */
    readonly mode: RouteMode;
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
    /** ingress: TLS Secret for `host` on the Ingress. @default none (TLS terminated in front of Kong) */
    readonly tlsSecretName?: string;
    /** Strip the route path before proxying. @default true */
    readonly stripPath?: boolean;
    /**
     * Protocols the Kong route accepts (ingress: the `konghq.com/protocols` annotation).
     * @default ["http", "https"] (TLS often ends in front of Kong)
     */
    readonly protocols?: string[];
    /** openid-connect `auth_methods`. @default api: bearer, client_credentials; browser: authorization_code, session */
    readonly authMethods?: string[];
    /** Token claim holding the audience. @default ["client_id"] (Cognito access tokens carry no aud) */
    readonly audienceClaim?: string[];
    /** Verify the IdP's TLS certificate. Turn off only for a demo. @default true */
    readonly sslVerify?: boolean;
    /** Cache responses with proxy-cache; the key varies by Authorization. @default no cache */
    readonly cache?: ProxyCacheOptions;
    /** ingress: names of other KongPlugins in the namespace to attach. @default none */
    readonly extraPlugins?: string[];
}

/** Where a route sends its traffic. */
export type Upstream =
    { readonly kind: "url"; readonly url: UpstreamUrl } | { readonly kind: "service"; readonly service: UpstreamServiceArgs };

/** A route as every target sees it: validated, defaults applied. Plain data apart from Inputs the user gave. */
export interface RouteModel {
    /** The component's name; Kubernetes objects and Kong entities derive their names from it. */
    readonly name: string;
    readonly namespace?: pulumi.Input<string>;
    /** Where users and clients call the route, e.g. `https://kong.example.com/oidcroute`. */
    readonly publicUrl: string;
    readonly path: string;
    readonly mode: RouteMode;
    readonly upstream: Upstream;
    readonly host?: string;
    readonly tlsSecretName?: string;
    readonly stripPath: boolean;
    /** Given explicitly, or undefined for the target's default. */
    readonly protocols?: string[];
    readonly authMethods: string[];
    readonly audienceClaim: string[];
    readonly sslVerify: boolean;
    /** The cache settings, resolved; undefined for an uncached route. */
    readonly cache?: ProxyCacheSettings;
    readonly extraPlugins: string[];
}

/** A route resolved for one target. */
export interface ResolvedKongOidcRouteArgs {
    readonly target: KongTarget;
    readonly route: RouteModel;
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
        if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65535) {
            issues.add("upstreamService.port", service.port, "must be a port number from 1 to 65535");
        }
        return { kind: "service", service };
    }
    issues.add("upstreamUrl", upstreamUrl, "set exactly one of upstreamUrl and upstreamService");
    return undefined;
}

function resolveArgs(name: string, args: Omit<KongOidcRouteArgs, "oidc">): ResolvedKongOidcRouteArgs {
    const issues = new Issues(`KongOidcRoute "${name}"`);
    const target = args.target ?? "ingress";
    const knownTarget = checkTarget(issues, target, args, (emitter) => emitter.routeArgs);
    checkKubernetesName(issues, "name", name, MAX_ROUTE_NAME);
    if (args.protocols !== undefined) {
        checkRouteProtocols(issues, "protocols", args.protocols);
    }
    checkRoutePath(issues, "path", args.path ?? "");
    if (!ROUTE_MODES.includes(args.mode)) {
        issues.add("mode", args.mode, `must be one of ${ROUTE_MODES.join(", ")}`);
    }
    const authMethods = args.authMethods ?? [...(DEFAULT_AUTH_METHODS[args.mode] ?? [])];
    checkAuthMethods(issues, "authMethods", authMethods);

    const before = issues.all.length;
    checkHttpsUrl(issues, "publicBaseUrl", args.publicBaseUrl ?? "", { allowPath: false });
    const baseUrlOk = issues.all.length === before;
    if (baseUrlOk && args.host !== undefined) {
        const baseHost = new URL(args.publicBaseUrl).hostname;
        if (baseHost !== args.host) {
            issues.add("host", args.host, `must be the host of publicBaseUrl (${baseHost}), where callbacks arrive`);
        }
    }
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
    const cache = args.cache && resolveProxyCacheSettings(issues, "cache", args.cache, { authenticated: true, consumerMapping: false });
    for (const [index, plugin] of (args.extraPlugins ?? []).entries()) {
        checkKubernetesName(issues, `extraPlugins[${index}]`, plugin);
    }
    if (!upstream || !baseUrlOk || !knownTarget) {
        return issues.stop();
    }
    const route: RouteModel = {
        name,
        namespace: args.namespace,
        publicUrl: routeUrl(args.publicBaseUrl, args.path),
        path: args.path,
        mode: args.mode,
        upstream,
        host: args.host,
        tlsSecretName: args.tlsSecretName,
        stripPath: args.stripPath ?? true,
        protocols: args.protocols,
        authMethods,
        audienceClaim: args.audienceClaim ?? ["client_id"],
        sslVerify: args.sslVerify ?? true,
        cache,
        extraPlugins: args.extraPlugins ?? [],
    };
    emitterOf(target).checkRoute(issues, route);
    issues.throwIfAny();
    return { target, route };
}

const resolutions = new ResolvedOnce<Omit<KongOidcRouteArgs, "oidc">, ResolvedKongOidcRouteArgs>(resolveArgs, ["oidc"]);

/**
 * Resolves a route's args into its target and target-free model; throws one KongCognitoInputError
 * listing every broken rule. Registers nothing; a stack resolves every route before it registers
 * anything, and the constructor then finds the same args resolved (the OIDC provider is not read).
 */
export function resolveKongOidcRouteArgs(name: string, args: Omit<KongOidcRouteArgs, "oidc">): ResolvedKongOidcRouteArgs {
    return resolutions.get(name, args);
}
