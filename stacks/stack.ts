// One environment of kong-cognito as one dependency graph: the Cognito IdP, then each Kong route
// with its plugins, and in dev optionally the sample app behind `sampleroute`.
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, CognitoIdpArgs, resolveCognitoIdpArgs } from "../components";
import { KongOidcRoute, KongOidcRouteArgs, resolveKongOidcRouteArgs } from "../components";
import { KongProvider } from "../components";
import { checkAdminApiUrl } from "../components/kong/rules";
import { Issues } from "../components/validation";
import { PROJECT, RouteConfig, StackConfig } from "./config";
import { SampleApp } from "./sampleApp";

/** What `pulumi stack output` shows; `npm run verify` reads it. */
export interface StackOutputs {
    readonly userPoolId: pulumi.Output<string>;
    readonly issuerUrl: pulumi.Output<string>;
    readonly discoveryUrl: pulumi.Output<string>;
    readonly tokenEndpoint: pulumi.Output<string>;
    readonly authorizeEndpoint: pulumi.Output<string>;
    readonly hostedUiUrl: pulumi.Output<string>;
    readonly webClientId: pulumi.Output<string>;
    readonly webClientSecret: pulumi.Output<string>;
    readonly machineClientId: pulumi.Output<string>;
    readonly machineClientSecret: pulumi.Output<string>;
    readonly machineScopes: pulumi.Output<string[]>;
    readonly routes: pulumi.Output<RouteOutput[]>;
}

export interface RouteOutput {
    readonly name: string;
    readonly url: string;
    readonly mode: string;
    readonly authMethods: string[];
    /** Present on cached routes. */
    readonly cacheTtlSeconds?: number;
}

/** Logical name of the stack's CognitoIdp; its children are `cognito-pool`, `cognito-web-client`, ... */
export const IDP_NAME = "cognito";

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

/** CognitoIdp arg paths as the config keys users write, so errors name what to fix. */
const IDP_CONFIG_KEYS: [string, string][] = [
    ["webClient.accessTokenValidityMinutes", "accessTokenValidityMinutes"],
    ["webClient.idTokenValidityMinutes", "idTokenValidityMinutes"],
    ["webClient.refreshTokenValidityDays", "refreshTokenValidityDays"],
    ["resourceServer.identifier", "resourceServerIdentifier"],
    ["resourceServer.scopes", "resourceServerScopes"],
    ["machineClient.scopes", "resourceServerScopes"],
    ["machineClient.accessTokenValidityMinutes", "accessTokenValidityMinutes"],
    ["callbackUrls", "routes (browser route URLs)"],
    ["userPoolName", "userPoolName"],
    ["domainPrefix", "domainPrefix"],
    ["passwordMinimumLength", "passwordMinimumLength"],
    ["mfa", "mfa"],
];

function idpConfigKey(propertyPath: string): string {
    const match = IDP_CONFIG_KEYS.find(([argPath]) => propertyPath.startsWith(argPath));
    return match ? `${PROJECT}:${match[1]}${propertyPath.slice(match[0].length)}` : `CognitoIdp.${propertyPath}`;
}

function idpArgs(config: StackConfig): CognitoIdpArgs {
    const base = new URL(config.publicBaseUrl).origin;
    return {
        userPoolName: config.userPoolName,
        domainPrefix: config.domainPrefix,
        callbackUrls: config.routes.filter((r) => r.mode === "browser").map((r) => `${base}${r.path}`),
        deletionProtection: config.deletionProtection,
        protectUserPool: config.protectUserPool,
        selfSignUp: config.selfSignUp,
        mfa: config.mfa,
        passwordMinimumLength: config.passwordMinimumLength,
        webClient: {
            name: config.webClientName,
            accessTokenValidityMinutes: config.accessTokenValidityMinutes,
            idTokenValidityMinutes: config.idTokenValidityMinutes,
            refreshTokenValidityDays: config.refreshTokenValidityDays,
        },
        resourceServer: {
            identifier: config.resourceServerIdentifier,
            scopes: config.resourceServerScopes.map((scope) => ({
                name: scope,
                description: `${scope} on ${config.resourceServerIdentifier}`,
            })),
        },
        machineClient: { name: config.machineClientName, accessTokenValidityMinutes: config.accessTokenValidityMinutes },
    };
}

function routeArgs(config: StackConfig, route: RouteConfig): Omit<KongOidcRouteArgs, "oidc"> {
    return {
        target: config.target,
        namespace: config.namespace,
        publicBaseUrl: config.publicBaseUrl,
        path: route.path,
        mode: route.mode,
        upstreamUrl: route.upstreamUrl,
        upstreamService: route.upstreamService,
        host: route.host,
        tlsSecretName: route.tlsSecretName,
        stripPath: route.stripPath,
        protocols: route.protocols,
        authMethods: route.authMethods,
        sslVerify: config.sslVerify,
        cache: route.cache,
    };
}

/**
 * Checks the whole stack before anything is registered: every component's args and the rules
 * that span routes (unique names and paths, a browser route for the web client's callback).
 */
export function validateStack(stack: string, config: StackConfig, options: BuildOptions = {}): void {
    const issues = new Issues(`stack "${stack}"`);
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
    const names = new Map<string, number>();
    const paths = new Map<string, number>();
    config.routes.forEach((route, index) => {
        const at = `${PROJECT}:routes[${index}]`;
        const other = names.get(route.name);
        if (other !== undefined) {
            issues.add(`${at}.name`, route.name, `is already the name of routes[${other}]; route names must be unique`);
        }
        names.set(route.name, index);
        const hostPath = `${route.host ?? "*"}${route.path}`;
        const samePath = paths.get(hostPath);
        if (samePath !== undefined) {
            issues.add(`${at}.path`, route.path, `is already the path of routes[${samePath}] on the same host`);
        }
        paths.set(hostPath, index);
        issues.collect(
            () => resolveKongOidcRouteArgs(route.name, routeArgs(config, route)),
            // publicBaseUrl is one key for all routes; report it once under its own name.
            (p) => (p === "publicBaseUrl" ? `${PROJECT}:publicBaseUrl` : `${at}.${p}`),
        );
    });
    if (!config.routes.some((r) => r.mode === "browser")) {
        issues.add(
            `${PROJECT}:routes`,
            config.routes.map((r) => r.name),
            "need one browser route: its URL is the web client's callback URL",
        );
    }
    // The callback URLs derive from publicBaseUrl; when it is broken the routes have said so.
    if (URL.canParse(config.publicBaseUrl)) {
        issues.collect(() => resolveCognitoIdpArgs(IDP_NAME, idpArgs(config)), idpConfigKey);
    }
    issues.throwIfAny();
}

/**
 * Builds the stack: validates everything first (so bad config registers nothing), then the IdP,
 * the routes bound to it, and the sample app when asked.
 */
export function buildStack(stack: string, config: StackConfig, options: BuildOptions = {}): StackOutputs {
    validateStack(stack, config, options);
    const opts = options.opts;

    // A fixed logical name: renaming the pool (userPoolName) then shows as what it is, a replacement.
    const idp = new CognitoIdp(IDP_NAME, idpArgs(config), opts);

    let sampleApp: SampleApp | undefined;
    if (config.deploySampleApp) {
        sampleApp = new SampleApp("sample-app", { namespace: config.namespace, image: config.sampleAppImage }, opts);
    }

    let routeOpts = opts;
    if (config.target === "admin" && !hasKongProvider(opts)) {
        const kong = new KongProvider("kong-admin", {
            kongAdminUri: options.kongAdmin!.adminUri,
            kongAdminToken: options.kongAdmin!.adminToken,
        });
        routeOpts = pulumi.mergeOptions(opts, { providers: { kong } });
    }

    const routes = config.routes.map((route) => {
        const component = new KongOidcRoute(
            route.name,
            { ...routeArgs(config, route), oidc: idp.oidcSettings(route.mode) },
            // The sample app's Service must exist before a route sends traffic to it.
            pulumi.mergeOptions(
                routeOpts,
                sampleApp && route.upstreamService?.name === sampleApp.serviceName ? { dependsOn: [sampleApp] } : {},
            ),
        );
        return component.url.apply((url): RouteOutput => ({
            name: route.name,
            url,
            mode: route.mode,
            authMethods: component.authMethods,
            ...(component.cache ? { cacheTtlSeconds: component.cache.config.cache_ttl as number } : {}),
        }));
    });

    return {
        userPoolId: idp.userPoolId,
        issuerUrl: idp.issuerUrl,
        discoveryUrl: idp.discoveryUrl,
        tokenEndpoint: idp.tokenEndpoint,
        authorizeEndpoint: idp.authorizeEndpoint,
        hostedUiUrl: idp.hostedUiUrl,
        webClientId: idp.webClientId,
        webClientSecret: idp.webClientSecret,
        machineClientId: idp.machineClientId!,
        machineClientSecret: idp.machineClientSecret!,
        machineScopes: idp.machineScopes!,
        routes: pulumi.all(routes),
    };
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
