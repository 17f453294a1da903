// The Kong Ingress Controller's Gateway API target: a route becomes the same upstream Service,
// openid-connect Secret and KongPlugins as on the ingress target (kic.ts), and an HTTPRoute
// (gateway.networking.k8s.io/v1) attached to a Gateway. A Service in another namespace is
// referenced directly and granted by a ReferenceGrant in its namespace.
//
// Plugins attach with the `konghq.com/plugins` annotation, not an ExtensionRef filter: KIC turns an
// ExtensionRef KongPlugin filter into that same annotation (translator/subtranslator/httproute.go,
// generateKongRouteModifierFromExtensionRef), so both behave alike, a missing plugin included (KIC
// skips it and still publishes the route, whatever the Gateway API says of unresolved filters).
// The annotation keeps one attachment for both KIC targets, which the policy pack and the plan read.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesName, checkKubernetesObjectName } from "../../kubernetes";
import { isPlain, Issues } from "../../validation";
import {
    checkCachePlacement,
    checkConsumerNamespace,
    checkNamespace,
    emitKicCache,
    emitKicConsumer,
    KicCacheResources,
    KicConsumerResources,
    KicRouteAuth,
    routeAnnotations,
    routeLabels,
    routePlugins,
    urlUpstreamService,
} from "./kic";
import type { GatewayReference, RouteModel } from "../model/routeModel";
import type { EmittedRoute, KongTargetEmitter, RouteScope } from "../model/emitter";

/** What a route registers on the gateway target. */
export interface GatewayRouteResources {
    readonly target: "gateway";
    readonly httpRoute: k8s.apiextensions.CustomResource;
    /** The auth KongPlugins: `auth.plugin` tells which. */
    readonly auth: KicRouteAuth;
    /** The ExternalName Service of an upstream URL; undefined for an upstreamService. */
    readonly upstreamService?: k8s.core.v1.Service;
    /** In the namespace of an upstreamService elsewhere: lets the HTTPRoute reference that Service. */
    readonly referenceGrant?: k8s.apiextensions.CustomResource;
}

/** What a cache registers on the gateway target. */
export type GatewayCacheResources = KicCacheResources<"gateway">;

/** What a KongJwtConsumer registers on the gateway target. */
export type GatewayConsumerResources = KicConsumerResources<"gateway">;

/** The Gateway a route attaches to when it names none: the name Kong's Gateway API guides use. */
export const DEFAULT_GATEWAY_NAME = "kong";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
const HTTP_ROUTE = { apiVersion: `${GATEWAY_API_GROUP}/v1`, kind: "HTTPRoute" } as const;
/** v1beta1: the version KIC 3.x reads (internal/gatewayapi/aliases.go), served by every Gateway API release since 0.6. */
const REFERENCE_GRANT = { apiVersion: `${GATEWAY_API_GROUP}/v1beta1`, kind: "ReferenceGrant" } as const;

/**
 * What the Gateway API's CRDs refuse in a path match beyond its character pattern (the CEL rules
 * of HTTPPathMatch): the API server would refuse the HTTPRoute mid-deployment.
 */
const GATEWAY_PATH_RULES: readonly [test: (path: string) => boolean, rule: string][] = [
    [(p) => p.includes("//"), 'must not contain "//" (Gateway API path match)'],
    [(p) => p.includes("/./") || p.endsWith("/."), 'must not contain a "." segment (Gateway API path match)'],
    [(p) => p.includes("/../") || p.endsWith("/.."), 'must not contain a ".." segment (Gateway API path match)'],
    [(p) => /%2f/i.test(p), 'must not contain an encoded "/" (%2F) (Gateway API path match)'],
    [(p) => /%(?![0-9a-fA-F]{2})/.test(p), "must use % only in a percent-encoding such as %20 (Gateway API path match)"],
];

function checkGatewayReference(issues: Issues, gateway: GatewayReference | undefined): void {
    if (gateway === undefined) {
        return;
    }
    if (gateway.name !== undefined && isPlain(gateway.name)) {
        checkKubernetesObjectName(issues, "gateway.name", gateway.name);
    }
    if (gateway.namespace !== undefined && isPlain(gateway.namespace)) {
        checkKubernetesName(issues, "gateway.namespace", gateway.namespace);
    }
    if (gateway.sectionName !== undefined) {
        checkKubernetesObjectName(issues, "gateway.sectionName", gateway.sectionName);
    }
}

function checkRoute(issues: Issues, route: RouteModel): void {
    checkNamespace(issues, route.namespace, "the gateway target needs the namespace of the HTTPRoute and its plugins");
    checkGatewayReference(issues, route.gateway);
    for (const [test, rule] of GATEWAY_PATH_RULES) {
        if (test(route.path)) {
            issues.add("path", route.path, rule);
        }
    }
}

/** The parentRef of the route's Gateway: its namespace only when it is not the route's. */
function parentRef(gateway: GatewayReference | undefined): Record<string, pulumi.Input<string>> {
    return {
        group: GATEWAY_API_GROUP,
        kind: "Gateway",
        name: gateway?.name ?? DEFAULT_GATEWAY_NAME,
        ...(gateway?.namespace !== undefined ? { namespace: gateway.namespace } : {}),
        ...(gateway?.sectionName !== undefined ? { sectionName: gateway.sectionName } : {}),
    };
}

function emitRoute(scope: RouteScope, route: RouteModel): EmittedRoute<GatewayRouteResources> {
    const name = route.name;
    const childOpts: pulumi.CustomResourceOptions = { parent: scope.parent };
    const labels = routeLabels(route);
    let upstreamService: k8s.core.v1.Service | undefined;
    let referenceGrant: k8s.apiextensions.CustomResource | undefined;
    let backendRef: Record<string, pulumi.Input<string | number>>;
    if (route.upstream.kind === "url") {
        upstreamService = urlUpstreamService(route, route.upstream.url, childOpts);
        backendRef = { kind: "Service", name: upstreamService.metadata.name, port: route.upstream.url.port };
    } else if (route.upstream.service.namespace !== undefined && route.upstream.service.namespace !== route.namespace) {
        // An HTTPRoute may reference a Service elsewhere when that namespace grants it (KIC checks the grant).
        const service = { ...route.upstream.service, namespace: route.upstream.service.namespace };
        referenceGrant = new k8s.apiextensions.CustomResource(
            `${name}-backend-grant`,
            {
                ...REFERENCE_GRANT,
                metadata: { name: `${name}-backend`, namespace: service.namespace, labels },
                spec: {
                    from: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute", namespace: route.namespace }],
                    to: [{ group: "", kind: "Service", name: service.name }],
                },
            },
            childOpts,
        );
        backendRef = { kind: "Service", name: service.name, namespace: service.namespace, port: service.port };
    } else {
        backendRef = { kind: "Service", name: route.upstream.service.name, port: route.upstream.service.port };
    }

    const plugins = routePlugins(scope, route);
    const httpRoute = new k8s.apiextensions.CustomResource(
        `${name}-httproute`,
        {
            ...HTTP_ROUTE,
            metadata: { name, namespace: route.namespace, labels, annotations: routeAnnotations(route, plugins.names) },
            spec: {
                parentRefs: [parentRef(route.gateway)],
                ...(route.host !== undefined ? { hostnames: [route.host] } : {}),
                rules: [{ matches: [{ path: { type: "PathPrefix", value: route.path } }], backendRefs: [backendRef] }],
            },
        },
        // Resource order: the HTTPRoute is created (and updated) only after its auth plugin, its
        // config and the grant to its backend.
        { ...childOpts, dependsOn: [...plugins.resources, ...(referenceGrant ? [referenceGrant] : [])] },
    );
    return {
        resources: { target: "gateway", httpRoute, auth: plugins.auth, upstreamService, referenceGrant },
        routeName: httpRoute.metadata.name,
        pluginNames: plugins.names,
    };
}

export const gatewayTarget: KongTargetEmitter<GatewayRouteResources, GatewayCacheResources, GatewayConsumerResources> = {
    routeArgs: ["gateway", "extraPlugins"],
    cacheArgs: ["namespace", "pluginName"],
    consumerArgs: ["namespace"],
    checkRoute,
    checkCache: (issues, cache) => checkCachePlacement(issues, cache, "gateway"),
    emitRoute,
    emitCache: emitKicCache("gateway"),
    checkConsumer: (issues, consumer) => checkConsumerNamespace(issues, consumer.namespace, "gateway"),
    emitConsumer: emitKicConsumer("gateway"),
};
