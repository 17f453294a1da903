// KongOidcRoute: one route through Kong, protected by the openid-connect plugin, on the Kong
// Ingress Controller: upstream Service, plugin config in a Secret, KongPlugin, and the Ingress
// last, so the route never exists without its auth.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KongProxyCache, ProxyCacheOptions, resolveProxyCacheSettings } from "./kongProxyCache";
import {
    checkAuthMethods,
    checkHostname,
    checkKubernetesName,
    checkRoutePath,
    DEFAULT_AUTH_METHODS,
    KONG_COGNITO_LABELS,
    openIdConnectConfig,
    parseUpstreamUrl,
    ROUTE_MODES,
    RouteMode,
    UpstreamTarget,
} from "./kongRules";
import { checkHttpsUrl, Issues } from "./validation";

export const KONG_OIDC_ROUTE_TYPE = "kong-cognito:index:KongOidcRoute";

/** The identity provider and client the plugin trusts. `CognitoIdp.oidcSettings()` builds one. */
export interface OidcProviderArgs {
    /** Discovery URL (`<issuer>/.well-known/openid-configuration`) or issuer. */
    readonly issuer: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
    /** Kept in a Kubernetes Secret, never in the KongPlugin object. */
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
    /** Namespace of the Ingress, its KongPlugins and Secret (KIC attaches plugins within a namespace). */
    readonly namespace: pulumi.Input<string>;
    /** HTTPS base URL of the Kong proxy as users reach it, e.g. `https://kong.example.com`. */
    readonly publicBaseUrl: string;
    /** Path prefix of the route, e.g. `/oidcroute`. */
    readonly path: string;
    /** `api`: bearer tokens and client credentials; `browser`: sign-in through the IdP and a session. */
    readonly mode: RouteMode;
    readonly oidc: OidcProviderArgs;
    /** External upstream, e.g. `http://httpbin.org` (an ExternalName Service). Exclusive with upstreamService. */
    readonly upstreamUrl?: string;
    /** In-cluster upstream. Exclusive with upstreamUrl. */
    readonly upstreamService?: UpstreamServiceArgs;
    /** Host the Ingress matches; must be the host of publicBaseUrl. @default any host */
    readonly host?: string;
    /** TLS Secret for `host` on the Ingress. @default none (TLS terminated in front of Kong) */
    readonly tlsSecretName?: string;
    /** Strip the route path before proxying. @default true */
    readonly stripPath?: boolean;
    /** openid-connect `auth_methods`. @default api: bearer, client_credentials; browser: authorization_code, session */
    readonly authMethods?: string[];
    /** Token claim holding the audience. @default ["client_id"] (Cognito access tokens carry no aud) */
    readonly audienceClaim?: string[];
    /** Verify the IdP's TLS certificate. Turn off only for a demo. @default true */
    readonly sslVerify?: boolean;
    /** Cache responses with proxy-cache; the key varies by Authorization. @default no cache */
    readonly cache?: ProxyCacheOptions;
    /** Names of other KongPlugins in the namespace to attach. @default none */
    readonly extraPlugins?: string[];
}

export interface ResolvedKongOidcRouteArgs {
    readonly ingressName: string;
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
    checkKubernetesName(issues, "name", name, MAX_ROUTE_NAME);
    checkRoutePath(issues, "path", args.path ?? "");
    if (!ROUTE_MODES.includes(args.mode)) {
        issues.add("mode", args.mode, `must be one of ${ROUTE_MODES.join(", ")}`);
    }
    const authMethods = args.authMethods ?? [...(DEFAULT_AUTH_METHODS[args.mode] ?? [])];
    checkAuthMethods(issues, "authMethods", authMethods);

    const baseIssues = issues.count;
    checkHttpsUrl(issues, "publicBaseUrl", args.publicBaseUrl ?? "", { allowPath: false });
    let publicUrl = "";
    if (issues.count === baseIssues) {
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
        checkKubernetesName(issues, "tlsSecretName", args.tlsSecretName, 253);
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
    }

    if (args.cache) {
        resolveProxyCacheSettings(issues, "cache", args.cache, { authenticated: true, consumerMapping: false });
    }
    for (const [index, plugin] of (args.extraPlugins ?? []).entries()) {
        checkKubernetesName(issues, `extraPlugins[${index}]`, plugin);
    }

    issues.throwIfAny();
    return {
        ingressName: name,
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
 * A Kong route behind openid-connect on the Kong Ingress Controller.
 *
 * Children: `<name>-upstream` (ExternalName Service, for upstreamUrl), `<name>-oidc-config`
 * (Secret with the plugin config), `<name>-oidc` (KongPlugin), `<name>-cache` (KongProxyCache,
 * with cache) and `<name>-ingress`, which depends on all the plugins.
 */
export class KongOidcRoute extends pulumi.ComponentResource {
    readonly ingress: k8s.networking.v1.Ingress;
    readonly oidcPlugin: k8s.apiextensions.CustomResource;
    readonly oidcConfigSecret: k8s.core.v1.Secret;
    readonly upstreamService?: k8s.core.v1.Service;
    readonly cache?: KongProxyCache;

    /** Where users and clients call the route, e.g. `https://kong.example.com/oidcroute`. */
    readonly url: pulumi.Output<string>;
    readonly ingressName: pulumi.Output<string>;
    /** KongPlugins attached to the Ingress, auth first. */
    readonly pluginNames: pulumi.Output<string[]>;

    constructor(name: string, args: KongOidcRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveKongOidcRouteArgs(name, args);
        super(KONG_OIDC_ROUTE_TYPE, name, {}, opts);
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        const namespace = args.namespace;
        const labels = { ...KONG_COGNITO_LABELS, "kong-cognito/route": name };

        let backendService: pulumi.Input<string>;
        let backendPort: number;
        if (resolved.upstream.kind === "url") {
            const target = resolved.upstream.target;
            const annotations: Record<string, string> = { "konghq.com/protocol": target.protocol };
            if (target.path !== undefined) {
                annotations["konghq.com/path"] = target.path;
            }
            this.upstreamService = new k8s.core.v1.Service(
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
            backendService = this.upstreamService.metadata.name;
            backendPort = target.port;
        } else {
            backendService = resolved.upstream.service.name;
            backendPort = resolved.upstream.service.port;
        }

        const config = pulumi
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
            );

        // The whole config, client secret included, lives in a Secret (KIC configFrom).
        this.oidcConfigSecret = new k8s.core.v1.Secret(
            `${name}-oidc-config`,
            {
                metadata: { name: `${name}-oidc-config`, namespace, labels },
                type: "Opaque",
                stringData: { config: pulumi.secret(config) },
            },
            childOpts,
        );
        this.oidcPlugin = new k8s.apiextensions.CustomResource(
            `${name}-oidc`,
            {
                apiVersion: "configuration.konghq.com/v1",
                kind: "KongPlugin",
                metadata: { name: `${name}-oidc`, namespace, labels },
                plugin: "openid-connect",
                configFrom: { secretKeyRef: { name: this.oidcConfigSecret.metadata.name, key: "config" } },
            },
            { ...childOpts, dependsOn: [this.oidcConfigSecret] },
        );

        const plugins: pulumi.Resource[] = [this.oidcConfigSecret, this.oidcPlugin];
        const pluginNames: pulumi.Input<string>[] = [this.oidcPlugin.metadata.name];
        if (resolved.cache) {
            this.cache = new KongProxyCache(
                `${name}-cache`,
                {
                    ...resolved.cache,
                    namespace,
                    pluginName: `${name}-proxycache`,
                    authenticated: true,
                    consumerMapping: false,
                },
                { parent: this },
            );
            plugins.push(this.cache);
            pluginNames.push(this.cache.pluginName);
        }
        pluginNames.push(...resolved.extraPlugins);
        this.pluginNames = pulumi.all(pluginNames);

        const ingressAnnotations: Record<string, pulumi.Input<string>> = {
            "konghq.com/plugins": this.pluginNames.apply((names) => names.join(",")),
            "konghq.com/strip-path": resolved.stripPath ? "true" : "false",
        };
        if (resolved.upstream.kind === "url") {
            // Send the upstream's own host name, not the client's: external hosts route by it.
            ingressAnnotations["konghq.com/preserve-host"] = "false";
        }
        this.ingress = new k8s.networking.v1.Ingress(
            `${name}-ingress`,
            {
                metadata: { name: resolved.ingressName, namespace, labels, annotations: ingressAnnotations },
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

        this.url = pulumi.output(resolved.publicUrl);
        this.ingressName = this.ingress.metadata.name;
        this.registerOutputs({ url: this.url, ingressName: this.ingressName, pluginNames: this.pluginNames });
    }
}
