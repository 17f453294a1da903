// What the two Kong Ingress Controller targets (ingress.ts, gateway.ts) register alike: the
// ExternalName Service of an upstream URL, the openid-connect config in a labelled Secret with a
// KongPlugin reading it (configFrom), the route's cache plugin, the `konghq.com/*` annotations
// KIC reads from an Ingress and an HTTPRoute alike, and the cache KongPlugin. They differ only in
// the object that routes (Ingress, HTTPRoute) and in how it reaches a Service elsewhere.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesName, KONG_COGNITO_LABELS } from "../../kubernetes";
import { Issues } from "../../validation";
import { cacheConfigJson, ProxyCacheModel } from "../model/cacheModel";
import type { JwtConsumerModel } from "../model/consumerModel";
import type { EmittedCache, EmittedConsumer, RouteScope } from "../model/emitter";
import type { RouteModel, UpstreamServiceArgs } from "../model/routeModel";
import { UpstreamUrl } from "../model/rules";

/** The targets that configure Kong through the Kong Ingress Controller. */
export type KicTarget = "ingress" | "gateway";

/** What a cache registers on a Kong Ingress Controller target: a KongPlugin. */
export interface KicCacheResources<T extends KicTarget> {
    readonly target: T;
    readonly plugin: k8s.apiextensions.CustomResource;
    /** Holds the config when it holds a secret (the Redis password). */
    readonly configSecret?: k8s.core.v1.Secret;
}

export const KONG_PLUGIN = { apiVersion: "configuration.konghq.com/v1", kind: "KongPlugin" } as const;
const KONG_CONSUMER = { apiVersion: "configuration.konghq.com/v1", kind: "KongConsumer" } as const;

/** The IngressClass of the Kong Ingress Controller the routes and consumers are for. */
export const KONG_INGRESS_CLASS = "kong";

/**
 * The label of every Secret KIC must read (plugin configs, credentials, TLS certificates): the
 * Kong Operator runs KIC with `--secret-label-selector konghq.com/secret` and ingests only Secrets
 * with that label set to "true" (Kong/kong-operator modules/manager/config/consts.go
 * `DefaultSecretLabelSelector`; KIC internal/controllers/configuration/secret_controller.go).
 * Without it a credential is never loaded: the consumer has no keys and every token gets 401.
 */
const KIC_SECRET_LABELS = { "konghq.com/secret": "true" };

/**
 * Labels of a Secret a KongPlugin reads its config from: KIC >= 3.2 validates only Secrets labelled
 * `konghq.com/validate: plugin` (its admission webhook selects on the label, and the label "will be
 * required"), and the label every Secret KIC reads carries.
 */
const PLUGIN_CONFIG_SECRET_LABELS = { "konghq.com/validate": "plugin", ...KIC_SECRET_LABELS };

/** Labels of every object a route registers. */
export function routeLabels(route: RouteModel): Record<string, string> {
    return { ...KONG_COGNITO_LABELS, "kong-cognito/route": route.name };
}

/** A Secret holding a plugin's whole config (KIC configFrom), as `stringData.config`. */
function pluginConfigSecret(
    name: string,
    namespace: pulumi.Input<string> | undefined,
    labels: Record<string, string>,
    config: pulumi.Input<string>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: { name, namespace, labels: { ...labels, ...PLUGIN_CONFIG_SECRET_LABELS } },
            type: "Opaque",
            stringData: { config },
        },
        opts,
    );
}

/** An ExternalName Service `<route>-upstream` in the route's namespace. */
function externalNameService(
    route: RouteModel,
    externalName: pulumi.Input<string>,
    port: { name: string; number: number },
    annotations: Record<string, string> | undefined,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
    const name = `${route.name}-upstream`;
    return new k8s.core.v1.Service(
        name,
        {
            metadata: { name, namespace: route.namespace, labels: routeLabels(route), annotations },
            spec: { type: "ExternalName", externalName, ports: [{ name: port.name, port: port.number, protocol: "TCP" }] },
        },
        opts,
    );
}

/**
 * The Service of an upstream URL: ExternalName, with the protocol, path and TLS verification as
 * the Service annotations KIC reads for the Kong service it builds from it.
 */
export function urlUpstreamService(route: RouteModel, url: UpstreamUrl, opts: pulumi.CustomResourceOptions): k8s.core.v1.Service {
    const annotations: Record<string, string> = { "konghq.com/protocol": url.protocol };
    // Stryker disable next-line ConditionalExpression: an annotation set to undefined is dropped when Pulumi serializes the inputs, as if never set
    if (url.path !== undefined) {
        annotations["konghq.com/path"] = url.path;
    }
    if (url.protocol === "https") {
        // Without it Kong encrypts to the upstream but accepts any certificate (KIC >= 3.4).
        annotations["konghq.com/tls-verify"] = "true";
    }
    return externalNameService(route, url.host, { name: url.protocol, number: url.port }, annotations, opts);
}

/** A Service in another namespace, reached by its cluster DNS name through an ExternalName Service in the route's. */
export function crossNamespaceService(
    route: RouteModel,
    service: UpstreamServiceArgs,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
    const externalName = pulumi.interpolate`${service.name}.${service.namespace}.svc.cluster.local`;
    return externalNameService(route, externalName, { name: "http", number: service.port }, undefined, opts);
}

/** The route's auth plugins: openid-connect with its config in a Secret, or jwt and acl (Kong OSS). */
export type KicRouteAuth =
    | {
          readonly plugin: "openid-connect";
          readonly oidcPlugin: k8s.apiextensions.CustomResource;
          /** Holds the openid-connect config, client secret included. */
          readonly oidcConfigSecret: k8s.core.v1.Secret;
      }
    | {
          readonly plugin: "jwt";
          readonly jwtPlugin: k8s.apiextensions.CustomResource;
          /** Lets only the pool's consumer through. */
          readonly aclPlugin: k8s.apiextensions.CustomResource;
      };

/** The route's plugins, registered before the object that attaches them. */
export interface RoutePlugins {
    readonly auth: KicRouteAuth;
    /** What the routing object waits for besides the KongPlugins it names: the openid-connect config Secret. */
    readonly resources: pulumi.Resource[];
    /** The KongPlugins to attach, auth first: openid-connect (or jwt, acl), the cache, then the route's extra plugins. */
    readonly names: pulumi.Output<string[]>;
}

function kongPlugin(
    name: string,
    namespace: pulumi.Input<string> | undefined,
    labels: Record<string, string>,
    spec: { plugin: string; config?: pulumi.Input<object>; configFrom?: object },
    opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(name, { ...KONG_PLUGIN, metadata: { name, namespace, labels }, ...spec }, opts);
}

/** The route's auth KongPlugins: openid-connect with its config in a Secret, or jwt and acl. */
function authPlugins(scope: RouteScope, route: RouteModel): KicRouteAuth {
    const { name, namespace } = route;
    const labels = routeLabels(route);
    const childOpts: pulumi.CustomResourceOptions = { parent: scope.parent };
    if (scope.auth.plugin === "jwt") {
        // Nothing secret in either config: public keys live in the consumer's credentials.
        const jwtPlugin = kongPlugin(`${name}-jwt`, namespace, labels, { plugin: "jwt", config: scope.auth.config }, childOpts);
        const aclPlugin = kongPlugin(`${name}-acl`, namespace, labels, { plugin: "acl", config: scope.auth.acl }, childOpts);
        return { plugin: "jwt", jwtPlugin, aclPlugin };
    }
    const oidcConfigSecret = pluginConfigSecret(`${name}-oidc-config`, namespace, labels, scope.auth.config, childOpts);
    const oidcPlugin = kongPlugin(
        `${name}-oidc`,
        namespace,
        labels,
        // Registered after its Secret: the Secret's name is an output of it.
        { plugin: "openid-connect", configFrom: { secretKeyRef: { name: oidcConfigSecret.metadata.name, key: "config" } } },
        childOpts,
    );
    return { plugin: "openid-connect", oidcPlugin, oidcConfigSecret };
}

/** The route's auth plugins and its cache. */
export function routePlugins(scope: RouteScope, route: RouteModel): RoutePlugins {
    const auth = authPlugins(scope, route);
    // The routing object names its KongPlugins by their name outputs, so it waits for them; it waits
    // for the openid-connect plugin's config Secret too, which only the plugin names.
    const [resources, names]: [pulumi.Resource[], pulumi.Input<string>[]] =
        auth.plugin === "jwt"
            ? [[], [auth.jwtPlugin.metadata.name, auth.aclPlugin.metadata.name]]
            : [[auth.oidcConfigSecret], [auth.oidcPlugin.metadata.name]];
    const cache = route.cache && scope.cache(route.cache, { namespace: route.namespace, pluginName: `${route.name}-proxycache` });
    if (cache) {
        // Its plugin's name output: the routing object waits for the plugin, which waits for its config Secret.
        names.push(cache.pluginName);
    }
    names.push(...route.extraPlugins);
    return { auth, resources, names: pulumi.all(names) };
}

/**
 * The annotations KIC reads from the routing object, an Ingress or an HTTPRoute alike
 * (kongstate.Route.overrideByAnnotation reads the object the route came from): the plugins, strip
 * path always spelled out (kong-cognito's default is true, KIC's false on an Ingress and an HTTPRoute
alike: internal/dataplane/translator/subtranslator/ingress.go and httproute.go), the
 * upstream's own Host for an external upstream, and the protocols when given.
 */
export function routeAnnotations(route: RouteModel, pluginNames: pulumi.Output<string[]>): Record<string, pulumi.Input<string>> {
    const annotations: Record<string, pulumi.Input<string>> = {
        "konghq.com/plugins": pluginNames.apply((names) => names.join(",")),
        "konghq.com/strip-path": route.stripPath ? "true" : "false",
    };
    if (route.upstream.kind === "url") {
        // Send the upstream's own host name, not the client's: external hosts route by it.
        annotations["konghq.com/preserve-host"] = "false";
    }
    if (route.protocols !== undefined) {
        annotations["konghq.com/protocols"] = route.protocols.join(",");
    }
    return annotations;
}

export function checkNamespace(issues: Issues, namespace: unknown, rule: string): void {
    if (namespace === undefined) {
        issues.add("namespace", namespace, rule);
    }
}

/** A cache's place on a KIC target: a KongPlugin name and the namespace of what attaches it. */
export function checkCachePlacement(issues: Issues, cache: ProxyCacheModel, target: KicTarget): void {
    checkKubernetesName(issues, "pluginName", cache.placement.pluginName);
    checkNamespace(
        issues,
        cache.placement.namespace,
        `the ${target} target needs the namespace of the ${target === "ingress" ? "Ingress" : "HTTPRoute"} or Service it caches`,
    );
}

/** The cache emitter of a KIC target: a KongPlugin, its config in a Secret when it holds the Redis password. */
export function emitKicCache<T extends KicTarget>(target: T) {
    return (parent: pulumi.ComponentResource, name: string, cache: ProxyCacheModel): EmittedCache<KicCacheResources<T>> => {
        const { pluginName, namespace } = cache.placement;
        // A config with the Redis password in it goes into a Secret, like the openid-connect config.
        const configSecret =
            cache.redisPassword !== undefined
                ? pluginConfigSecret(`${pluginName}-config`, namespace, KONG_COGNITO_LABELS, cacheConfigJson(cache), { parent })
                : undefined;
        const plugin = new k8s.apiextensions.CustomResource(
            `${name}-plugin`,
            {
                ...KONG_PLUGIN,
                metadata: { name: pluginName, namespace, labels: KONG_COGNITO_LABELS },
                plugin: cache.plugin,
                ...(configSecret
                    ? { configFrom: { secretKeyRef: { name: configSecret.metadata.name, key: "config" } } }
                    : { config: cache.config }),
            },
            // Registered after its config Secret, if any: the Secret's name is an output of it.
            { parent },
        );
        return { resources: { target, plugin, configSecret }, pluginName: plugin.metadata.name };
    };
}

/** What a consumer registers on a KIC target: a KongConsumer and its credential Secrets. */
export interface KicConsumerResources<T extends KicTarget> {
    readonly target: T;
    readonly consumer: k8s.apiextensions.CustomResource;
    /** One `jwt` credential Secret per signing key, slot by slot. */
    readonly keySecrets: k8s.core.v1.Secret[];
    /** The `acl` credential Secret: the group routes allow. */
    readonly aclSecret: k8s.core.v1.Secret;
}

/** A KongConsumer's credential: a Secret labelled with its type (KIC reads `konghq.com/credential`) and for the Kong Operator. */
function credentialSecret(
    name: string,
    namespace: pulumi.Input<string> | undefined,
    type: "jwt" | "acl",
    stringData: Record<string, pulumi.Input<string>>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
        name,
        {
            metadata: { name, namespace, labels: { ...KONG_COGNITO_LABELS, ...KIC_SECRET_LABELS, "konghq.com/credential": type } },
            type: "Opaque",
            stringData,
        },
        opts,
    );
}

/** The consumer emitter of a KIC target: credential Secrets, then the KongConsumer that lists them. */
export function emitKicConsumer<T extends KicTarget>(target: T) {
    return (parent: pulumi.ComponentResource, consumer: JwtConsumerModel): EmittedConsumer<KicConsumerResources<T>> => {
        const { name, namespace } = consumer;
        const keySecrets = Array.from({ length: consumer.keySlots }, (_, slot) => {
            const key = consumer.keys.apply((keys) => keys[slot]);
            return credentialSecret(
                `${name}-key-${slot}`,
                namespace,
                "jwt",
                { key: key.kid, algorithm: "RS256", rsa_public_key: key.pem },
                { parent },
            );
        });
        const aclSecret = credentialSecret(`${name}-acl`, namespace, "acl", { group: consumer.username }, { parent });
        const credentials = [...keySecrets, aclSecret];
        const kongConsumer = new k8s.apiextensions.CustomResource(
            name,
            {
                ...KONG_CONSUMER,
                metadata: {
                    name,
                    namespace,
                    labels: KONG_COGNITO_LABELS,
                    // KIC reconciles a KongConsumer of its class only (a class-less one only when "kong" is the default IngressClass).
                    annotations: { "kubernetes.io/ingress.class": KONG_INGRESS_CLASS },
                },
                username: consumer.username,
                // Registered after every credential Secret: their names are outputs of them.
                credentials: credentials.map((secret) => secret.metadata.name),
            },
            { parent },
        );
        return { resources: { target, consumer: kongConsumer, keySecrets, aclSecret }, ready: [kongConsumer, ...credentials] };
    };
}

/** A consumer on a KIC target lives in a namespace with its credential Secrets. */
export function checkConsumerNamespace(issues: Issues, namespace: unknown, target: KicTarget): void {
    checkNamespace(issues, namespace, `the ${target} target needs the namespace of the KongConsumer and its credential Secrets`);
}
