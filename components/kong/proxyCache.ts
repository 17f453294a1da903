// KongProxyCache: Kong's proxy-cache plugin on any target. On the ingress and gateway targets a
// KongPlugin that an Ingress, Service or HTTPRoute in the same namespace attaches with `konghq.com/plugins`; on the
// admin target a plugin on a Kong service or route. The args resolve once into a ProxyCacheModel;
// the target's emitter registers the plugin.
import * as pulumi from "@pulumi/pulumi";
import { TypeScriptOnly } from "../typescriptOnly";
import { Issues, ResolvedOnce } from "../validation";
import { ProxyCacheConfig, proxyCacheConfig, proxyCachePlugin } from "./pluginConfigs";
import {
    checkDictionaryName,
    checkProxyCacheSettings,
    DEFAULT_CACHE_DICTIONARY,
    PROXY_CACHE_DEFAULTS,
    ProxyCacheSettings,
    RedisArgs,
    RedisSettings,
    resolveRedis,
} from "./rules";
import { CachePlacement, checkTarget, emitterOf, KongCacheResources, KongTarget, ProxyCacheModel } from "./targets";

export const KONG_PROXY_CACHE_TYPE = "kong-cognito:index:KongProxyCache";

/** The settings a route passes on to its cache; KongProxyCacheArgs adds where it lives. */
export interface ProxyCacheOptions {
    /** Seconds a response is served from cache. @default 300 (Kong's default); the seed uses 30 */
    readonly ttlSeconds?: number;
    /**
     * Response content types to cache, matched as Kong does: type, subtype and parameter names in any
     * case, `*` as a wildcard type or subtype, and exactly the entry's parameters with the same values
     * (`application/json` does not cache `application/json; charset=utf-8`, nor `charset=utf-8` `charset=UTF-8`).
     * @default application/json, text/plain (each also with `; charset=utf-8`) and `text/html; charset=utf-8`
     */
    readonly contentTypes?: string[];
    /** Upstream status codes to cache. @default [200, 301, 404] */
    readonly responseCodes?: number[];
    /** Request methods to cache (HEAD, GET, POST, PATCH, PUT). @default ["GET", "HEAD"] */
    readonly requestMethods?: string[];
    /** Extra request headers in the cache key. @default none */
    readonly varyHeaders?: string[];
    /**
     * memory strategy: the nginx shared dict that holds the cache, one per Kong node. Kong refuses
     * a plugin naming a dict its nginx does not declare: a dict of your own needs
     * `nginx_http_lua_shared_dict` in Kong's configuration (see the README).
     * @default "kong_db_cache", which every Kong declares (proxy-cache's own default)
     */
    readonly dictionaryName?: string;
}

export interface KongProxyCacheArgs extends ProxyCacheOptions {
    /** `ingress` or `gateway` (a KongPlugin), or `admin` (a plugin through Kong's Admin API). @default "ingress" */
    readonly target?: KongTarget;
    /** ingress, gateway: namespace of the KongPlugin, the same as the Ingress, HTTPRoute or Service it is attached to. */
    readonly namespace?: pulumi.Input<string>;
    /** ingress, gateway: KongPlugin name, what `konghq.com/plugins` lists. @default the component's name */
    readonly pluginName?: string;
    /** admin: the Kong service to cache (exactly one of serviceId and routeId). */
    readonly serviceId?: pulumi.Input<string>;
    /** admin: the Kong route to cache (exactly one of serviceId and routeId). */
    readonly routeId?: pulumi.Input<string>;
    /**
     * The route authenticates its requests. Without consumer mapping the cache key then varies by
     * Authorization, so one user's response is never served to another. @default true
     */
    readonly authenticated?: boolean;
    /** The auth plugin maps requests to Kong consumers, which proxy-cache keys on. @default false */
    readonly consumerMapping?: boolean;
    /** One cache shared by every Kong node, in Redis: Kong Enterprise's proxy-cache-advanced. @default memory, per node */
    readonly redis?: RedisArgs;
}

/** A cache's settings with defaults applied and checked; `path` prefixes property names in errors. */
export function resolveProxyCacheSettings(
    issues: Issues,
    path: string,
    options: ProxyCacheOptions,
    context: { authenticated: boolean; consumerMapping: boolean; redis?: RedisSettings },
): ProxyCacheSettings {
    const settings: ProxyCacheSettings = {
        ttlSeconds: options.ttlSeconds ?? PROXY_CACHE_DEFAULTS.ttlSeconds,
        contentTypes: options.contentTypes ?? [...PROXY_CACHE_DEFAULTS.contentTypes],
        responseCodes: options.responseCodes ?? [...PROXY_CACHE_DEFAULTS.responseCodes],
        requestMethods: options.requestMethods ?? [...PROXY_CACHE_DEFAULTS.requestMethods],
        varyHeaders: options.varyHeaders ?? [],
        authenticated: context.authenticated,
        consumerMapping: context.consumerMapping,
        dictionaryName: options.dictionaryName ?? DEFAULT_CACHE_DICTIONARY,
        ...(context.redis ? { redis: context.redis } : {}),
    };
    checkProxyCacheSettings(issues, path, settings);
    if (options.dictionaryName !== undefined) {
        checkDictionaryName(issues, path === "" ? "dictionaryName" : `${path}.dictionaryName`, options.dictionaryName);
    }
    return settings;
}

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
        const { target, cache } = resolveKongProxyCacheArgs(name, args);
        super(KONG_PROXY_CACHE_TYPE, name, {}, opts);
        const emitted = emitterOf(target).emitCache(this, name, cache);
        cacheChildren.set(this, { resources: emitted.resources, plugin: cache.plugin, settings: cache.settings, config: cache.config });
        this.pluginName = emitted.pluginName;
        this.registerOutputs({ pluginName: this.pluginName });
    }
}

/**
 * The cache of a route whose settings the route has resolved already: registered as
 * `<route>-cache` under the route, without checking the settings again.
 */
export function routeCache(
    parent: pulumi.ComponentResource,
    name: string,
    target: KongTarget,
    settings: ProxyCacheSettings,
    placement: CachePlacement,
    redisPassword: pulumi.Input<string> | undefined,
): KongProxyCache {
    const args: KongProxyCacheArgs = {
        target,
        ...placement,
        ttlSeconds: settings.ttlSeconds,
        contentTypes: [...settings.contentTypes],
        responseCodes: [...settings.responseCodes],
        requestMethods: [...settings.requestMethods],
        varyHeaders: [...settings.varyHeaders],
        authenticated: settings.authenticated,
        consumerMapping: settings.consumerMapping,
        dictionaryName: settings.dictionaryName,
        redis: settings.redis && { ...settings.redis, password: redisPassword },
    };
    resolutions.remember(name, args, {
        target,
        cache: modelOf(settings, { ...placement, pluginName: placement.pluginName ?? name }, redisPassword),
    });
    return new KongProxyCache(name, args, { parent });
}
