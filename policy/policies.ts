// The kong-cognito policies: the guard rails of this project for any Pulumi program that uses its
// components (or builds the same resources by hand). Each policy says why it exists and why it is
// mandatory or advisory. index.ts turns them into the pack; tests call them directly.
import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { checkCallbackUrl, checkClientCredentialsClient, checkPasswordPolicy, PasswordPolicy } from "../components/cognito/rules";
import { AUTH_PLUGINS, CACHE_PLUGINS, cacheSeparatesUsers, checkAuthMethods, OIDC_AUTH_METHODS } from "../components/kong/model/rules";
import { InputIssue, issuesOf } from "../components/validation";

const USER_POOL = "aws:cognito/userPool:UserPool";
const USER_POOL_CLIENT = "aws:cognito/userPoolClient:UserPoolClient";
const KONG_PLUGIN_CR = "kubernetes:configuration.konghq.com/v1:KongPlugin";
const K8S_SECRET = "kubernetes:core/v1:Secret";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const K8S_SERVICE = "kubernetes:core/v1:Service";
const KONG_PLUGIN = "kong:index/plugin:Plugin";

/** Why Cognito would refuse a callback or sign-out URL (the components' own rule), if it would. */
function redirectUrlProblem(value: unknown): string | undefined {
    return issuesOf((issues) => checkCallbackUrl(issues, "url", String(value)))[0]?.rule;
}

/** One issue as a policy message: `<field> <value>: <rule>`. */
function describe(issue: InputIssue): string {
    return `${issue.propertyPath} ${JSON.stringify(issue.value) ?? "(not set)"}: ${issue.rule}`;
}

export const cognitoDeletionProtection: ResourceValidationPolicy = {
    name: "cognito-deletion-protection",
    description:
        "User pools have deletion protection ACTIVE, so a replacement or a stray destroy fails instead of deleting every user. " +
        "Mandatory; dev stacks may run the pack with policy/dev-config.json, which makes it advisory.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === USER_POOL && args.props.deletionProtection !== "ACTIVE") {
            report(
                `user pool ${args.name} has deletionProtection ${args.props.deletionProtection ?? "INACTIVE (the default)"}; set it to ACTIVE`,
            );
        }
    },
};

export const cognitoPasswordPolicy: ResourceValidationPolicy = {
    name: "cognito-password-policy",
    description:
        "Passwords of at least 8 characters with upper and lower case, digits and symbols, temporary passwords valid at most 7 days " +
        "(cdk-nag AwsSolutions-COG1, Security Hub's Cognito password-policy control). Mandatory: weaker policies have no use here.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== USER_POOL) {
            return;
        }
        const policy = (args.props.passwordPolicy ?? {}) as PasswordPolicy;
        const problems = issuesOf((issues) => checkPasswordPolicy(issues, policy, (field) => field));
        if (problems.length > 0) {
            report(`user pool ${args.name} password policy: ${problems.map(describe).join("; ")}`);
        }
    },
};

export const cognitoMfa: ResourceValidationPolicy = {
    name: "cognito-mfa-required",
    description:
        "MFA is required for every user (cdk-nag AwsSolutions-COG2, Security Hub's Cognito MFA control). Advisory: OPTIONAL TOTP, " +
        "the kong-cognito default, is a product decision a team may make on purpose; prod stacks here set ON.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type === USER_POOL && args.props.mfaConfiguration !== "ON") {
            report(`user pool ${args.name} has mfaConfiguration ${args.props.mfaConfiguration ?? "OFF"}; ON requires MFA for every user`);
        }
    },
};

export const cognitoThreatProtection: ResourceValidationPolicy = {
    name: "cognito-threat-protection",
    description:
        "Threat protection (advanced security) in ENFORCED mode (cdk-nag AwsSolutions-COG3, Security Hub's Cognito threat-protection " +
        "control). Advisory: it needs the Plus feature plan, which has a price per user.",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        const addOns = (args.props.userPoolAddOns ?? {}) as { advancedSecurityMode?: string };
        if (args.type === USER_POOL && addOns.advancedSecurityMode !== "ENFORCED") {
            report(`user pool ${args.name} has no threat protection in ENFORCED mode (userPoolAddOns.advancedSecurityMode)`);
        }
    },
};

export const cognitoCallbackUrlsHttps: ResourceValidationPolicy = {
    name: "cognito-callback-urls-https",
    description: "Callback and sign-out URLs use https (http only for localhost): codes and tokens must not travel in clear. Mandatory.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== USER_POOL_CLIENT) {
            return;
        }
        for (const key of ["callbackUrls", "logoutUrls"]) {
            for (const url of (args.props[key] ?? []) as unknown[]) {
                const problem = redirectUrlProblem(url);
                if (problem) {
                    report(`${key} ${JSON.stringify(url)} of client ${args.name} ${problem}`);
                }
            }
        }
        if (args.props.defaultRedirectUri !== undefined) {
            const problem = redirectUrlProblem(args.props.defaultRedirectUri);
            if (problem) {
                report(`defaultRedirectUri of client ${args.name} ${problem}`);
            }
        }
    },
};

export const cognitoClientCredentialsIsolated: ResourceValidationPolicy = {
    name: "cognito-client-credentials-isolated",
    description:
        "A client_credentials client has no other OAuth flow, a generated secret, and only resource-server scopes: a machine " +
        "identity must not sign users in. Mandatory (Cognito rejects most of it at deploy time; this fails at preview).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const flows = (args.props.allowedOauthFlows ?? []) as string[];
        if (args.type !== USER_POOL_CLIENT || !flows.includes("client_credentials")) {
            return;
        }
        const problems = issuesOf((issues) =>
            checkClientCredentialsClient(issues, {
                allowedOauthFlows: flows,
                generateSecret: args.props.generateSecret,
                allowedOauthScopes: args.props.allowedOauthScopes ?? [],
            }),
        );
        for (const problem of problems) {
            report(`client ${args.name}: ${describe(problem)}`);
        }
    },
};

/** Every openid-connect config in the stack, wherever it lives, with the resource to blame. */
function openIdConnectConfigs(resources: PolicyResource[]): { urn: string; where: string; config: Record<string, unknown> | undefined }[] {
    const found: { urn: string; where: string; config: Record<string, unknown> | undefined }[] = [];
    const secrets = resources.filter((r) => r.type === K8S_SECRET);
    for (const r of resources) {
        if (r.type === KONG_PLUGIN_CR && r.props.plugin === "openid-connect") {
            const namespace = r.props.metadata?.namespace ?? "default";
            if (r.props.config !== undefined) {
                found.push({ urn: r.urn, where: `KongPlugin ${r.name}`, config: r.props.config });
            } else if (r.props.configFrom?.secretKeyRef) {
                const ref = r.props.configFrom.secretKeyRef as { name: string; key: string };
                const secret = secrets.find(
                    (s) => s.props.metadata?.name === ref.name && (s.props.metadata?.namespace ?? "default") === namespace,
                );
                const raw =
                    secret?.props.stringData?.[ref.key] ??
                    (secret?.props.data?.[ref.key] && Buffer.from(secret.props.data[ref.key], "base64").toString());
                found.push({ urn: r.urn, where: `KongPlugin ${r.name} (Secret ${ref.name})`, config: parseJson(raw) });
            }
        } else if (r.type === KONG_PLUGIN && r.props.name === "openid-connect") {
            found.push({ urn: r.urn, where: `Kong plugin ${r.name}`, config: parseJson(r.props.configJson) });
        }
    }
    return found;
}

function parseJson(text: unknown): Record<string, unknown> | undefined {
    if (typeof text !== "string") {
        return undefined;
    }
    try {
        return JSON.parse(text) as Record<string, unknown>;
    } catch {
        return undefined;
    }
}

export const kongOidcTlsAndAuthMethods: StackValidationPolicy = {
    name: "kong-oidc-tls-and-auth-methods",
    description:
        "openid-connect verifies the IdP's TLS certificate (ssl_verify true; its default changed in Kong 3.14) and lists the auth " +
        "methods the route needs instead of all nine. Mandatory: both are silent holes otherwise.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        for (const { urn, where, config } of openIdConnectConfigs(args.resources)) {
            if (config === undefined) {
                continue; // Not readable here (unknown during preview or external): nothing to judge.
            }
            if (config.ssl_verify !== true) {
                report(`${where}: ssl_verify is ${JSON.stringify(config.ssl_verify)}; set it to true`, urn);
            }
            const methods = config.auth_methods as string[] | undefined;
            if (!Array.isArray(methods) || methods.length === 0) {
                report(`${where}: auth_methods is not set, so all nine methods are on; list the ones the route needs`, urn);
            } else {
                for (const problem of issuesOf((issues) => checkAuthMethods(issues, "auth_methods", methods))) {
                    report(`${where}: ${describe(problem)}`, urn);
                }
                if (OIDC_AUTH_METHODS.every((m) => methods.includes(m))) {
                    report(`${where}: auth_methods lists all nine methods; list the ones the route needs`, urn);
                }
            }
        }
    },
};

export const kongPluginSecretsAreSecret: ResourceValidationPolicy = {
    name: "kong-plugin-secrets-are-secret",
    description:
        "A plugin config holding a client secret stays secret: a KongPlugin takes it from a Secret (configFrom), never inline " +
        "(custom resources get no secret handling); a kong plugin marks configJson and computedConfig (where Kong echoes it) as " +
        "additionalSecretOutputs. Mandatory.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report) => {
        if (args.type === KONG_PLUGIN_CR && args.props.config && JSON.stringify(args.props.config).includes("client_secret")) {
            report(
                `KongPlugin ${args.name} holds client_secret in its inline config; put the config in a Secret and use configFrom.secretKeyRef`,
            );
        }
        if (args.type === KONG_PLUGIN && typeof args.props.configJson === "string" && args.props.configJson.includes("client_secret")) {
            const missing = ["configJson", "computedConfig"].filter((o) => !(args.opts.additionalSecretOutputs ?? []).includes(o));
            if (missing.length > 0) {
                report(`kong plugin ${args.name} holds client_secret; add additionalSecretOutputs ${JSON.stringify(missing)}`);
            }
        }
    },
};

function pluginConfig(r: PolicyResource): Record<string, unknown> | undefined {
    return r.type === KONG_PLUGIN ? parseJson(r.props.configJson) : r.props.config;
}

function pluginType(r: PolicyResource): string {
    return r.type === KONG_PLUGIN ? r.props.name : r.props.plugin;
}

/** proxy-cache keys on the consumer when an auth plugin maps one; else it must vary by Authorization (Kong's rule). */
function cacheLeaks(cache: PolicyResource, auth: PolicyResource[]): boolean {
    return !cacheSeparatesUsers(
        pluginConfig(cache) ?? {},
        auth.map((a) => ({ plugin: pluginType(a), config: pluginConfig(a) ?? {} })),
    );
}

/**
 * The KongPlugins an Ingress, Service or HTTPRoute attaches: its `konghq.com/plugins` annotation,
 * and an HTTPRoute's ExtensionRef filters naming KongPlugins, which KIC adds to that annotation.
 */
function attachedPluginNames(r: PolicyResource): string[] {
    const annotated = String(r.props.metadata?.annotations?.["konghq.com/plugins"] ?? "").split(",");
    const filters: { type?: string; extensionRef?: { group?: string; kind?: string; name?: string } }[] =
        r.type === HTTP_ROUTE ? (r.props.spec?.rules ?? []).flatMap((rule: { filters?: unknown[] }) => rule.filters ?? []) : [];
    const referenced = filters
        .filter(
            (f) =>
                f.type === "ExtensionRef" && f.extensionRef?.group === "configuration.konghq.com" && f.extensionRef?.kind === "KongPlugin",
        )
        .map((f) => String(f.extensionRef?.name));
    return [...new Set([...annotated, ...referenced].map((n) => n.trim()).filter(Boolean))];
}

const isAuthPlugin = (p: PolicyResource) => (AUTH_PLUGINS as readonly string[]).includes(pluginType(p));
const isCachePlugin = (p: PolicyResource) => (CACHE_PLUGINS as readonly string[]).includes(pluginType(p));

export const kongCacheKeyPerUser: StackValidationPolicy = {
    name: "kong-cache-key-per-user",
    description:
        "proxy-cache on an authenticated route varies its key by Authorization or keys on a mapped consumer; otherwise one user's " +
        "cached response is served to the next (Kong's key is route + method + URI + vary headers). Mandatory.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const crs = args.resources.filter((r) => r.type === KONG_PLUGIN_CR);
        // Kong Ingress Controller: plugins attached in the same namespace, by annotation or (HTTPRoute) ExtensionRef filter.
        for (const r of args.resources.filter((x) => x.type === INGRESS || x.type === K8S_SERVICE || x.type === HTTP_ROUTE)) {
            const names = attachedPluginNames(r);
            const namespace = r.props.metadata?.namespace ?? "default";
            const attached = crs.filter(
                (p) => names.includes(p.props.metadata?.name) && (p.props.metadata?.namespace ?? "default") === namespace,
            );
            const auth = attached.filter(isAuthPlugin);
            for (const cache of attached.filter(isCachePlugin)) {
                if (auth.length > 0 && cacheLeaks(cache, auth)) {
                    report(
                        `${r.props.metadata?.name}: ${cache.props.metadata?.name} caches an authenticated route without varying by Authorization`,
                        cache.urn,
                    );
                }
            }
        }
        // Admin API: plugins on the same service or route.
        const kongPlugins = args.resources.filter((r) => r.type === KONG_PLUGIN);
        const scopeOf = (p: PolicyResource) => p.props.routeId ?? p.props.serviceId;
        for (const cache of kongPlugins.filter(isCachePlugin)) {
            const scope = scopeOf(cache);
            const auth = kongPlugins.filter((p) => isAuthPlugin(p) && scope !== undefined && scopeOf(p) === scope);
            if (auth.length > 0 && cacheLeaks(cache, auth)) {
                report(`kong plugin ${cache.name} caches an authenticated service or route without varying by Authorization`, cache.urn);
            }
        }
    },
};

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    cognitoDeletionProtection,
    cognitoPasswordPolicy,
    cognitoMfa,
    cognitoThreatProtection,
    cognitoCallbackUrlsHttps,
    cognitoClientCredentialsIsolated,
    kongOidcTlsAndAuthMethods,
    kongPluginSecretsAreSecret,
    kongCacheKeyPerUser,
];
