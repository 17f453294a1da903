// The Kong Ingress Controller target: a route becomes an upstream Service (ExternalName for an
// upstream URL), its openid-connect config in a Secret, a KongPlugin reading it (configFrom), the
// route's KongProxyCache, and last the Ingress that attaches them (`konghq.com/plugins`).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesName, KONG_COGNITO_LABELS } from "../kubernetes";
import { Issues } from "../validation";
import type { RouteModel } from "./routeModel";
import type { EmittedCache, EmittedRoute, KongTargetEmitter, ProxyCacheModel, RouteScope } from "./targets";

/** What a route registers on the ingress target. */
export interface IngressRouteResources {
    readonly target: "ingress";
    readonly ingress: k8s.networking.v1.Ingress;
    readonly oidcPlugin: k8s.apiextensions.CustomResource;
    /** Holds the openid-connect config, client secret included. */
    readonly oidcConfigSecret: k8s.core.v1.Secret;
    /** The ExternalName Service of an upstream URL; undefined for an in-cluster upstreamService. */
    readonly upstreamService?: k8s.core.v1.Service;
}

/** What a cache registers on the ingress target. */
export interface IngressCacheResources {
    readonly target: "ingress";
    readonly plugin: k8s.apiextensions.CustomResource;
}

const KONG_PLUGIN = { apiVersion: "configuration.konghq.com/v1", kind: "KongPlugin" } as const;

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
    } else {
        backend = route.upstream.service;
    }

    // The whole config, client secret included, lives in a Secret (KIC configFrom).
    const oidcConfigSecret = new k8s.core.v1.Secret(
        `${name}-oidc-config`,
        { metadata: { name: `${name}-oidc-config`, namespace, labels }, type: "Opaque", stringData: { config: scope.oidcConfig } },
        childOpts,
    );
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
    const plugin = new k8s.apiextensions.CustomResource(
        `${name}-plugin`,
        {
            ...KONG_PLUGIN,
            metadata: { name: cache.placement.pluginName, namespace: cache.placement.namespace, labels: KONG_COGNITO_LABELS },
            plugin: "proxy-cache",
            config: cache.config,
        },
        { parent },
    );
    return { resources: { target: "ingress", plugin }, pluginName: plugin.metadata.name };
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
