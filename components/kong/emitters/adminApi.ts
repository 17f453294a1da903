// The Admin API target: a route becomes a Kong service (the upstream URL split into its parts),
// the openid-connect plugin on that service with a secret configJson, the route's KongProxyCache
// on the service, and last the Kong route, through the `kong` provider (../provider.ts).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { requiredOutput } from "../../providerOutputs";
import { Issues } from "../../validation";
import type { JwtConsumerModel } from "../model/consumerModel";
import { KongConsumer, KongConsumerAcl, KongConsumerJwtAuth, KongPlugin, KongRoute, KongService } from "../provider";
import type { RouteModel, Upstream } from "../model/routeModel";
import { prefixPaths, ROUTE_PROTOCOLS, UpstreamUrl } from "../model/rules";
import { cacheConfigJson, ProxyCacheModel } from "../model/cacheModel";
import type { EmittedCache, EmittedConsumer, EmittedRoute, KongTargetEmitter, RouteScope } from "../model/emitter";

/** What a route registers on the admin target. */
export interface AdminApiRouteResources {
    readonly target: "admin";
    readonly service: KongService;
    /** The auth plugins on the service: `auth.plugin` tells which. */
    readonly auth: AdminApiRouteAuth;
    readonly route: KongRoute;
}

/** openid-connect (its configJson and computedConfig secret), or jwt and acl (Kong OSS). */
export type AdminApiRouteAuth =
    | { readonly plugin: "openid-connect"; readonly oidcPlugin: KongPlugin }
    | { readonly plugin: "jwt"; readonly jwtPlugin: KongPlugin; readonly aclPlugin: KongPlugin };

/** What a KongJwtConsumer registers on the admin target. */
export interface AdminApiConsumerResources {
    readonly target: "admin";
    readonly consumer: KongConsumer;
    /** One jwt credential per signing key, slot by slot. */
    readonly jwtCredentials: KongConsumerJwtAuth[];
    readonly acl: KongConsumerAcl;
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
    const auth = authPlugins(scope, name, service, tags, childOpts);
    const plugins: pulumi.Resource[] = auth.plugin === "jwt" ? [auth.jwtPlugin, auth.aclPlugin] : [auth.oidcPlugin];
    const pluginNames: string[] = auth.plugin === "jwt" ? ["jwt", "acl"] : ["openid-connect"];
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
        resources: { target: "admin", service, auth, route: kongRoute },
        routeName: kongRoute.name,
        pluginNames: pulumi.output(pluginNames),
    };
}

/** The auth plugins on the service: openid-connect, or jwt then acl. */
function authPlugins(
    scope: RouteScope,
    name: string,
    service: KongService,
    tags: string[],
    opts: pulumi.CustomResourceOptions,
): AdminApiRouteAuth {
    // Not strict: the provider would compare against Kong's default-filled config and show a change on every update (README).
    const plugin = { serviceId: service.id, enabled: true, strictMatch: false, tags };
    if (scope.auth.plugin === "jwt") {
        const jwtPlugin = new KongPlugin(`${name}-jwt`, { ...plugin, name: "jwt", configJson: JSON.stringify(scope.auth.config) }, opts);
        const aclPlugin = new KongPlugin(
            `${name}-acl`,
            { ...plugin, name: "acl", configJson: scope.auth.acl.apply((config) => JSON.stringify(config)) },
            opts,
        );
        return { plugin: "jwt", jwtPlugin, aclPlugin };
    }
    const oidcPlugin = new KongPlugin(
        `${name}-oidc`,
        { ...plugin, name: "openid-connect", configJson: scope.auth.config },
        // Kong echoes the config, client secret included, in computedConfig: keep both secret in state.
        { ...opts, additionalSecretOutputs: ["configJson", "computedConfig"] },
    );
    return { plugin: "openid-connect", oidcPlugin };
}

/**
 * The pool's consumer, one ConsumerJwtAuth per signing key and its ACL group. The provider sends an
 * unset `secret` as "", which Kong refuses: each credential gets a random one, unused by RS256.
 */
function emitConsumer(parent: pulumi.ComponentResource, consumer: JwtConsumerModel): EmittedConsumer<AdminApiConsumerResources> {
    const { name } = consumer;
    const tags = ["kong-cognito", `kong-cognito-consumer-${name}`];
    const kongConsumer = new KongConsumer(`${name}-consumer`, { username: consumer.username, tags }, { parent });
    const unusedSecret = new random.RandomBytes(`${name}-unused-secret`, { length: 32 }, { parent });
    const secret = requiredOutput("random:index/randomBytes:RandomBytes", `${name}-unused-secret`, "hex", unusedSecret.hex);
    const jwtCredentials = Array.from({ length: consumer.keySlots }, (_, slot) => {
        const key = consumer.keys.apply((keys) => keys[slot]);
        return new KongConsumerJwtAuth(
            `${name}-key-${slot}`,
            { consumerId: kongConsumer.id, algorithm: "RS256", key: key.kid, rsaPublicKey: key.pem, secret, tags },
            { parent },
        );
    });
    const acl = new KongConsumerAcl(`${name}-acl`, { consumerId: kongConsumer.id, group: consumer.username, tags }, { parent });
    return { resources: { target: "admin", consumer: kongConsumer, jwtCredentials, acl }, ready: [kongConsumer, ...jwtCredentials, acl] };
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

export const adminApiTarget: KongTargetEmitter<AdminApiRouteResources, AdminApiCacheResources, AdminApiConsumerResources> = {
    routeArgs: [],
    cacheArgs: ["serviceId", "routeId"],
    consumerArgs: [],
    checkRoute,
    checkCache,
    emitRoute,
    emitCache,
    checkConsumer: () => undefined,
    emitConsumer,
};
