// The seam between what a route is and how a Kong target expresses it. A route and a cache are
// resolved once into target-free models (routeModel.ts, proxyCache.ts); an emitter, one file per
// target, checks what only its target requires and registers that target's resources. Adding a
// target means one emitter file, one row in EMITTERS and its names in the unions below.
import * as pulumi from "@pulumi/pulumi";
import { isPlain, Issues } from "../validation";
import { AdminApiCacheResources, AdminApiConsumerResources, AdminApiRouteResources, adminApiTarget } from "./adminApi";
import { GatewayCacheResources, GatewayConsumerResources, GatewayRouteResources, gatewayTarget } from "./gateway";
import { IngressCacheResources, IngressConsumerResources, IngressRouteResources, ingressTarget } from "./ingress";
import type { AclConfig, JwtConfig, ProxyCacheConfig } from "./pluginConfigs";
import type { KongProxyCache, KongProxyCacheArgs } from "./proxyCache";
import type { JwtConsumerModel, KongJwtConsumerArgs } from "./jwtConsumer";
import type { KongOidcRouteArgs, RouteModel } from "./routeModel";
import type { ProxyCacheSettings } from "./rules";

/**
 * How Kong is configured: Kong Ingress Controller objects with an Ingress (`ingress`) or a Gateway
 * API HTTPRoute (`gateway`), or Kong's Admin API through the `kong` provider (`admin`).
 */
export const KongTarget = {
    /** Kong Ingress Controller objects with an Ingress per route. */
    Ingress: "ingress",
    /** Kong Ingress Controller objects with a Gateway API HTTPRoute per route. */
    Gateway: "gateway",
    /** Kong's Admin API through the kong provider. */
    Admin: "admin",
} as const;
export type KongTarget = (typeof KongTarget)[keyof typeof KongTarget];

/** What a KongOidcRoute registered, by target: `route.resources.target` tells which. */
export type KongRouteResources = IngressRouteResources | GatewayRouteResources | AdminApiRouteResources;

/** What a KongProxyCache registered, by target. */
export type KongCacheResources = IngressCacheResources | GatewayCacheResources | AdminApiCacheResources;

/** What a KongJwtConsumer registered, by target. */
export type KongConsumerResources = IngressConsumerResources | GatewayConsumerResources | AdminApiConsumerResources;

/**
 * Every target kong-cognito can emit, by name: one emitter file each. The compiler holds the table,
 * KongTarget and the resource unions to each other (a target missing from one is an error).
 */
const EMITTERS = {
    ingress: ingressTarget,
    gateway: gatewayTarget,
    admin: adminApiTarget,
} satisfies {
    readonly [T in KongTarget]: KongTargetEmitter<
        Extract<KongRouteResources, { target: T }>,
        Extract<KongCacheResources, { target: T }>,
        Extract<KongConsumerResources, { target: T }>
    >;
};

/** Where a cache plugin goes: the KongProxyCacheArgs that place it, by target. */
export type CachePlacement = Pick<KongProxyCacheArgs, "namespace" | "pluginName" | "serviceId" | "routeId">;

/** A proxy cache resolved: its settings, Kong's config for them, and where it goes. */
export interface ProxyCacheModel {
    readonly settings: ProxyCacheSettings;
    /** proxy-cache, or proxy-cache-advanced (Enterprise) for the Redis strategy. */
    readonly plugin: "proxy-cache" | "proxy-cache-advanced";
    /** Kong's config without the Redis password. */
    readonly config: ProxyCacheConfig;
    /** Completes `config.redis`; when set the config holds a secret and is stored as one. */
    readonly redisPassword?: pulumi.Input<string>;
    /** Where it goes; `pluginName` (the KongPlugin's name on Kubernetes targets) defaults to the component's name. */
    readonly placement: CachePlacement & { readonly pluginName: string };
}

/** How a route checks its callers, with the plugin configs an emitter registers. */
export type RouteAuth =
    | {
          /** Kong Enterprise: tokens and sessions checked against the IdP. */
          readonly plugin: "openid-connect";
          /** The config as JSON, a Pulumi secret (it holds the client secret). */
          readonly config: pulumi.Output<string>;
      }
    | {
          /** Kong OSS: tokens signed by a key of the pool's consumer, then that consumer's ACL group. */
          readonly plugin: "jwt";
          readonly config: JwtConfig;
          /** The acl plugin's config; its group resolves once the consumer and its credentials exist. */
          readonly acl: pulumi.Output<AclConfig>;
      };

/** What a route emitter is handed besides the model. */
export interface RouteScope {
    /** The KongOidcRoute: parent of everything the emitter registers. */
    readonly parent: pulumi.ComponentResource;
    readonly auth: RouteAuth;
    /** Registers the route's KongProxyCache (`<route>-cache`) with its resolved settings at the given place. */
    readonly cache: (settings: ProxyCacheSettings, placement: CachePlacement) => KongProxyCache;
}

/** What a route emitter registered, gathered onto the component. */
export interface EmittedRoute<R> {
    readonly resources: R;
    /** ingress: the Ingress's name; gateway: the HTTPRoute's; admin: the Kong route's name. */
    readonly routeName: pulumi.Output<string>;
    /** ingress, gateway: the KongPlugins attached to the Ingress or HTTPRoute; admin: the plugin types on the service. Auth first. */
    readonly pluginNames: pulumi.Output<string[]>;
    readonly cache?: KongProxyCache;
}

export interface EmittedCache<R> {
    readonly resources: R;
    /** ingress, gateway: the KongPlugin's name, for `konghq.com/plugins`; admin: "proxy-cache". */
    readonly pluginName: pulumi.Output<string>;
}

export interface EmittedConsumer<R> {
    readonly resources: R;
    /** The consumer and every credential: a route waits for all of them. */
    readonly ready: pulumi.CustomResource[];
}

/** One Kong target: its own rules and how it registers a route and a cache. */
export interface KongTargetEmitter<
    R extends { readonly target: string },
    C extends { readonly target: string },
    U extends { readonly target: string },
> {
    /** KongOidcRoute args only this target reads; on another target they are refused, not dropped. */
    readonly routeArgs: readonly (keyof KongOidcRouteArgs)[];
    /** KongProxyCache args only this target reads. */
    readonly cacheArgs: readonly (keyof KongProxyCacheArgs)[];
    /** KongJwtConsumer args only this target reads. */
    readonly consumerArgs: readonly (keyof KongJwtConsumerArgs)[];
    /** What this target requires of a route beyond the route's own rules. */
    checkRoute(issues: Issues, route: RouteModel): void;
    /** What this target requires of a cache's placement. */
    checkCache(issues: Issues, cache: ProxyCacheModel): void;
    emitRoute(scope: RouteScope, route: RouteModel): EmittedRoute<R>;
    emitCache(parent: pulumi.ComponentResource, name: string, cache: ProxyCacheModel): EmittedCache<C>;
    /** What this target requires of a consumer. */
    checkConsumer(issues: Issues, consumer: Pick<JwtConsumerModel, "namespace">): void;
    /** The pool's consumer, one jwt credential per signing key and its ACL group. */
    emitConsumer(parent: pulumi.ComponentResource, consumer: JwtConsumerModel): EmittedConsumer<U>;
}

export const TARGETS = Object.keys(EMITTERS) as KongTarget[];

type AnyEmitter = KongTargetEmitter<KongRouteResources, KongCacheResources, KongConsumerResources>;

/** The emitter of a target; the target was checked with `checkTarget`. */
export function emitterOf(target: KongTarget): AnyEmitter {
    return EMITTERS[target];
}

/**
 * Checks the target and that no arg meant for another target is set (it would be silently
 * dropped otherwise). `args` are the component's args; `argsOf` picks the emitter's list.
 */
export function checkTarget<A extends object>(
    issues: Issues,
    target: string,
    args: A,
    argsOf: (emitter: AnyEmitter) => readonly string[],
): target is KongTarget {
    if (!(TARGETS as string[]).includes(target)) {
        issues.add("target", target, `must be one of ${TARGETS.join(", ")}`);
        return false;
    }
    const own = new Set(argsOf(emitterOf(target as KongTarget)));
    // Each arg another target reads and this one does not, with every target that reads it.
    const foreign = new Map<string, KongTarget[]>();
    for (const other of TARGETS.filter((t) => t !== target)) {
        for (const key of argsOf(emitterOf(other)).filter((k) => !own.has(k))) {
            foreign.set(key, [...(foreign.get(key) ?? []), other]);
        }
    }
    for (const [key, targets] of foreign) {
        const value = (args as Record<string, unknown>)[key];
        if (value !== undefined) {
            const which =
                targets.length === 1 ? `the ${targets[0]} target` : `the ${targets.slice(0, -1).join(", ")} and ${targets.at(-1)} targets`;
            issues.add(key, isPlain(value) ? value : "(an Output)", `applies to ${which} only`);
        }
    }
    return true;
}
