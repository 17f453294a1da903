// KongOidcRoute: one route through Kong, protected by the openid-connect plugin, on either target:
// the Kong Ingress Controller (Service, plugin config in a Secret, KongPlugin, Ingress last) or
// Kong's Admin API (service, plugins bound to the service, route last). Either way the route never
// exists without its auth.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KongPlugin, KongRoute, KongService } from "./kongProvider";
import { KongProxyCache, ProxyCacheOptions, resolveProxyCacheSettings } from "./kongProxyCache";
import {
    checkAuthMethods,
    checkHostname,
    checkKubernetesName,
    checkKubernetesObjectName,
    checkRoutePath,
    DEFAULT_AUTH_METHODS,
    KONG_COGNITO_LABELS,
    openIdConnectConfig,
    parseUpstreamUrl,
    ROUTE_MODES,
    RouteMode,
    TARGETS,
    KongTarget,
    UpstreamTarget,
} from "./kongRules";
import { checkHttpsUrl, isPlain, Issues } from "./validation";

export const KONG_OIDC_ROUTE_TYPE = "kong-cognito:index:KongOidcRoute";

/** The identity provider and client the plugin trusts. `CognitoIdp.oidcSettings()` builds one. */
export interface OidcProviderArgs {
    /** Discovery URL (`<issuer>/.well-known/openid-configuration`) or issuer. */
    readonly issuer: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
    /** Kept in a Kubernetes Secret (ingress) or a secret configJson (admin), never in plain state. */
    readonly clientSecret: pulumi.Input<string>;
    /** Scopes Kong requests from the IdP (client_credentials, authorization_code). @default ["openid"] */
    readonly scopes?: pulumi.Input<string[]>;
    /** Scopes every token must carry. @default none */
    readonly requiredScopes?: pulumi.Input<string[]>;
}

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

export interface ResolvedKongOidcRouteArgs {
    readonly target: KongTarget;
    readonly namespace?: pulumi.Input<string>;
    /** Given explicitly, or the target's default (admin: ["http", "https"]; ingress: KIC's). */
    readonly protocols?: string[];
    readonly publicUrl: string;
    readonly path: string;
    readonly mode: RouteMode;
    readonly upstream: { kind: "url"; target: UpstreamTarget } | { kind: "service"; service: UpstreamServiceArgs };
    readonly host?: string;
    readonly tlsSecretName?: string;
    readonly stripPath: boolean;
    readonly authMethods: string[];
    readonly audienceClaim: string[];
    readonly sslVerify: boolean;
    readonly cache?: ProxyCacheOptions;
    readonly extraPlugins: string[];
}

/** Longest route name that leaves room for the `-oidc-config` suffix in a 63-character name. */
const MAX_ROUTE_NAME = 50;

/** Applies defaults and checks every plain value; registers nothing. */
export function resolveKongOidcRouteArgs(name: string, args: Omit<KongOidcRouteArgs, "oidc">): ResolvedKongOidcRouteArgs {
    const issues = new Issues(`KongOidcRoute "${name}"`);
    const target = args.target ?? "ingress";
    if (!TARGETS.includes(target)) {
        issues.add("target", target, `must be one of ${TARGETS.join(", ")}`);
    }
    checkKubernetesName(issues, "name", name, MAX_ROUTE_NAME);
    if (target === "ingress" && args.namespace === undefined) {
        issues.add("namespace", args.namespace, "the ingress target needs the namespace of the Ingress and its plugins");
    }
    if (target === "admin") {
        for (const [key, value] of [
            ["tlsSecretName", args.tlsSecretName],
            ["extraPlugins", args.extraPlugins],
        ] as const) {
            if (value !== undefined) {
                issues.add(key, value, "applies to the ingress target only");
            }
        }
    }
    if (args.protocols !== undefined && (args.protocols.length === 0 || args.protocols.some((p) => p !== "http" && p !== "https"))) {
        issues.add("protocols", args.protocols, 'must be "http" and/or "https"');
    }
    checkRoutePath(issues, "path", args.path ?? "");
    if (!ROUTE_MODES.includes(args.mode)) {
        issues.add("mode", args.mode, `must be one of ${ROUTE_MODES.join(", ")}`);
    }
    const authMethods = args.authMethods ?? [...(DEFAULT_AUTH_METHODS[args.mode] ?? [])];
    checkAuthMethods(issues, "authMethods", authMethods);

    const before = issues.all.length;
    checkHttpsUrl(issues, "publicBaseUrl", args.publicBaseUrl ?? "", { allowPath: false });
    let publicUrl = "";
    if (issues.all.length === before) {
        const base = new URL(args.publicBaseUrl);
        publicUrl = `${base.origin}${args.path}`;
        if (args.host !== undefined && base.hostname !== args.host) {
            issues.add("host", args.host, `must be the host of publicBaseUrl (${base.hostname}), where callbacks arrive`);
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

    let upstream: ResolvedKongOidcRouteArgs["upstream"] | undefined;
    if ((args.upstreamUrl === undefined) === (args.upstreamService === undefined)) {
        issues.add("upstreamUrl", args.upstreamUrl, "set exactly one of upstreamUrl and upstreamService");
    } else if (args.upstreamUrl !== undefined) {
        const target = parseUpstreamUrl(issues, "upstreamUrl", args.upstreamUrl);
        upstream = target && { kind: "url", target };
    } else if (args.upstreamService !== undefined) {
        const port = args.upstreamService.port;
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            issues.add("upstreamService.port", port, "must be a port number from 1 to 65535");
        }
        upstream = { kind: "service", service: args.upstreamService };
        if (target === "admin") {
            // Kong running in the cluster reaches the Service by its cluster DNS name.
            const { name: serviceName } = args.upstreamService;
            if (args.namespace === undefined) {
                issues.add("namespace", undefined, "the admin target needs the namespace of upstreamService to build its cluster DNS name");
            } else if (!isPlain(serviceName) || !isPlain(args.namespace)) {
                issues.add("upstreamService.name", "(an Output)", "the admin target needs the Service name and namespace as plain strings");
            } else {
                upstream = { kind: "url", target: { protocol: "http", host: `${serviceName}.${args.namespace}.svc`, port } };
            }
        }
    }

    if (args.cache) {
        resolveProxyCacheSettings(issues, "cache", args.cache, { authenticated: true, consumerMapping: false });
    }
    for (const [index, plugin] of (args.extraPlugins ?? []).entries()) {
        checkKubernetesName(issues, `extraPlugins[${index}]`, plugin);
    }

    issues.throwIfAny();
    return {
        target,
        namespace: args.namespace,
        protocols: args.protocols,
        publicUrl,
        path: args.path,
        mode: args.mode,
        upstream: upstream!,
        host: args.host,
        tlsSecretName: args.tlsSecretName,
        stripPath: args.stripPath ?? true,
        authMethods,
        audienceClaim: args.audienceClaim ?? ["client_id"],
        sslVerify: args.sslVerify ?? true,
        cache: args.cache,
        extraPlugins: args.extraPlugins ?? [],
    };
}

/**
 * A Kong route behind openid-connect.
 *
 * ingress target: `<name>-upstream` (ExternalName Service, for upstreamUrl), `<name>-oidc-config`
 * (Secret with the plugin config), `<name>-oidc` (KongPlugin), `<name>-cache` (KongProxyCache,
 * with cache) and `<name>-ingress`, which depends on all of them.
 *
 * admin target: `<name>-service` (Kong service), `<name>-oidc` (openid-connect plugin on the
 * service, secret configJson), `<name>-cache` (KongProxyCache on the service) and `<name>-route`,
 * created after its plugins so it is never reachable without auth.
 */
export class KongOidcRoute extends pulumi.ComponentResource {
    /** ingress target */
    readonly ingress?: k8s.networking.v1.Ingress;
    /** ingress target */
    readonly oidcConfigSecret?: k8s.core.v1.Secret;
    /** ingress target: the ExternalName Service of upstreamUrl */
    readonly upstreamService?: k8s.core.v1.Service;
    /** The openid-connect KongPlugin (ingress) or Kong plugin (admin). */
    readonly oidcPlugin: k8s.apiextensions.CustomResource | KongPlugin;
    /** admin target */
    readonly kongService?: KongService;
    /** admin target */
    readonly kongRoute?: KongRoute;
    readonly cache?: KongProxyCache;

    /** Where users and clients call the route, e.g. `https://kong.example.com/oidcroute`. */
    readonly url: pulumi.Output<string>;
    /** ingress: the Ingress's name; admin: the Kong route's name. */
    readonly routeName: pulumi.Output<string>;
    /** ingress: the KongPlugins attached to the Ingress; admin: the plugin types on the service. Auth first. */
    readonly pluginNames: pulumi.Output<string[]>;
    /** The openid-connect `auth_methods` of the route. */
    readonly authMethods: string[];

    constructor(name: string, args: KongOidcRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveKongOidcRouteArgs(name, args);
        super(KONG_OIDC_ROUTE_TYPE, name, {}, opts);
        const config = pulumi.secret(
            pulumi
                .all([
                    args.oidc.issuer,
                    args.oidc.clientId,
                    args.oidc.clientSecret,
                    args.oidc.scopes ?? ["openid"],
                    args.oidc.requiredScopes ?? [],
                ])
                .apply(([issuer, clientId, clientSecret, scopes, requiredScopes]) =>
                    JSON.stringify(
                        openIdConnectConfig({
                            issuer,
                            clientId,
                            clientSecret,
                            authMethods: resolved.authMethods,
                            scopes,
                            scopesRequired: requiredScopes,
                            audienceClaim: resolved.audienceClaim,
                            sslVerify: resolved.sslVerify,
                            redirectUri: resolved.authMethods.includes("authorization_code") ? resolved.publicUrl : undefined,
                        }),
                    ),
                ),
        );
        const parts = resolved.target === "admin" ? this.onAdminApi(name, resolved, config) : this.onIngress(name, resolved, config);
        this.oidcPlugin = parts.oidcPlugin;
        this.cache = parts.cache;
        this.routeName = parts.routeName;
        this.pluginNames = parts.pluginNames;
        this.ingress = parts.resources.ingress;
        this.oidcConfigSecret = parts.resources.oidcConfigSecret;
        this.upstreamService = parts.resources.upstreamService;
        this.kongService = parts.resources.kongService;
        this.kongRoute = parts.resources.kongRoute;
        this.url = pulumi.output(resolved.publicUrl);
        this.authMethods = resolved.authMethods;
        this.registerOutputs({ url: this.url, routeName: this.routeName, pluginNames: this.pluginNames });
    }

    private onIngress(name: string, resolved: ResolvedKongOidcRouteArgs, config: pulumi.Output<string>): TargetParts {
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        const namespace = resolved.namespace!;
        const labels = { ...KONG_COGNITO_LABELS, "kong-cognito/route": name };

        let upstreamService: k8s.core.v1.Service | undefined;
        let backendService: pulumi.Input<string>;
        let backendPort: number;
        if (resolved.upstream.kind === "url") {
            const target = resolved.upstream.target;
            const annotations: Record<string, string> = { "konghq.com/protocol": target.protocol };
            if (target.path !== undefined) {
                annotations["konghq.com/path"] = target.path;
            }
            upstreamService = new k8s.core.v1.Service(
                `${name}-upstream`,
                {
                    metadata: { name: `${name}-upstream`, namespace, labels, annotations },
                    spec: {
                        type: "ExternalName",
                        externalName: target.host,
                        ports: [{ name: target.protocol, port: target.port, protocol: "TCP" }],
                    },
                },
                childOpts,
            );
            backendService = upstreamService.metadata.name;
            backendPort = target.port;
        } else {
            backendService = resolved.upstream.service.name;
            backendPort = resolved.upstream.service.port;
        }

        // The whole config, client secret included, lives in a Secret (KIC configFrom).
        const oidcConfigSecret = new k8s.core.v1.Secret(
            `${name}-oidc-config`,
            { metadata: { name: `${name}-oidc-config`, namespace, labels }, type: "Opaque", stringData: { config } },
            childOpts,
        );
        const oidcPlugin = new k8s.apiextensions.CustomResource(
            `${name}-oidc`,
            {
                apiVersion: "configuration.konghq.com/v1",
                kind: "KongPlugin",
                metadata: { name: `${name}-oidc`, namespace, labels },
                plugin: "openid-connect",
                configFrom: { secretKeyRef: { name: oidcConfigSecret.metadata.name, key: "config" } },
            },
            { ...childOpts, dependsOn: [oidcConfigSecret] },
        );

        const plugins: pulumi.Resource[] = [oidcConfigSecret, oidcPlugin];
        const pluginNames: pulumi.Input<string>[] = [oidcPlugin.metadata.name];
        let cache: KongProxyCache | undefined;
        if (resolved.cache) {
            cache = new KongProxyCache(
                `${name}-cache`,
                { ...resolved.cache, namespace, pluginName: `${name}-proxycache`, authenticated: true, consumerMapping: false },
                { parent: this },
            );
            plugins.push(cache);
            pluginNames.push(cache.pluginName);
        }
        pluginNames.push(...resolved.extraPlugins);
        const allPluginNames = pulumi.all(pluginNames);

        const annotations: Record<string, pulumi.Input<string>> = {
            "konghq.com/plugins": allPluginNames.apply((names) => names.join(",")),
            "konghq.com/strip-path": resolved.stripPath ? "true" : "false",
        };
        if (resolved.upstream.kind === "url") {
            // Send the upstream's own host name, not the client's: external hosts route by it.
            annotations["konghq.com/preserve-host"] = "false";
        }
        if (resolved.protocols !== undefined) {
            annotations["konghq.com/protocols"] = resolved.protocols.join(",");
        }
        const ingress = new k8s.networking.v1.Ingress(
            `${name}-ingress`,
            {
                metadata: { name, namespace, labels, annotations },
                spec: {
                    ingressClassName: "kong",
                    rules: [
                        {
                            host: resolved.host,
                            http: {
                                paths: [
                                    {
                                        path: resolved.path,
                                        pathType: "Prefix",
                                        backend: { service: { name: backendService, port: { number: backendPort } } },
                                    },
                                ],
                            },
                        },
                    ],
                    tls:
                        resolved.tlsSecretName !== undefined && resolved.host !== undefined
                            ? [{ hosts: [resolved.host], secretName: resolved.tlsSecretName }]
                            : undefined,
                },
            },
            // Fail closed: the route is created (and updated) only after its auth plugin and config.
            { ...childOpts, dependsOn: plugins },
        );
        return {
            oidcPlugin,
            cache,
            routeName: ingress.metadata.name,
            pluginNames: allPluginNames,
            resources: { ingress, oidcConfigSecret, upstreamService },
        };
    }

    private onAdminApi(name: string, resolved: ResolvedKongOidcRouteArgs, config: pulumi.Output<string>): TargetParts {
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        const tags = ["kong-cognito", `kong-cognito-route-${name}`];
        if (resolved.upstream.kind !== "url") {
            throw new Error("unreachable: the admin target was validated to have an upstream URL");
        }
        const target = resolved.upstream.target;
        const kongService = new KongService(
            `${name}-service`,
            {
                name: `${name}-service`,
                protocol: target.protocol,
                host: target.host,
                port: target.port,
                path: target.path,
                tlsVerify: target.protocol === "https" ? true : undefined,
                tags,
            },
            childOpts,
        );
        // Plugins hang on the service, which serves no traffic until the route exists.
        const oidcPlugin = new KongPlugin(
            `${name}-oidc`,
            { name: "openid-connect", serviceId: kongService.id, configJson: config, enabled: true, strictMatch: true, tags },
            // Kong echoes the config, client secret included, in computedConfig: keep both secret in state.
            { ...childOpts, additionalSecretOutputs: ["configJson", "computedConfig"] },
        );
        const plugins: pulumi.Resource[] = [oidcPlugin];
        const pluginNames: string[] = ["openid-connect"];
        let cache: KongProxyCache | undefined;
        if (resolved.cache) {
            cache = new KongProxyCache(
                `${name}-cache`,
                { ...resolved.cache, target: "admin", serviceId: kongService.id, authenticated: true, consumerMapping: false },
                { parent: this },
            );
            plugins.push(cache);
            pluginNames.push("proxy-cache");
        }
        const kongRoute = new KongRoute(
            `${name}-route`,
            {
                name,
                serviceId: kongService.id,
                protocols: resolved.protocols ?? ["http", "https"],
                paths: [resolved.path],
                hosts: resolved.host !== undefined ? [resolved.host] : undefined,
                stripPath: resolved.stripPath,
                preserveHost: false,
                tags,
            },
            // Fail closed: the route exists only once its service carries the auth plugin.
            { ...childOpts, dependsOn: plugins },
        );
        return {
            oidcPlugin,
            cache,
            routeName: kongRoute.name,
            pluginNames: pulumi.output(pluginNames),
            resources: { kongService, kongRoute },
        };
    }
}

/** What each target builds, gathered onto the component. */
interface TargetParts {
    oidcPlugin: k8s.apiextensions.CustomResource | KongPlugin;
    cache?: KongProxyCache;
    routeName: pulumi.Output<string>;
    pluginNames: pulumi.Output<string[]>;
    resources: Partial<Pick<KongOidcRoute, "ingress" | "oidcConfigSecret" | "upstreamService" | "kongService" | "kongRoute">>;
}
