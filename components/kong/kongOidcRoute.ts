// KongOidcRoute: one route through Kong, protected by the openid-connect plugin, on any Kong target.
// Its args resolve once into a target-free RouteModel (model/routeModel.ts) checked by its target's
// emitter too; that emitter (emitters/: ingress.ts, gateway.ts, adminApi.ts) registers the resources,
// the route itself always after its auth plugin.
import * as pulumi from "@pulumi/pulumi";
import { TypeScriptOnly } from "../typescriptOnly";
import * as random from "@pulumi/random";
import { OidcProviderArgs } from "../oidc";
import { requiredOutput } from "../providerOutputs";
import { Issues, ResolvedOnce } from "../validation";
import type { RouteAuth } from "./model/emitter";
import { aclConfig, jwtConfig, openIdConnectConfig } from "./model/pluginConfigs";
import { KongOidcRouteArgs, ResolvedKongOidcRouteArgs, resolveRouteModel, RouteModel, routeOidcSettings } from "./model/routeModel";
import { KongProxyCache, routeCache } from "./proxyCache";
import { checkTarget, emitterOf, KongRouteResources } from "./targets";

export const KONG_OIDC_ROUTE_TYPE = "kong-cognito:index:KongOidcRoute";

function resolveArgs(name: string, args: Omit<KongOidcRouteArgs, "oidc">): ResolvedKongOidcRouteArgs {
    const issues = new Issues(`KongOidcRoute "${name}"`);
    const target = args.target ?? "ingress";
    const knownTarget = checkTarget(issues, target, args, (emitter) => emitter.routeArgs);
    const { route, warnings } = resolveRouteModel(issues, name, args);
    if (!route || !knownTarget) {
        return issues.stop();
    }
    emitterOf(target).checkRoute(issues, route);
    issues.throwIfAny();
    return { target, route, warnings };
}

const resolutions = new ResolvedOnce<Omit<KongOidcRouteArgs, "oidc">, ResolvedKongOidcRouteArgs>(resolveArgs, ["oidc"]);

/**
 * Resolves a route's args into its target and target-free model; throws one KongCognitoInputError
 * listing every broken rule. Registers nothing; a stack resolves every route before it registers
 * anything, and the constructor then finds the same args resolved (the OIDC provider is not read).
 */
export function resolveKongOidcRouteArgs(name: string, args: Omit<KongOidcRouteArgs, "oidc">): ResolvedKongOidcRouteArgs {
    return resolutions.get(name, args);
}

/**
 * The openid-connect config of a route as JSON, a Pulumi secret: it holds the client secret
 * (browser routes), the session secret and the Redis password.
 */
function oidcConfigJson(
    oidc: OidcProviderArgs,
    route: RouteModel,
    sessionSecret: pulumi.Output<string> | undefined,
): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([
                pulumi.all([oidc.issuer, oidc.clientId, oidc.clientSecret, oidc.scopes ?? ["openid"], oidc.requiredScopes ?? []]),
                pulumi.all([oidc.logoutEndpoint, oidc.revocationEndpoint, sessionSecret, route.redisPassword]),
                pulumi.all([route.publicUrl, route.session?.signedOutUrl, route.session?.secureCookie]),
            ])
            .apply(
                ([
                    [issuer, clientId, clientSecret, scopes, requiredScopes],
                    [logoutEndpoint, revocationEndpoint, secret, redisPassword],
                    [publicUrl, signedOutUrl, secureCookie],
                ]) =>
                    JSON.stringify(
                        openIdConnectConfig(
                            routeOidcSettings(route, {
                                issuer,
                                clientId,
                                clientSecret,
                                scopes,
                                requiredScopes,
                                logoutEndpoint,
                                revocationEndpoint,
                                sessionSecret: secret,
                                redisPassword,
                                publicUrl,
                                signedOutUrl,
                                secureCookie,
                            }),
                        ),
                    ),
            ),
    );
}

/**
 * How the route checks callers. Enterprise: openid-connect, with its config (a secret). OSS: jwt
 * and acl; the acl group is the consumer's, so the plugin waits for the consumer's credentials.
 */
function routeAuth(parent: pulumi.ComponentResource, name: string, oidc: OidcProviderArgs, route: RouteModel): RouteAuth {
    if (route.kongEdition === "oss") {
        return { plugin: "jwt", config: jwtConfig(), acl: pulumi.output(route.jwtConsumer!.aclGroup).apply(aclConfig) };
    }
    // One stable secret per browser route, kept in state: every Kong node signs and reads the
    // session cookie with it, across restarts (without one, each process derives its own).
    const sessionSecret = route.session && new random.RandomBytes(`${name}-session-secret`, { length: 32 }, { parent });
    const secret =
        sessionSecret &&
        pulumi.secret(requiredOutput("random:index/randomBytes:RandomBytes", `${name}-session-secret`, "base64", sessionSecret.base64));
    return { plugin: "openid-connect", config: oidcConfigJson(oidc, route, secret) };
}

const routeChildren = new TypeScriptOnly<KongOidcRoute, { resources: KongRouteResources; cache?: KongProxyCache; settings: RouteModel }>(
    "KongOidcRoute",
);

/**
 * A Kong route behind openid-connect (Kong Enterprise) or, on Kong OSS, the jwt and acl plugins.
 *
 * Browser routes: `<name>-session-secret` (random bytes, a secret) signs the session cookie.
 *
 * ingress target: `<name>-upstream` (ExternalName Service, for upstreamUrl or a Service in another namespace), `<name>-oidc-config`
 * (Secret with the plugin config), `<name>-oidc` (KongPlugin), `<name>-cache` (KongProxyCache,
 * with cache) and `<name>-ingress`, which depends on all of them.
 *
 * gateway target: the same, with `<name>-httproute` (an HTTPRoute attached to the Gateway) in place
 * of the Ingress; an upstreamService in another namespace is referenced directly and granted by
 * `<name>-backend-grant` (a ReferenceGrant in that namespace) instead of an ExternalName Service.
 *
 * admin target: `<name>-service` (Kong service), `<name>-oidc` (openid-connect plugin on the
 * service, secret configJson), `<name>-cache` (KongProxyCache on the service) and `<name>-route`,
 * created after its plugins.
 *
 * kongEdition oss: `<name>-jwt` and `<name>-acl` (KongPlugins, or plugins on the service) take the
 * place of openid-connect and its Secret; the acl plugin waits for the consumer's credentials.
 */
export class KongOidcRoute extends pulumi.ComponentResource {
    /** What was registered, by target: `resources.target` tells which. TypeScript only. */
    get resources(): KongRouteResources {
        return routeChildren.get(this).resources;
    }
    /** The route's cache, on cached routes. TypeScript only. */
    get cache(): KongProxyCache | undefined {
        return routeChildren.get(this).cache;
    }
    /** The route as resolved: defaults applied, cache settings included. TypeScript only. */
    get settings(): RouteModel {
        return routeChildren.get(this).settings;
    }

    /** Where users and clients call the route, e.g. `https://kong.example.com/oidcroute`. */
    readonly url: pulumi.Output<string>;
    /** ingress: the Ingress's name; gateway: the HTTPRoute's; admin: the Kong route's name. */
    readonly routeName: pulumi.Output<string>;
    /** ingress, gateway: the KongPlugins attached to the Ingress or HTTPRoute; admin: the plugin types on the service. Auth first. */
    readonly pluginNames: pulumi.Output<string[]>;
    /** The openid-connect `auth_methods` of the route; on Kong OSS `["bearer"]` (the jwt plugin). */
    readonly authMethods: string[];

    constructor(name: string, args: KongOidcRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        const { target, route, warnings } = resolveKongOidcRouteArgs(name, args);
        super(KONG_OIDC_ROUTE_TYPE, name, {}, opts);
        for (const warning of warnings) {
            void pulumi.log.warn(warning, this);
        }
        let cache: KongProxyCache | undefined;
        const emitted = emitterOf(target).emitRoute(
            {
                parent: this,
                auth: routeAuth(this, name, args.oidc, route),
                cache: (settings, placement) =>
                    (cache = routeCache(this, `${name}-cache`, target, settings, placement, route.redisPassword)),
            },
            route,
        );
        routeChildren.set(this, { resources: emitted.resources, cache, settings: route });
        this.routeName = emitted.routeName;
        this.pluginNames = emitted.pluginNames;
        this.url = pulumi.output(route.publicUrl);
        this.authMethods = route.authMethods;
        this.registerOutputs({ url: this.url, routeName: this.routeName, pluginNames: this.pluginNames });
    }
}
