// The emitter contract: what one Kong target provides (its own rules and how it registers a route,
// a cache and a consumer) and what it is handed. Every emitter (../emitters/) implements it; the
// table of emitters (../targets.ts) lists them. Types only: nothing here knows a target.
import * as pulumi from "@pulumi/pulumi";
import type { Issues } from "../../validation";
import type { CachePlacement, KongProxyCacheArgs, ProxyCacheModel } from "./cacheModel";
import type { JwtConsumerModel, KongJwtConsumerArgs } from "./consumerModel";
import type { AclConfig, JwtConfig } from "./pluginConfigs";
import type { KongOidcRouteArgs, RouteModel } from "./routeModel";
import type { ProxyCacheSettings } from "./rules";

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

/**
 * The route's cache as its emitter sees it: a resource the route waits for, and the plugin it
 * attaches (the KongProxyCache component is one).
 */
export interface RouteCache extends pulumi.Resource {
    /** ingress, gateway: the KongPlugin's name, for `konghq.com/plugins`. */
    readonly pluginName: pulumi.Output<string>;
    /** admin: the plugin type on the service. */
    readonly plugin: ProxyCacheModel["plugin"];
}

/** What a route emitter is handed besides the model. */
export interface RouteScope {
    /** The KongOidcRoute: parent of everything the emitter registers. */
    readonly parent: pulumi.ComponentResource;
    readonly auth: RouteAuth;
    /** Registers the route's KongProxyCache (`<route>-cache`) with its resolved settings at the given place. */
    readonly cache: (settings: ProxyCacheSettings, placement: CachePlacement) => RouteCache;
}

/** What a route emitter registered, gathered onto the component. */
export interface EmittedRoute<R> {
    readonly resources: R;
    /** ingress: the Ingress's name; gateway: the HTTPRoute's; admin: the Kong route's name. */
    readonly routeName: pulumi.Output<string>;
    /** ingress, gateway: the KongPlugins attached to the Ingress or HTTPRoute; admin: the plugin types on the service. Auth first. */
    readonly pluginNames: pulumi.Output<string[]>;
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
