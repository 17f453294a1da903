// The table of emitters: every Kong target kong-cognito can configure, one row each, and what the
// components ask of it (a target's emitter, and that no arg meant for another target is set).
// Components (routes, caches, consumers) resolve their args into target-free models
// (model/routeModel.ts, model/cacheModel.ts, model/consumerModel.ts) and hand them to the emitter
// of their target (emitters/, one file per target, under the contract in model/emitter.ts).
// Adding a target: its name in KongTarget (model/kongTarget.ts), one emitter file, one row in
// EMITTERS and its members in the unions below; the compiler holds the four together.
import { isPlain, Issues } from "../validation";
import { AdminApiCacheResources, AdminApiConsumerResources, AdminApiRouteResources, adminApiTarget } from "./emitters/adminApi";
import { GatewayCacheResources, GatewayConsumerResources, GatewayRouteResources, gatewayTarget } from "./emitters/gateway";
import { IngressCacheResources, IngressConsumerResources, IngressRouteResources, ingressTarget } from "./emitters/ingress";
import type { KongTargetEmitter } from "./model/emitter";
import type { KongTarget } from "./model/kongTarget";

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
            const which = targets.length === 1 ? `the ${targets[0]} target` : `the ${targets.join(" and ")} targets`;
            issues.add(key, isPlain(value) ? value : "(an Output)", `applies to ${which} only`);
        }
    }
    return true;
}
