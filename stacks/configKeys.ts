// The one table of the stack's config keys: for each `kong-cognito:<key>`, its type and default
// (the zod schema), what Pulumi.yaml declares, its description, and the component args it feeds.
// Parsing, the mapping to component args, the config key an error names, Pulumi.yaml and the
// README's table all read this table (`npm run sync:config` rewrites the last two).
import { z } from "zod";
import type { CognitoIdpArgs } from "../components/cognito/cognitoIdp";
import { DEFAULT_GATEWAY_NAME } from "../components/kong/emitters/gateway";
import { DEFAULT_KEY_SLOTS } from "../components/kong/jwks";
import type { KongJwtConsumerArgs } from "../components/kong/model/consumerModel";
import { DEFAULT_GATEWAY_CLASS, KongGatewayArgs } from "../components/kong/kongGateway";
import { HOSTED_UI_AUTH_FLOWS, HOSTED_UI_SCOPES, MFA_MODES, THREAT_PROTECTION_MODES, USER_POOL_TIERS } from "../components/cognito/rules";
import { KONG_EDITIONS, KongOidcRouteArgs } from "../components/kong/model/routeModel";
import { DEFAULT_KONG_VERSION, KONG_TLS_CERTIFICATE_VERIFY_VALUES } from "../components/kong/model/rules";
import { TARGETS } from "../components/kong/targets";
import { ROUTE_MODES, routeUrl } from "../components/oidc";
import type { SampleAppArgs } from "./sampleApp";

/** The Pulumi project whose namespace holds these keys. */
export const PROJECT = "kong-cognito";

type Leaf = string | number | boolean | readonly unknown[] | Promise<unknown> | { apply: unknown };
/** A property of T, or of one of its object-valued properties: `webClient.name`. */
type ArgPath<T> = {
    [K in keyof T & string]-?: NonNullable<T[K]> extends Leaf ? K : K | `${K}.${keyof NonNullable<T[K]> & string}`;
}[keyof T & string];

/** A route's args as a stack builds them (the OIDC provider comes from the stack's IdP). */
export type StackRouteArgs = Omit<KongOidcRouteArgs, "oidc">;

/** The config keys that derived args read (typed apart from StackConfig, which this table defines). */
export interface DerivationInput {
    readonly target: string;
    readonly kongEdition: string;
    readonly namespace: string;
    readonly gatewayName?: string;
    readonly gatewayNamespace?: string;
    readonly publicBaseUrl: string;
    readonly routes: readonly { readonly mode: string; readonly path: string; readonly signedOutUrl?: string }[];
    readonly resourceServerIdentifier: string;
    readonly resourceServerScopes: readonly string[];
}

/** Where a config value goes: a component arg, taken as is or derived from the config. */
export type Feed =
    | {
          readonly component: "idp";
          readonly arg: ArgPath<CognitoIdpArgs>;
          readonly derive?: (config: DerivationInput) => unknown;
          /** The derived list's indices are not the key's (callback URLs of browser routes only): errors name the key alone. */
          readonly ownIndices?: boolean;
          /** Fed only when this holds (the web client's settings: only a stack with a browser route has one). */
          readonly when?: (config: DerivationInput) => boolean;
      }
    | {
          readonly component: "route";
          readonly arg: ArgPath<StackRouteArgs>;
          /** Fed only when this holds (the gateway target's Gateway reference). */
          readonly when?: (config: DerivationInput) => boolean;
      }
    | {
          readonly component: "gateway";
          readonly arg: keyof KongGatewayArgs;
          readonly derive?: (config: DerivationInput) => unknown;
      }
    | {
          readonly component: "consumer";
          readonly arg: keyof KongJwtConsumerArgs;
          /** Fed only when this holds (the namespace: on the Kubernetes targets only). */
          readonly when?: (config: DerivationInput) => boolean;
      }
    | { readonly component: "sampleApp"; readonly arg: keyof SampleAppArgs };

export interface ConfigKey {
    /** Type, rules of shape and default, as the program applies them. */
    readonly schema: z.ZodType;
    /**
     * The value's type in Pulumi.yaml's terms, which the CLI checks where Pulumi.yaml declares the
     * key: only a key with a default or a required one (configDeclarations), since the CLI requires
     * every declared key of the project's namespace that has no default.
     */
    readonly cliType: "string" | "integer" | "boolean" | "array" | "object";
    /** An array's item type (Pulumi.yaml `items`); `object` needs Pulumi CLI 3.187 or later. */
    readonly cliItems?: "string" | "object";
    readonly description: string;
    /** The component args this key sets; their errors name this key. */
    readonly feeds: readonly Feed[];
    /** Component args derived from this key by the component itself, whose errors name this key too. */
    readonly reportsFor?: readonly ArgPath<CognitoIdpArgs>[];
    /**
     * Where a credential lives inside the value (`password` of `redis`): it must come from an
     * encrypted value (`pulumi config set --secret`), and the program keeps it a Pulumi secret.
     */
    readonly secretField?: string;
    /**
     * The default the README shows for a key that has one only on some targets: Pulumi.yaml cannot
     * declare it (a declared default is always set, and the key would be refused on other targets).
     */
    readonly shownDefault?: string;
}

type IdpFeedOptions = Pick<Extract<Feed, { component: "idp" }>, "derive" | "ownIndices" | "when">;
const idp = (arg: ArgPath<CognitoIdpArgs>, options: IdpFeedOptions = {}): Feed => ({ component: "idp", arg, ...options });
const route = (arg: ArgPath<StackRouteArgs>): Feed => ({ component: "route", arg });
/** On the gateway target only: the routes' Gateway. */
const isGatewayTarget = (config: DerivationInput) => config.target === "gateway";
const gatewayRef = (arg: ArgPath<StackRouteArgs>): Feed => ({ component: "route", arg, when: isGatewayTarget });
/** The Gateway a stack creates (createGateway). */
const gateway = (arg: keyof KongGatewayArgs, derive?: (config: DerivationInput) => unknown): Feed => ({
    component: "gateway",
    arg,
    derive,
});
/** The web client exists only in a stack with a browser route. */
const hasBrowserRoute = (config: DerivationInput) => config.routes.some((r) => r.mode === "browser");
const webClient = (arg: ArgPath<CognitoIdpArgs>): Feed => idp(arg, { when: hasBrowserRoute });
/** The URL a browser route's users land on after signing out. */
const signedOutUrl = (publicBaseUrl: string, r: DerivationInput["routes"][number]) => r.signedOutUrl ?? routeUrl(publicBaseUrl, r.path);
const sampleApp = (arg: keyof SampleAppArgs): Feed => ({ component: "sampleApp", arg });
/** The pool's Kong consumer, on Kong OSS; its namespace only on the Kubernetes targets. */
const consumer = (arg: keyof KongJwtConsumerArgs, when?: (config: DerivationInput) => boolean): Feed => ({
    component: "consumer",
    arg,
    when,
});
const isKubernetesTarget = (config: DerivationInput) => config.target !== "admin";

/** One route of `kong-cognito:routes`: its fields are KongOidcRouteArgs of the same name. */
export const routeSchema = z
    .object({
        name: z.string().min(1, "must not be empty"),
        path: z.string().min(1, "must not be empty"),
        mode: z.enum(ROUTE_MODES),
        upstreamUrl: z.string().optional(),
        upstreamService: z
            .object({ name: z.string().min(1), port: z.number().int(), namespace: z.string().min(1).optional() })
            .strict()
            .optional(),
        logoutPath: z.string().optional(),
        logoutMethods: z.array(z.string()).optional(),
        signedOutUrl: z.string().optional(),
        host: z.string().optional(),
        tlsSecretName: z.string().optional(),
        stripPath: z.boolean().optional(),
        protocols: z.array(z.string()).optional(),
        authMethods: z.array(z.string()).optional(),
        cache: z
            .object({
                ttlSeconds: z.number().optional(),
                contentTypes: z.array(z.string()).optional(),
                responseCodes: z.array(z.number()).optional(),
                requestMethods: z.array(z.string()).optional(),
                varyHeaders: z.array(z.string()).optional(),
                dictionaryName: z.string().optional(),
            })
            .strict()
            .optional(),
    })
    .strict();
export type RouteConfig = z.infer<typeof routeSchema>;

// A route field that is no KongOidcRouteArgs of the same name would not reach the route: refuse to compile.
// Stryker disable next-line BooleanLiteral: a compile-time check; tsc refuses false here (its type is true), and nothing reads the value
const routeFieldsAreRouteArgs: Exclude<keyof RouteConfig, "name"> extends keyof StackRouteArgs ? true : never = true;
void routeFieldsAreRouteArgs;

/** Every `kong-cognito:` key. Adding one: a row here, the component arg it feeds, `npm run sync:config`. */
export const CONFIG_KEYS = {
    target: {
        schema: z.enum(TARGETS).default("ingress"),
        cliType: "string",
        description:
            "How Kong is configured: ingress (Kong Ingress Controller, an Ingress per route, through kubectl's context), gateway " +
            "(Kong Ingress Controller, a Gateway API HTTPRoute per route) or admin (Kong's Admin API through the kong provider; set " +
            "kong:kongAdminUri and the secret kong:kongAdminToken).",
        feeds: [route("target"), consumer("target")],
    },
    namespace: {
        schema: z.string().min(1).default("kong"),
        cliType: "string",
        description:
            "Kubernetes namespace of the routes' Ingresses or HTTPRoutes, KongPlugins and Secrets (KIC attaches plugins within a namespace).",
        feeds: [route("namespace"), sampleApp("namespace"), consumer("namespace", isKubernetesTarget)],
    },
    publicBaseUrl: {
        schema: z.string(),
        cliType: "string",
        description:
            "HTTPS base URL of the Kong proxy as users reach it, without a path; route and callback URLs derive from it. http only for localhost.",
        feeds: [route("publicBaseUrl"), gateway("publicBaseUrl")],
    },
    gatewayName: {
        schema: z.string().min(1).optional(),
        cliType: "string",
        description: `gateway target: the Gateway the HTTPRoutes attach to (default ${DEFAULT_GATEWAY_NAME}); with createGateway, the one the stack creates.`,
        shownDefault: "`kong`",
        feeds: [gatewayRef("gateway.name"), gateway("gatewayName", (config) => config.gatewayName ?? DEFAULT_GATEWAY_NAME)],
    },
    gatewayNamespace: {
        schema: z.string().min(1).optional(),
        cliType: "string",
        description:
            "gateway target: the Gateway's namespace (default: namespace). Another namespace's Gateway must allow routes from " +
            "namespace in its listener's allowedRoutes; one the stack creates does.",
        shownDefault: "the `namespace`",
        feeds: [
            gatewayRef("gateway.namespace"),
            gateway("namespace", (config) => config.gatewayNamespace ?? config.namespace),
            gateway("routeNamespaces", (config) =>
                config.gatewayNamespace !== undefined && config.gatewayNamespace !== config.namespace ? [config.namespace] : undefined,
            ),
        ],
    },
    createGateway: {
        schema: z.boolean().optional(),
        cliType: "boolean",
        description:
            "gateway target: create the Gateway (gatewayName in gatewayNamespace) with one listener for the host of publicBaseUrl, " +
            "instead of attaching to an existing one (default false).",
        shownDefault: "`false`",
        feeds: [],
    },
    gatewayClassName: {
        schema: z.string().min(1).optional(),
        cliType: "string",
        description: `With createGateway: the GatewayClass of the Gateway, one the Kong Ingress Controller serves (default ${DEFAULT_GATEWAY_CLASS}).`,
        shownDefault: "`kong`",
        feeds: [gateway("className")],
    },
    createGatewayClass: {
        schema: z.boolean().optional(),
        cliType: "boolean",
        description:
            "With createGateway: create the GatewayClass too (KIC's controller name, unmanaged mode). Cluster-wide: one stack per " +
            "cluster may create it (default false).",
        shownDefault: "`false`",
        feeds: [gateway("createClass")],
    },
    gatewayTlsSecretName: {
        schema: z.string().min(1).optional(),
        cliType: "string",
        description:
            "With createGateway: a TLS Secret in the Gateway's namespace; the listener is then HTTPS on 443 and Kong ends TLS " +
            "(default: HTTP on 80, TLS ending in front of Kong).",
        shownDefault: "none: HTTP on 80",
        feeds: [gateway("tlsSecretName")],
    },
    kongEdition: {
        schema: z.enum(KONG_EDITIONS).default("enterprise"),
        cliType: "string",
        description:
            "The Kong Gateway edition: enterprise (openid-connect) or oss (the bundled jwt and acl plugins against the user pool's " +
            "signing keys, read at deploy time; API routes only, no scope or client check: see Targets in the README).",
        feeds: [route("kongEdition")],
    },
    jwtKeySlots: {
        schema: z.number().optional(),
        cliType: "integer",
        description:
            `kongEdition oss: how many signing keys the user pool publishes, one jwt credential each (default ${DEFAULT_KEY_SLOTS}, ` +
            "Cognito's); creating or refreshing the stack fails naming the number found when it differs.",
        shownDefault: `\`${DEFAULT_KEY_SLOTS}\``,
        feeds: [consumer("keySlots")],
    },
    userPoolName: {
        schema: z.string().min(1).max(128).default("kongpool"),
        cliType: "string",
        description: "Cognito user pool name. Changing it REPLACES the pool and every user is lost.",
        feeds: [idp("userPoolName")],
    },
    domainPrefix: {
        schema: z.string(),
        cliType: "string",
        description:
            "Hosted-domain prefix (https://<prefix>.auth.<region>.amazoncognito.com): 1-63 of a-z, 0-9 and inner hyphens, " +
            'without "aws", "amazon" or "cognito"; unique per region.',
        feeds: [idp("domainPrefix")],
    },
    deletionProtection: {
        schema: z.boolean().default(true),
        cliType: "boolean",
        description: "Cognito deletion protection (ACTIVE) on the pool, so a replacement or delete fails instead of wiping users.",
        feeds: [idp("deletionProtection")],
    },
    protectUserPool: {
        schema: z.boolean().default(true),
        cliType: "boolean",
        description: "Pulumi `protect` on the user pool: `pulumi destroy` stops before deleting it.",
        feeds: [idp("protectUserPool")],
    },
    selfSignUp: {
        schema: z.boolean().default(false),
        cliType: "boolean",
        description: "Let users sign up from the hosted UI; otherwise only administrators create users.",
        feeds: [idp("selfSignUp")],
    },
    mfa: {
        schema: z.enum(MFA_MODES).default("OPTIONAL"),
        cliType: "string",
        description: "Multi-factor authentication with TOTP apps: OFF, OPTIONAL or ON.",
        feeds: [idp("mfa")],
    },
    passwordMinimumLength: {
        schema: z.number().default(12),
        cliType: "integer",
        description: "Minimum password length, 8 (AWS's default) to 99; upper, lower, digit and symbol are always required.",
        feeds: [idp("passwordMinimumLength")],
    },
    userPoolTier: {
        schema: z.enum(USER_POOL_TIERS).default("ESSENTIALS"),
        cliType: "string",
        description:
            "Cognito feature plan: LITE, ESSENTIALS (AWS's default for a new pool) or PLUS; it sets the price per monthly active user " +
            "and the features (threatProtection needs PLUS).",
        feeds: [idp("userPoolTier")],
    },
    threatProtection: {
        schema: z.enum(THREAT_PROTECTION_MODES).default("OFF"),
        cliType: "string",
        description:
            "Cognito threat protection (compromised credentials, adaptive authentication): OFF, AUDIT or ENFORCED; needs userPoolTier PLUS.",
        feeds: [idp("threatProtection")],
    },
    webClientName: {
        schema: z.string().min(1).default("kong-api"),
        cliType: "string",
        description:
            "Name of the browser sign-in app client (authorization code grant, client secret); a stack without browser routes has none.",
        feeds: [webClient("webClient.name")],
    },
    webClientAuthFlows: {
        schema: z.array(z.string()).default([...HOSTED_UI_AUTH_FLOWS]),
        cliType: "array",
        cliItems: "string",
        description:
            "Explicit auth flows of the web client. The hosted UI needs only ALLOW_REFRESH_TOKEN_AUTH; ALLOW_USER_PASSWORD_AUTH " +
            "(the seed's, for testing with the CLI) lets anyone holding the client secret try passwords directly.",
        feeds: [webClient("webClient.explicitAuthFlows")],
    },
    webClientScopes: {
        schema: z.array(z.string()).default([...HOSTED_UI_SCOPES]),
        cliType: "array",
        cliItems: "string",
        description:
            "OAuth scopes of the web client; Kong asks for the OpenID ones. aws.cognito.signin.user.admin (the seed's) lets a token " +
            "read and change its own user.",
        feeds: [webClient("webClient.oauthScopes")],
    },
    machineClientName: {
        schema: z.string().min(1).default("kong-machine"),
        cliType: "string",
        description: "Name of the client_credentials app client.",
        feeds: [idp("machineClient.name")],
    },
    accessTokenValidityMinutes: {
        schema: z.number().default(60),
        cliType: "integer",
        description: "Access token lifetime in minutes, 5 to 1440, of both app clients.",
        feeds: [webClient("webClient.accessTokenValidityMinutes"), idp("machineClient.accessTokenValidityMinutes")],
    },
    idTokenValidityMinutes: {
        schema: z.number().default(60),
        cliType: "integer",
        description: "ID token lifetime in minutes, 5 to 1440.",
        feeds: [webClient("webClient.idTokenValidityMinutes")],
    },
    refreshTokenValidityDays: {
        schema: z.number().default(30),
        cliType: "integer",
        description: "Refresh token lifetime in days, 1 to 3650.",
        feeds: [webClient("webClient.refreshTokenValidityDays")],
    },
    resourceServerIdentifier: {
        schema: z.string().default("http://kongresource"),
        cliType: "string",
        description: "Cognito resource server identifier; scopes are <identifier>/<scope>. Changing it replaces the resource server.",
        feeds: [idp("resourceServer.identifier")],
    },
    resourceServerScopes: {
        schema: z.array(z.string()).default(["scope1"]),
        cliType: "array",
        cliItems: "string",
        description: "Scope names of the resource server; the machine client may request all of them.",
        feeds: [
            idp("resourceServer.scopes", {
                derive: (config) =>
                    config.resourceServerScopes.map((scope) => ({
                        name: scope,
                        description: `${scope} on ${config.resourceServerIdentifier}`,
                    })),
            }),
        ],
        reportsFor: ["machineClient.scopes"],
    },
    sslVerify: {
        schema: z.boolean().default(true),
        cliType: "boolean",
        description:
            "openid-connect ssl_verify: verify Cognito's TLS certificate. Kong refuses false while its tls_certificate_verify " +
            "option is on (Kong's default from 3.14): see kongTlsCertificateVerify.",
        feeds: [route("sslVerify")],
    },
    kongVersion: {
        schema: z.string().default(DEFAULT_KONG_VERSION),
        cliType: "string",
        description: "The Kong Gateway release the stack configures (3.4 or later, e.g. 3.10); version-dependent rules follow it.",
        feeds: [route("kongVersion")],
    },
    kongTlsCertificateVerify: {
        schema: z.enum(KONG_TLS_CERTIFICATE_VERIFY_VALUES).default("default"),
        cliType: "string",
        description:
            "Kong's global tls_certificate_verify as your Kong runs it (kong.conf, or KONG_TLS_CERTIFICATE_VERIFY; Kong Enterprise " +
            "3.13+): on, off, or default for Kong's default for kongVersion (off in 3.13, on from 3.14). While it is on, " +
            "sslVerify false is refused, as Kong refuses it.",
        feeds: [route("kongTlsCertificateVerify")],
    },
    redis: {
        schema: z
            .object({
                host: z.string().min(1),
                port: z.number().int().optional(),
                tls: z.boolean().optional(),
                username: z.string().optional(),
                password: z.string().optional(),
                database: z.number().int().optional(),
            })
            .strict()
            .optional(),
        cliType: "object",
        description:
            "Redis shared by the Kong nodes (host, port, tls, username, password, database): browser sessions and caches move there " +
            "(caches use Kong Enterprise's proxy-cache-advanced; sessions need Kong 3.8+, whose openid-connect has a redis record). " +
            "Set the password with " +
            "`pulumi config set --secret --path kong-cognito:redis.password`.",
        feeds: [route("redis")],
        secretField: "password",
    },
    deploySampleApp: {
        schema: z.boolean().default(false),
        cliType: "boolean",
        description: "Deploy the in-cluster sample app (Service sample-app, port 80) for a route to point at.",
        feeds: [],
    },
    sampleAppImage: {
        schema: z.string().min(1).default("mccutchen/go-httpbin:v2.15.0"),
        cliType: "string",
        description: "Image of the sample app; it must serve HTTP on port 8080.",
        feeds: [sampleApp("image")],
    },
    routes: {
        schema: z.array(routeSchema).min(1, "must declare at least one route"),
        cliType: "array",
        cliItems: "object",
        description: "The routes (a list of objects, below). A browser route's URL is the web client's callback URL.",
        feeds: [
            // A broken publicBaseUrl is reported by the routes, which take it as is.
            idp("callbackUrls", {
                derive: (config) =>
                    URL.canParse(config.publicBaseUrl)
                        ? config.routes.filter((r) => r.mode === "browser").map((r) => routeUrl(config.publicBaseUrl, r.path))
                        : [],
                ownIndices: true,
            }),
            // Cognito's logout sends the browser only to a registered logout URL.
            idp("logoutUrls", {
                derive: (config) =>
                    URL.canParse(config.publicBaseUrl)
                        ? [...new Set(config.routes.filter((r) => r.mode === "browser").map((r) => signedOutUrl(config.publicBaseUrl, r)))]
                        : [],
                ownIndices: true,
            }),
        ],
    },
} as const satisfies Record<string, ConfigKey>;

export type ConfigKeyName = keyof typeof CONFIG_KEYS;

/** The typed config: every key of the table with its default applied. */
export const stackConfigSchema = z
    .object(
        Object.fromEntries(Object.entries(CONFIG_KEYS).map(([key, row]) => [key, row.schema])) as {
            [K in ConfigKeyName]: (typeof CONFIG_KEYS)[K]["schema"];
        },
    )
    .strict();

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** The default a key takes when the stack file leaves it out; undefined for required keys. */
export function defaultOf(key: ConfigKeyName): unknown {
    const parsed = CONFIG_KEYS[key].schema.safeParse(undefined);
    return parsed.success ? parsed.data : undefined;
}

/** `kong-cognito:<key>` for every key and config-relative path. */
export function configKey(path: string): string {
    return `${PROJECT}:${path}`;
}
