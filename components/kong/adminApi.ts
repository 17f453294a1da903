// The Admin API target: a route becomes a Kong service (the upstream URL split into its parts),
// the openid-connect plugin on that service with a secret configJson, the route's KongProxyCache
// on the service, and last the Kong route, through the `kong` provider (provider.ts).
import * as pulumi from "@pulumi/pulumi";
import { Issues } from "../validation";
import { KongPlugin, KongRoute, KongService } from "./provider";
import type { RouteModel, Upstream } from "./routeModel";
import { prefixPaths, ROUTE_PROTOCOLS, UpstreamUrl } from "./rules";
import { cacheConfigJson } from "./pluginConfigs";
import type { EmittedCache, EmittedRoute, KongTargetEmitter, ProxyCacheModel, RouteScope } from "./targets";

/** What a route registers on the admin target. */
export interface AdminApiRouteResources {
    readonly target: "admin";
    readonly service: KongService;
    /** openid-connect on the service; its configJson and computedConfig are secret. */
    readonly oidcPlugin: KongPlugin;
    readonly route: KongRoute;
}

/** What a cache registers on the admin target. */
export interface AdminApiCacheResources {
    readonly target: "admin";
    readonly plugin: KongPlugin;
}

/** Where Kong sends a route's traffic: an in-cluster Service is reached by its cluster DNS name. */
function upstreamUrl(upstream: Upstream, namespace: pulumi.Input<string> | undefined): UpstreamUrl<pulumi.Input<string>> {
    if (upstream.kind === "url") {
        return upstream.url;
    }
    const { name, port } = upstream.service;
    return { protocol: "http", host: pulumi.interpolate`${name}.${upstream.service.namespace ?? namespace}.svc`, port };
}

function emitRoute(scope: RouteScope, route: RouteModel): EmittedRoute<AdminApiRouteResources> {
    const name = route.name;
    const childOpts: pulumi.CustomResourceOptions = { parent: scope.parent };
    const tags = ["kong-cognito", `kong-cognito-route-${name}`];
    const upstream = upstreamUrl(route.upstream, route.namespace);
    const service = new KongService(
        `${name}-service`,
        {
            name: `${name}-service`,
            protocol: upstream.protocol,
            host: upstream.host,
            port: upstream.port,
            path: upstream.path,
            tlsVerify: upstream.protocol === "https" ? true : undefined,
            tags,
        },
        childOpts,
    );
    // Plugins hang on the service, which serves no traffic until the route exists.
    const oidcPlugin = new KongPlugin(
        `${name}-oidc`,
        // Not strict: the provider would compare against Kong's default-filled config and show a change on every update (README).
        { name: "openid-connect", serviceId: service.id, configJson: scope.oidcConfig, enabled: true, strictMatch: false, tags },
        // Kong echoes the config, client secret included, in computedConfig: keep both secret in state.
        { ...childOpts, additionalSecretOutputs: ["configJson", "computedConfig"] },
    );
    const plugins: pulumi.Resource[] = [oidcPlugin];
    const pluginNames: string[] = ["openid-connect"];
    const cache = route.cache && scope.cache(route.cache, { serviceId: service.id });
    if (cache) {
        plugins.push(cache);
        pluginNames.push(cache.plugin);
    }
    const kongRoute = new KongRoute(
        `${name}-route`,
        {
            name,
            serviceId: service.id,
            protocols: route.protocols ?? [...ROUTE_PROTOCOLS],
            // `/oidcroute` alone would also match `/oidcroutefoo`.
            paths: prefixPaths(route.path),
            hosts: route.host !== undefined ? [route.host] : undefined,
            stripPath: route.stripPath,
            preserveHost: false,
            tags,
        },
        // Resource order: the route exists only once its service carries the auth plugin.
        { ...childOpts, dependsOn: plugins },
    );
    return {
        resources: { target: "admin", service, oidcPlugin, route: kongRoute },
        routeName: kongRoute.name,
        pluginNames: pulumi.output(pluginNames),
        cache,
    };
}

function emitCache(parent: pulumi.ComponentResource, name: string, cache: ProxyCacheModel): EmittedCache<AdminApiCacheResources> {
    const plugin = new KongPlugin(
        `${name}-plugin`,
        {
            name: cache.plugin,
            serviceId: cache.placement.serviceId,
            routeId: cache.placement.routeId,
            configJson: cacheConfigJson(cache),
            enabled: true,
            strictMatch: false,
            tags: ["kong-cognito"],
        },
        { parent, additionalSecretOutputs: cache.redisPassword !== undefined ? ["configJson", "computedConfig"] : [] },
    );
    return { resources: { target: "admin", plugin }, pluginName: plugin.name };
}

function checkRoute(issues: Issues, route: RouteModel): void {
    if (route.upstream.kind === "service" && route.namespace === undefined) {
        issues.add("namespace", undefined, "the admin target needs the namespace of upstreamService to build its cluster DNS name");
    }
}

function checkCache(issues: Issues, cache: ProxyCacheModel): void {
    const { serviceId, routeId } = cache.placement;
    if ((serviceId === undefined) === (routeId === undefined)) {
        issues.add("serviceId", serviceId, "the admin target needs exactly one of serviceId and routeId");
    }
}

export const adminApiTarget: KongTargetEmitter<AdminApiRouteResources, AdminApiCacheResources> = {
    routeArgs: [],
    cacheArgs: ["serviceId", "routeId"],
    checkRoute,
    checkCache,
    emitRoute,
    emitCache,
};
