// The Kong Ingress Controller target: a route becomes an upstream Service (ExternalName for an
// upstream URL), its openid-connect config in a Secret, a KongPlugin reading it (configFrom), the
// route's KongProxyCache, and last the Ingress that attaches them (`konghq.com/plugins`).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesName, KONG_COGNITO_LABELS } from "../kubernetes";
import { Issues } from "../validation";
import type { RouteModel } from "./routeModel";
import { cacheConfigJson, EmittedCache, EmittedRoute, KongTargetEmitter, ProxyCacheModel, RouteScope } from "./targets";

/** What a route registers on the ingress target. */
export interface IngressRouteResources {
    readonly target: "ingress";
    readonly ingress: k8s.networking.v1.Ingress;
    readonly oidcPlugin: k8s.apiextensions.CustomResource;
    /** Holds the openid-connect config, client secret included. */
    readonly oidcConfigSecret: k8s.core.v1.Secret;
    /**
     * The ExternalName Service of an upstream URL or of an upstreamService in another namespace;
     * undefined for an upstreamService in the route's namespace.
     */
    readonly upstreamService?: k8s.core.v1.Service;
}

/** What a cache registers on the ingress target. */
export interface IngressCacheResources {
    readonly target: "ingress";
    readonly plugin: k8s.apiextensions.CustomResource;
    /** Holds the config when it holds a secret (the Redis password). */
    readonly configSecret?: k8s.core.v1.Secret;
}

const KONG_PLUGIN = { apiVersion: "configuration.konghq.com/v1", kind: "KongPlugin" } as const;

/**
 * Labels of a Secret a KongPlugin reads its config from: KIC >= 3.2 validates only Secrets labelled
 * `konghq.com/validate: plugin` (its admission webhook selects on the label, and the label "will be
 * required"); Kong Operator 2.x ignores Secrets without `konghq.com/secret: "true"`.
 */
const PLUGIN_CONFIG_SECRET_LABELS = { "konghq.com/validate": "plugin", "konghq.com/secret": "true" };

/** A Secret holding a plugin's whole config (KIC configFrom), as `stringData.config`. */
function pluginConfigSecret(
    name: string,
    namespace: pulumi.Input<string> | undefined,
    labels: Record<string, string>,
    config: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: { name, namespace, labels: { ...labels, ...PLUGIN_CONFIG_SECRET_LABELS } },
            type: "Opaque",
            stringData: { config },
        },
        opts,
    );
}

function checkNamespace(issues: Issues, namespace: unknown, rule: string): void {
    if (namespace === undefined) {
        issues.add("namespace", namespace, rule);
    }
}

function emitRoute(scope: RouteScope, route: RouteModel): EmittedRoute<IngressRouteResources> {
    const name = route.name;
    const childOpts: pulumi.CustomResourceOptions = { parent: scope.parent };
    const namespace = route.namespace;
    const labels = { ...KONG_COGNITO_LABELS, "kong-cognito/route": name };

    let upstreamService: k8s.core.v1.Service | undefined;
    let backend: { name: pulumi.Input<string>; port: number };
    if (route.upstream.kind === "url") {
        const url = route.upstream.url;
        const annotations: Record<string, string> = { "konghq.com/protocol": url.protocol };
        if (url.path !== undefined) {
            annotations["konghq.com/path"] = url.path;
        }
        if (url.protocol === "https") {
            // Without it Kong encrypts to the upstream but accepts any certificate (KIC >= 3.4).
            annotations["konghq.com/tls-verify"] = "true";
        }
        upstreamService = new k8s.core.v1.Service(
            `${name}-upstream`,
            {
                metadata: { name: `${name}-upstream`, namespace, labels, annotations },
                spec: {
                    type: "ExternalName",
                    externalName: url.host,
                    ports: [{ name: url.protocol, port: url.port, protocol: "TCP" }],
                },
            },
            childOpts,
        );
        backend = { name: upstreamService.metadata.name, port: url.port };
    } else if (route.upstream.service.namespace !== undefined && route.upstream.service.namespace !== namespace) {
        // An Ingress reaches Services of its own namespace only: a Service elsewhere is reached by its cluster DNS name.
        const service = route.upstream.service;
        upstreamService = new k8s.core.v1.Service(
            `${name}-upstream`,
            {
                metadata: { name: `${name}-upstream`, namespace, labels },
                spec: {
                    type: "ExternalName",
                    externalName: pulumi.interpolate`${service.name}.${service.namespace}.svc.cluster.local`,
                    ports: [{ name: "http", port: service.port, protocol: "TCP" }],
                },
            },
            childOpts,
        );
        backend = { name: upstreamService.metadata.name, port: service.port };
    } else {
        backend = route.upstream.service;
    }

    // The whole config, client secret included, lives in a Secret (KIC configFrom).
    const oidcConfigSecret = pluginConfigSecret(`${name}-oidc-config`, namespace, labels, scope.oidcConfig, childOpts);
    const oidcPlugin = new k8s.apiextensions.CustomResource(
        `${name}-oidc`,
        {
            ...KONG_PLUGIN,
            metadata: { name: `${name}-oidc`, namespace, labels },
            plugin: "openid-connect",
            configFrom: { secretKeyRef: { name: oidcConfigSecret.metadata.name, key: "config" } },
        },
        { ...childOpts, dependsOn: [oidcConfigSecret] },
    );

    const plugins: pulumi.Resource[] = [oidcConfigSecret, oidcPlugin];
    const pluginNames: pulumi.Input<string>[] = [oidcPlugin.metadata.name];
    const cache = route.cache && scope.cache(route.cache, { namespace, pluginName: `${name}-proxycache` });
    if (cache) {
        plugins.push(cache);
        pluginNames.push(cache.pluginName);
    }
    pluginNames.push(...route.extraPlugins);
    const allPluginNames = pulumi.all(pluginNames);

    const annotations: Record<string, pulumi.Input<string>> = {
        "konghq.com/plugins": allPluginNames.apply((names) => names.join(",")),
        "konghq.com/strip-path": route.stripPath ? "true" : "false",
    };
    if (route.upstream.kind === "url") {
        // Send the upstream's own host name, not the client's: external hosts route by it.
        annotations["konghq.com/preserve-host"] = "false";
    }
    if (route.protocols !== undefined) {
        annotations["konghq.com/protocols"] = route.protocols.join(",");
    }
    const ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
            metadata: { name, namespace, labels, annotations },
            spec: {
                ingressClassName: "kong",
                rules: [
                    {
                        host: route.host,
                        http: {
                            paths: [
                                {
                                    path: route.path,
                                    pathType: "Prefix",
                                    backend: { service: { name: backend.name, port: { number: backend.port } } },
                                },
                            ],
                        },
                    },
                ],
                tls:
                    route.tlsSecretName !== undefined && route.host !== undefined
                        ? [{ hosts: [route.host], secretName: route.tlsSecretName }]
                        : undefined,
            },
        },
        // Resource order: the Ingress is created (and updated) only after its auth plugin and config.
        { ...childOpts, dependsOn: plugins },
    );
    return {
        resources: { target: "ingress", ingress, oidcPlugin, oidcConfigSecret, upstreamService },
        routeName: ingress.metadata.name,
        pluginNames: allPluginNames,
        cache,
    };
}

function emitCache(parent: pulumi.ComponentResource, name: string, cache: ProxyCacheModel): EmittedCache<IngressCacheResources> {
    const { pluginName, namespace } = cache.placement;
    // A config with the Redis password in it goes into a Secret, like the openid-connect config.
    const configSecret =
        cache.redisPassword !== undefined
            ? pluginConfigSecret(`${pluginName}-config`, namespace, KONG_COGNITO_LABELS, cacheConfigJson(cache), { parent })
            : undefined;
    const plugin = new k8s.apiextensions.CustomResource(
        `${name}-plugin`,
        {
            ...KONG_PLUGIN,
            metadata: { name: pluginName, namespace, labels: KONG_COGNITO_LABELS },
            plugin: cache.plugin,
            ...(configSecret
                ? { configFrom: { secretKeyRef: { name: configSecret.metadata.name, key: "config" } } }
                : { config: cache.config }),
        },
        { parent, dependsOn: configSecret ? [configSecret] : [] },
    );
    return { resources: { target: "ingress", plugin, configSecret }, pluginName: plugin.metadata.name };
}

export const ingressTarget: KongTargetEmitter<IngressRouteResources, IngressCacheResources> = {
    routeArgs: ["tlsSecretName", "extraPlugins"],
    cacheArgs: ["namespace", "pluginName"],
    checkRoute: (issues, route) =>
        checkNamespace(issues, route.namespace, "the ingress target needs the namespace of the Ingress and its plugins"),
    checkCache: (issues, cache) => {
        checkKubernetesName(issues, "pluginName", cache.placement.pluginName);
        checkNamespace(issues, cache.placement.namespace, "the ingress target needs the namespace of the Ingress or Service it caches");
    },
    emitRoute,
    emitCache,
};
