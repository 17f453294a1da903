// A proxy cache as every target sees it: the settings a route or a KongProxyCache passes on, the
// args that place it, and the model they resolve to (settings, Kong's config, where it goes).
// Emitters read the model; nothing here registers a resource.
import * as pulumi from "@pulumi/pulumi";
import { Issues } from "../../validation";
import type { KongTarget } from "./kongTarget";
import { proxyCacheConfig, ProxyCacheConfig } from "./pluginConfigs";
import {
    checkDictionaryName,
    checkProxyCacheSettings,
    DEFAULT_CACHE_DICTIONARY,
    PROXY_CACHE_DEFAULTS,
    ProxyCacheSettings,
    RedisArgs,
    RedisSettings,
} from "./rules";

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

/** A cache's config as JSON: plain, or a Pulumi secret once the Redis password is in it. */
export function cacheConfigJson(cache: ProxyCacheModel): pulumi.Input<string> {
    if (cache.redisPassword === undefined) {
        return JSON.stringify(cache.config);
    }
    return pulumi.secret(
        pulumi.output(cache.redisPassword).apply((password) => JSON.stringify(proxyCacheConfig(cache.settings, password))),
    );
}
