// KongProxyCache: Kong's proxy-cache plugin on any target. On the ingress and gateway targets a
// KongPlugin that an Ingress, Service or HTTPRoute in the same namespace attaches with `konghq.com/plugins`; on the
// admin target a plugin on a Kong service or route. The args resolve once into a ProxyCacheModel
// (model/cacheModel.ts); the target's emitter registers the plugin.
import * as pulumi from "@pulumi/pulumi";
import { TypeScriptOnly } from "../typescriptOnly";
import { Issues, ResolvedOnce } from "../validation";
import { CachePlacement, KongProxyCacheArgs, ProxyCacheModel, resolveProxyCacheSettings } from "./model/cacheModel";
import type { KongTarget } from "./model/kongTarget";
import { ProxyCacheConfig, proxyCacheConfig, proxyCachePlugin } from "./model/pluginConfigs";
import { ProxyCacheSettings, resolveRedis } from "./model/rules";
import { checkTarget, emitterOf, KongCacheResources } from "./targets";

export const KONG_PROXY_CACHE_TYPE = "kong-cognito:index:KongProxyCache";

/** A cache resolved for one target. */
export interface ResolvedKongProxyCacheArgs {
    readonly target: KongTarget;
    readonly cache: ProxyCacheModel;
}

function modelOf(
    settings: ProxyCacheSettings,
    placement: ProxyCacheModel["placement"],
    redisPassword: pulumi.Input<string> | undefined,
): ProxyCacheModel {
    return { settings, plugin: proxyCachePlugin(settings), config: proxyCacheConfig(settings), redisPassword, placement };
}

function resolveArgs(name: string, args: KongProxyCacheArgs): ResolvedKongProxyCacheArgs {
    const issues = new Issues(`KongProxyCache "${name}"`);
    const target = args.target ?? "ingress";
    const knownTarget = checkTarget(issues, target, args, (emitter) => emitter.cacheArgs);
    const settings = resolveProxyCacheSettings(issues, "", args, {
        authenticated: args.authenticated ?? true,
        consumerMapping: args.consumerMapping ?? false,
        redis: args.redis && resolveRedis(issues, "redis", args.redis),
    });
    if (!knownTarget) {
        return issues.stop();
    }
    const { namespace, serviceId, routeId } = args;
    const cache = modelOf(settings, { namespace, pluginName: args.pluginName ?? name, serviceId, routeId }, args.redis?.password);
    emitterOf(target).checkCache(issues, cache);
    issues.throwIfAny();
    return { target, cache };
}

const resolutions = new ResolvedOnce(resolveArgs);

/** The resolutions routeCache made, by the args object it passes to the constructor. */
const routeResolutions = new WeakMap<KongProxyCacheArgs, ResolvedKongProxyCacheArgs>();

/** Applies defaults and checks the settings and placement; registers nothing. */
export function resolveKongProxyCacheArgs(name: string, args: KongProxyCacheArgs): ResolvedKongProxyCacheArgs {
    return resolutions.get(name, args);
}

const cacheChildren = new TypeScriptOnly<
    KongProxyCache,
    {
        resources: KongCacheResources;
        plugin: "proxy-cache" | "proxy-cache-advanced";
        settings: ProxyCacheSettings;
        config: ProxyCacheConfig;
    }
>("KongProxyCache");

/**
 * The `proxy-cache` plugin. ingress, gateway: a KongPlugin; attach it by adding `pluginName` to the
 * `konghq.com/plugins` annotation of an Ingress, HTTPRoute or Service in the same namespace (KongOidcRoute
 * does so itself). admin: a Kong plugin on the given service or route.
 *
 * Child: `<name>-plugin`.
 */
export class KongProxyCache extends pulumi.ComponentResource {
    /** ingress, gateway: the KongPlugin's name, for `konghq.com/plugins`; admin: the plugin type. */
    readonly pluginName: pulumi.Output<string>;

    /** What was registered, by target: `resources.target` tells which. TypeScript only. */
    get resources(): KongCacheResources {
        return cacheChildren.get(this).resources;
    }
    /** The Kong plugin: proxy-cache, or proxy-cache-advanced (Enterprise) with Redis. TypeScript only. */
    get plugin(): "proxy-cache" | "proxy-cache-advanced" {
        return cacheChildren.get(this).plugin;
    }
    /** The settings with defaults applied. TypeScript only. */
    get settings(): ProxyCacheSettings {
        return cacheChildren.get(this).settings;
    }
    /** The plugin config as Kong receives it, apart from the Redis password. TypeScript only. */
    get config(): ProxyCacheConfig {
        return cacheChildren.get(this).config;
    }

    constructor(name: string, args: KongProxyCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const { target, cache } = routeResolutions.get(args) ?? resolveKongProxyCacheArgs(name, args);
        super(KONG_PROXY_CACHE_TYPE, name, {}, opts);
        const emitted = emitterOf(target).emitCache(this, name, cache);
        cacheChildren.set(this, { resources: emitted.resources, plugin: cache.plugin, settings: cache.settings, config: cache.config });
        this.pluginName = emitted.pluginName;
        this.registerOutputs({ pluginName: this.pluginName });
    }
}

/**
 * The cache of a route whose settings the route has resolved already: registered as
 * `<route>-cache` under the route, without checking the settings again. Its args object is only
 * the key under which `routeResolutions` holds the route's resolution, which the constructor takes.
 */
export function routeCache(
    parent: pulumi.ComponentResource,
    name: string,
    target: KongTarget,
    settings: ProxyCacheSettings,
    placement: CachePlacement,
    redisPassword: pulumi.Input<string> | undefined,
): KongProxyCache {
    const args: KongProxyCacheArgs = {};
    routeResolutions.set(args, {
        target,
        cache: modelOf(settings, { ...placement, pluginName: placement.pluginName ?? name }, redisPassword),
    });
    return new KongProxyCache(name, args, { parent });
}
