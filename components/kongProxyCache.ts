// KongProxyCache: Kong's proxy-cache plugin, either as a KongPlugin that any Ingress, Service or
// HTTPRoute in the same namespace attaches with `konghq.com/plugins` (ingress target), or as a
// plugin on a Kong service or route through the Admin API (admin target).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KongPlugin } from "./kongProvider";
import {
    checkKubernetesName,
    KONG_COGNITO_LABELS,
    checkProxyCacheSettings,
    KongTarget,
    PROXY_CACHE_DEFAULTS,
    proxyCacheConfig,
    ProxyCacheSettings,
    TARGETS,
} from "./kongRules";
import { isPlain, Issues } from "./validation";

export const KONG_PROXY_CACHE_TYPE = "kong-cognito:index:KongProxyCache";

/** The settings a route passes on to its cache; KongProxyCacheArgs adds where it lives. */
export interface ProxyCacheOptions {
    /** Seconds a response is served from cache. @default 300 (Kong's default); the seed uses 30 */
    readonly ttlSeconds?: number;
    /**
     * Response content types to cache, matched exactly, parameters included.
     * @default ["text/plain", "application/json"] (Kong's); an app answering `text/html; charset=utf-8` needs it listed
     */
    readonly contentTypes?: string[];
    /** Upstream status codes to cache. @default [200, 301, 404] */
    readonly responseCodes?: number[];
    /** Request methods to cache (HEAD, GET, POST, PATCH, PUT). @default ["GET", "HEAD"] */
    readonly requestMethods?: string[];
    /** Extra request headers in the cache key. @default none */
    readonly varyHeaders?: string[];
}

export interface KongProxyCacheArgs extends ProxyCacheOptions {
    /** `ingress` (a KongPlugin) or `admin` (a plugin through Kong's Admin API). @default "ingress" */
    readonly target?: KongTarget;
    /** ingress: namespace of the KongPlugin, the same as the Ingress or Service it is attached to. */
    readonly namespace?: pulumi.Input<string>;
    /** ingress: KongPlugin name, what `konghq.com/plugins` lists. @default the component's name */
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
}

export interface ResolvedKongProxyCacheArgs {
    readonly target: KongTarget;
    readonly namespace?: pulumi.Input<string>;
    readonly pluginName: string;
    readonly settings: ProxyCacheSettings;
}

/** Applies defaults and checks the settings; registers nothing. `path` prefixes property names in errors. */
export function resolveProxyCacheSettings(
    issues: Issues,
    path: string,
    options: ProxyCacheOptions,
    auth: { authenticated: boolean; consumerMapping: boolean },
): ProxyCacheSettings {
    const settings: ProxyCacheSettings = {
        ttlSeconds: options.ttlSeconds ?? PROXY_CACHE_DEFAULTS.ttlSeconds,
        contentTypes: options.contentTypes ?? [...PROXY_CACHE_DEFAULTS.contentTypes],
        responseCodes: options.responseCodes ?? [...PROXY_CACHE_DEFAULTS.responseCodes],
        requestMethods: options.requestMethods ?? [...PROXY_CACHE_DEFAULTS.requestMethods],
        varyHeaders: options.varyHeaders ?? [],
        authenticated: auth.authenticated,
        consumerMapping: auth.consumerMapping,
    };
    checkProxyCacheSettings(issues, path, settings);
    return settings;
}

export function resolveKongProxyCacheArgs(name: string, args: KongProxyCacheArgs): ResolvedKongProxyCacheArgs {
    const issues = new Issues(`KongProxyCache "${name}"`);
    const target = args.target ?? "ingress";
    const pluginName = args.pluginName ?? name;
    // Settings of the other target would be silently dropped: say so instead.
    const onlyFor = (other: KongTarget, fields: Record<string, unknown>) => {
        for (const [key, value] of Object.entries(fields)) {
            if (value !== undefined) {
                issues.add(key, isPlain(value) ? value : "(an Output)", `applies to the ${other} target only`);
            }
        }
    };
    if (!TARGETS.includes(target)) {
        issues.add("target", target, `must be one of ${TARGETS.join(", ")}`);
    } else if (target === "ingress") {
        checkKubernetesName(issues, "pluginName", pluginName);
        if (args.namespace === undefined) {
            issues.add("namespace", args.namespace, "the ingress target needs the namespace of the Ingress or Service it caches");
        }
        onlyFor("admin", { serviceId: args.serviceId, routeId: args.routeId });
    } else {
        if ((args.serviceId === undefined) === (args.routeId === undefined)) {
            issues.add("serviceId", args.serviceId, "the admin target needs exactly one of serviceId and routeId");
        }
        onlyFor("ingress", { namespace: args.namespace, pluginName: args.pluginName });
    }
    const settings = resolveProxyCacheSettings(issues, "", args, {
        authenticated: args.authenticated ?? true,
        consumerMapping: args.consumerMapping ?? false,
    });
    issues.throwIfAny();
    return { target, namespace: args.namespace, pluginName, settings };
}

/**
 * The `proxy-cache` plugin. ingress: a KongPlugin; attach it by adding `pluginName` to the
 * `konghq.com/plugins` annotation of an Ingress or Service in the same namespace (KongOidcRoute
 * does so itself). admin: a Kong plugin on the given service or route.
 */
export class KongProxyCache extends pulumi.ComponentResource {
    readonly plugin: k8s.apiextensions.CustomResource | KongPlugin;
    /** ingress: the KongPlugin's name, for `konghq.com/plugins`; admin: "proxy-cache". */
    readonly pluginName: pulumi.Output<string>;
    /** The plugin config as Kong receives it (no secrets in it). */
    readonly config: Record<string, unknown>;

    constructor(name: string, args: KongProxyCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveKongProxyCacheArgs(name, args);
        super(KONG_PROXY_CACHE_TYPE, name, {}, opts);
        this.config = proxyCacheConfig(resolved.settings);
        if (resolved.target === "admin") {
            const plugin = new KongPlugin(
                `${name}-plugin`,
                {
                    name: "proxy-cache",
                    serviceId: args.serviceId,
                    routeId: args.routeId,
                    configJson: JSON.stringify(this.config),
                    enabled: true,
                    strictMatch: true,
                    tags: ["kong-cognito"],
                },
                { parent: this },
            );
            this.plugin = plugin;
            this.pluginName = plugin.name;
        } else {
            const plugin = new k8s.apiextensions.CustomResource(
                `${name}-plugin`,
                {
                    apiVersion: "configuration.konghq.com/v1",
                    kind: "KongPlugin",
                    metadata: { name: resolved.pluginName, namespace: resolved.namespace, labels: KONG_COGNITO_LABELS },
                    plugin: "proxy-cache",
                    config: this.config,
                },
                { parent: this },
            );
            this.plugin = plugin;
            this.pluginName = plugin.metadata.name;
        }
        this.registerOutputs({ pluginName: this.pluginName });
    }
}
