// One environment of kong-cognito as one dependency graph: the Cognito IdP, then each Kong route
// with its plugins, and in dev optionally the sample app behind `sampleroute`.
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, resolveCognitoIdpArgs } from "../components/cognito/cognitoIdp";
import { KongJwtConsumer, resolveKongJwtConsumerArgs } from "../components/kong/jwtConsumer";
import { KongGateway, resolveKongGatewayArgs } from "../components/kong/kongGateway";
import { KongOidcRoute, resolveKongOidcRouteArgs } from "../components/kong/kongOidcRoute";
import { KongProvider } from "../components/kong/provider";
import { OSS_TOKEN_CHECKS } from "../components/kong/model/routeModel";
import { checkAdminApiUrl } from "../components/kong/model/rules";
import { Issues } from "../components/validation";
import { consumerConfigPath, gatewayConfigPath, idpConfigPath, routeConfigPath, StackArgs, stackArgs, StackConfig } from "./config";
import { ConfigKeyName, configKey, StackRouteArgs } from "./configKeys";
import { RouteOutput, StackOutputs } from "./outputs";
import { SAMPLE_APP_NAME, SampleApp } from "./sampleApp";

export { RouteOutput, StackOutputs };

/** Logical name of the stack's CognitoIdp; its children are `cognito-pool`, `cognito-web-client`, ... */
export const IDP_NAME = "cognito";

/** Logical name of the KongGateway a stack creates (createGateway); its children are `gateway-gateway`, `gateway-class`. */
export const GATEWAY_NAME = "gateway";

/** Logical name of the pool's KongJwtConsumer on Kong OSS; its children are `cognito-jwt-jwks`, `cognito-jwt-key-0`, ... */
export const JWT_CONSUMER_NAME = "cognito-jwt";

/**
 * What validation puts where the stack's own values come later (the pool's issuer, the consumer's
 * reference): they are Outputs of resources not registered yet, and their rules are checked then.
 */
const PLANNED_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_planned";
// Stryker disable next-line ObjectLiteral,StringLiteral: validation reads only that an OSS route has a consumer; its ACL group is read when the route registers, from the real one
const PLANNED_CONSUMER = { aclGroup: "(the stack's consumer)" };

/** The keys of the gateway target, and of them the ones about a Gateway the stack creates. */
const GATEWAY_KEYS: readonly ConfigKeyName[] = ["gatewayName", "gatewayNamespace", "createGateway"];
const CREATED_GATEWAY_KEYS: readonly ConfigKeyName[] = ["gatewayClassName", "createGatewayClass", "gatewayTlsSecretName"];

/** The gateway target's keys on another target, and the created Gateway's keys without one: refused, not ignored. */
function checkGatewayKeys(issues: Issues, config: StackConfig): void {
    for (const key of [...GATEWAY_KEYS, ...CREATED_GATEWAY_KEYS]) {
        if (config[key] === undefined) {
            continue;
        }
        if (config.target !== "gateway") {
            issues.add(configKey(key), config[key], `applies to the gateway target only (kong-cognito:target is ${config.target})`);
        } else if (CREATED_GATEWAY_KEYS.includes(key) && config.createGateway !== true) {
            issues.add(
                configKey(key),
                config[key],
                "applies only to a Gateway the stack creates (kong-cognito:createGateway: true); an existing Gateway has its own",
            );
        }
    }
}

/** The Kong OSS keys on Enterprise: refused, not ignored. */
function checkEditionKeys(issues: Issues, config: StackConfig): void {
    if (config.jwtKeySlots !== undefined && config.kongEdition !== "oss") {
        issues.add(
            configKey("jwtKeySlots"),
            config.jwtKeySlots,
            `applies to kongEdition oss only (kong-cognito:kongEdition is ${config.kongEdition})`,
        );
    }
}

/** Where the admin target reaches Kong's Admin API. */
export interface KongAdminConnection {
    /** `kong:kongAdminUri`: https, or http only to localhost (a port-forward or a sidecar). */
    readonly adminUri: string;
    /** `kong:kongAdminToken`: Kong Enterprise RBAC token, a secret. */
    readonly adminToken?: pulumi.Input<string>;
}

export interface BuildOptions {
    /** Required for target admin unless `opts` brings a kong provider. */
    readonly kongAdmin?: KongAdminConnection;
    /** Options for every top-level component (providers, protect, ...). */
    readonly opts?: pulumi.ComponentResourceOptions;
}

/**
 * Checks the whole stack before anything is registered: every component's args, resolved once
 * (the constructors find them resolved), and the rules that span routes (unique names and paths,
 * a browser route for the web client's callback). Returns the args the components are built from.
 */
export function validateStack(stack: string, config: StackConfig, options: BuildOptions = {}): StackArgs {
    const issues = new Issues(`stack "${stack}"`);
    const args = stackArgs(config);
    if (config.target === "admin" && !hasKongProvider(options.opts)) {
        if (options.kongAdmin === undefined) {
            issues.add(
                "kong:kongAdminUri",
                undefined,
                "the admin target needs the Admin API URL (pulumi config set kong:kongAdminUri ...)",
            );
        } else {
            checkAdminApiUrl(issues, "kong:kongAdminUri", options.kongAdmin.adminUri);
        }
    }
    checkGatewayKeys(issues, config);
    checkEditionKeys(issues, config);
    const oss = config.kongEdition === "oss";
    if (oss) {
        issues.collect(
            () => resolveKongJwtConsumerArgs(JWT_CONSUMER_NAME, { ...args.consumer, issuer: PLANNED_ISSUER }),
            consumerConfigPath,
        );
    }
    if (config.target === "gateway" && config.createGateway === true) {
        issues.collect(() => resolveKongGatewayArgs(GATEWAY_NAME, args.gateway), gatewayConfigPath);
    }
    const names = new Map<string, number>();
    const paths = new Map<string, number>();
    config.routes.forEach((route, index) => {
        const at = configKey(`routes[${index}]`);
        const other = names.get(route.name);
        if (other !== undefined) {
            issues.add(`${at}.name`, route.name, `is already the name of routes[${other}]; route names must be unique`);
        }
        names.set(route.name, index);
        // A route for a named host may share a path with one for any host (Kong prefers the named host).
        const hostPath = JSON.stringify([route.host, route.path]);
        const samePath = paths.get(hostPath);
        if (samePath !== undefined) {
            issues.add(`${at}.path`, route.path, `is already the path of routes[${samePath}] on the same host`);
        }
        paths.set(hostPath, index);
        issues.collect(
            () => resolveKongOidcRouteArgs(route.name, { ...args.routes[index].args, ...(oss ? { jwtConsumer: PLANNED_CONSUMER } : {}) }),
            (p) => routeConfigPath(index, p),
        );
    });
    config.routes.forEach((route, index) => {
        // A Service nothing creates is a route to nowhere: the sample app is there only when deployed.
        const service = route.upstreamService;
        if (service?.name === SAMPLE_APP_NAME && (service.namespace ?? config.namespace) === config.namespace && !config.deploySampleApp) {
            issues.add(
                configKey(`routes[${index}].upstreamService.name`),
                service.name,
                "is the sample app's Service, which this stack does not deploy (deploySampleApp is false): name the Service your app runs as",
            );
        }
    });
    // The callback URLs derive from publicBaseUrl; when it is broken the routes have said so.
    if (URL.canParse(config.publicBaseUrl)) {
        issues.collect(() => resolveCognitoIdpArgs(IDP_NAME, args.idp), idpConfigPath);
    }
    issues.throwIfAny();
    return args;
}

/**
 * Builds the stack: validates everything first (so bad config registers nothing), then the IdP,
 * the Gateway when the stack creates one, the routes bound to both, and the sample app when asked.
 */
export function buildStack(stack: string, config: StackConfig, options: BuildOptions = {}): StackOutputs {
    const args = validateStack(stack, config, options);
    const opts = options.opts;

    // A fixed logical name: renaming the pool (userPoolName) then shows as what it is, a replacement.
    const idp = new CognitoIdp(IDP_NAME, args.idp, opts);

    let sampleApp: SampleApp | undefined;
    if (config.deploySampleApp) {
        sampleApp = new SampleApp(SAMPLE_APP_NAME, args.sampleApp, opts);
    }

    // The routes attach to the Gateway by its outputs, so each HTTPRoute waits for it.
    const gateway =
        config.target === "gateway" && config.createGateway === true ? new KongGateway(GATEWAY_NAME, args.gateway, opts) : undefined;

    let routeOpts = opts;
    if (config.target === "admin" && !hasKongProvider(opts)) {
        const kong = new KongProvider("kong-admin", {
            kongAdminUri: options.kongAdmin!.adminUri,
            kongAdminToken: options.kongAdmin!.adminToken,
        });
        routeOpts = pulumi.mergeOptions(opts, { providers: { kong } });
    }

    // Kong OSS: the pool as one consumer, its signing keys as jwt credentials; every route waits for them.
    const consumer =
        config.kongEdition === "oss"
            ? new KongJwtConsumer(JWT_CONSUMER_NAME, { ...args.consumer, issuer: idp.issuerUrl }, routeOpts)
            : undefined;

    const routes = args.routes.map(({ name, args: routeArgs }) => {
        const component = new KongOidcRoute(
            name,
            {
                ...routeArgs,
                ...(gateway ? { gateway: gateway.reference } : {}),
                ...(consumer ? { jwtConsumer: consumer.reference } : {}),
                oidc: idp.oidcSettings(routeArgs.mode),
            },
            // The sample app's Service must exist before a route sends traffic to it.
            pulumi.mergeOptions(
                routeOpts,
                sampleApp && routeArgs.upstreamService?.name === sampleApp.serviceName ? { dependsOn: [sampleApp] } : {},
            ),
        );
        const { mode, authMethods, cache, session, kongEdition } = component.settings;
        return pulumi.all([component.url, session?.signedOutUrl]).apply(([url, signedOutUrl]): RouteOutput => ({
            name,
            url,
            mode,
            authMethods,
            authPlugin: kongEdition === "oss" ? "jwt" : "openid-connect",
            ...(kongEdition === "oss"
                ? { tokenChecks: { checked: [...OSS_TOKEN_CHECKS.checked], notChecked: [...OSS_TOKEN_CHECKS.notChecked] } }
                : {}),
            upstream: describeUpstream(routeArgs, config.namespace),
            ...(session ? { logoutUrl: `${url}${session.logoutPath}`, logoutMethods: [...session.logoutMethods], signedOutUrl } : {}),
            ...(cache ? { cacheTtlSeconds: cache.ttlSeconds } : {}),
        }));
    });

    return {
        userPoolId: idp.userPoolId,
        issuerUrl: idp.issuerUrl,
        discoveryUrl: idp.discoveryUrl,
        tokenEndpoint: idp.tokenEndpoint,
        authorizeEndpoint: idp.authorizeEndpoint,
        hostedUiUrl: idp.hostedUiUrl,
        // CognitoIdp sets the web client's id and secret together.
        ...(idp.webClientId ? { webClientId: idp.webClientId, webClientSecret: idp.webClientSecret! } : {}),
        machineClientId: idp.machineClientId!,
        machineClientSecret: idp.machineClientSecret!,
        machineScopes: idp.machineScopes!,
        routes: pulumi.all(routes),
        ...(consumer ? { jwtKeyIds: consumer.keyIds } : {}),
    };
}

/** Where a route's traffic goes, for people: `verify` prints it next to the route. */
function describeUpstream(route: StackRouteArgs, namespace: string): string {
    if (route.upstreamUrl !== undefined) {
        return route.upstreamUrl;
    }
    const service = route.upstreamService!;
    const serviceNamespace = (service.namespace as string | undefined) ?? namespace;
    const at = `Service ${serviceNamespace}/${service.name as string} port ${service.port}`;
    // validateStack refuses a route to the sample app's Service in the stack's namespace unless the stack deploys it.
    const ours = service.name === SAMPLE_APP_NAME && serviceNamespace === namespace;
    return ours ? `${at} (the sample app, deployed by this stack)` : `${at} (not created by this stack)`;
}

/** True when the caller's options already carry a provider for the kong package. */
function hasKongProvider(opts: pulumi.ComponentResourceOptions | undefined): boolean {
    const providers = opts?.providers;
    if (providers === undefined) {
        return false;
    }
    const list = Array.isArray(providers) ? providers : Object.values(providers);
    return list.some((p) => pulumi.ProviderResource.isInstance(p) && (p as unknown as { getPackage(): string }).getPackage() === "kong");
}
