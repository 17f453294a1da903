// The Kong Ingress Controller's Ingress target: a route becomes an upstream Service (ExternalName
// for an upstream URL), its openid-connect config in a Secret, a KongPlugin reading it
// (configFrom), the route's KongProxyCache, and last the Ingress that attaches them
// (`konghq.com/plugins`). What it shares with the Gateway API target is in kic.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    checkCachePlacement,
    checkConsumerNamespace,
    checkNamespace,
    crossNamespaceService,
    emitKicCache,
    emitKicConsumer,
    KicCacheResources,
    KicConsumerResources,
    KicRouteAuth,
    KONG_INGRESS_CLASS,
    routeAnnotations,
    routeLabels,
    routePlugins,
    urlUpstreamService,
} from "./kic";
import type { RouteModel } from "../model/routeModel";
import type { EmittedRoute, KongTargetEmitter, RouteScope } from "../model/emitter";

/** What a route registers on the ingress target. */
export interface IngressRouteResources {
    readonly target: "ingress";
    readonly ingress: k8s.networking.v1.Ingress;
    /** The auth KongPlugins: `auth.plugin` tells which. */
    readonly auth: KicRouteAuth;
    /**
     * The ExternalName Service of an upstream URL or of an upstreamService in another namespace;
     * undefined for an upstreamService in the route's namespace.
     */
    readonly upstreamService?: k8s.core.v1.Service;
}

/** What a cache registers on the ingress target. */
export type IngressCacheResources = KicCacheResources<"ingress">;

/** What a KongJwtConsumer registers on the ingress target. */
export type IngressConsumerResources = KicConsumerResources<"ingress">;

function emitRoute(scope: RouteScope, route: RouteModel): EmittedRoute<IngressRouteResources> {
    const childOpts: pulumi.CustomResourceOptions = { parent: scope.parent };
    let upstreamService: k8s.core.v1.Service | undefined;
    let backend: { name: pulumi.Input<string>; port: number };
    if (route.upstream.kind === "url") {
        upstreamService = urlUpstreamService(route, route.upstream.url, childOpts);
        backend = { name: upstreamService.metadata.name, port: route.upstream.url.port };
    } else if (route.upstream.service.namespace !== undefined && route.upstream.service.namespace !== route.namespace) {
        // An Ingress reaches Services of its own namespace only: a Service elsewhere is reached by its cluster DNS name.
        upstreamService = crossNamespaceService(route, route.upstream.service, childOpts);
        backend = { name: upstreamService.metadata.name, port: route.upstream.service.port };
    } else {
        backend = route.upstream.service;
    }

    const plugins = routePlugins(scope, route);
    const ingress = new k8s.networking.v1.Ingress(
        `${route.name}-ingress`,
        {
            metadata: {
                name: route.name,
                namespace: route.namespace,
                labels: routeLabels(route),
                annotations: routeAnnotations(route, plugins.names),
            },
            spec: {
                ingressClassName: KONG_INGRESS_CLASS,
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
                    // Stryker disable next-line ConditionalExpression: the route model refuses tlsSecretName without host; the host check narrows its type
                    route.tlsSecretName !== undefined && route.host !== undefined
                        ? [{ hosts: [route.host], secretName: route.tlsSecretName }]
                        : undefined,
            },
        },
        // Resource order: the Ingress is created (and updated) only after its auth plugin and config.
        { ...childOpts, dependsOn: plugins.resources },
    );
    return {
        resources: { target: "ingress", ingress, auth: plugins.auth, upstreamService },
        routeName: ingress.metadata.name,
        pluginNames: plugins.names,
    };
}

export const ingressTarget: KongTargetEmitter<IngressRouteResources, IngressCacheResources, IngressConsumerResources> = {
    routeArgs: ["tlsSecretName", "extraPlugins"],
    cacheArgs: ["namespace", "pluginName"],
    consumerArgs: ["namespace"],
    checkRoute: (issues, route) =>
        checkNamespace(issues, route.namespace, "the ingress target needs the namespace of the Ingress and its plugins"),
    checkCache: (issues, cache) => checkCachePlacement(issues, cache, "ingress"),
    emitRoute,
    emitCache: emitKicCache("ingress"),
    checkConsumer: (issues, consumer) => checkConsumerNamespace(issues, consumer.namespace, "ingress"),
    emitConsumer: emitKicConsumer("ingress"),
};
