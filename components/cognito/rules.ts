// Cognito's limits and rules as pure checks (CreateUserPool, CreateUserPoolClient,
// CreateUserPoolDomain, ResourceServerType). CognitoIdp checks its args with them before it
// registers anything; the policy pack checks any stack's resources with the same functions.
import { checkHttpsUrl } from "../oidc";
import { Issues } from "../validation";

/** Scopes Cognito defines itself; a client_credentials client may ask for none of them. */
export const COGNITO_BUILT_IN_SCOPES = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"] as const;

/** OAuth grants of an app client. client_credentials stands alone (CreateUserPoolClient, AllowedOAuthFlows). */
export const USER_OAUTH_FLOWS = ["code", "implicit"] as const;

const DOMAIN_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_DOMAIN_WORDS = ["aws", "amazon", "cognito"];
// ResourceServerType.Identifier and ResourceServerScopeType.ScopeName (no space, '"', '\'; no '/' in a scope).
const RESOURCE_SERVER_IDENTIFIER_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const SCOPE_NAME_PATTERN = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
const MAX_RESOURCE_SERVER_SCOPES = 100;

/** Hosted-domain prefix: 1-63 chars of a-z, 0-9 and inner hyphens; AWS rejects aws/amazon/cognito in it. */
export function checkDomainPrefix(issues: Issues, path: string, prefix: string): void {
    if (!DOMAIN_PREFIX_PATTERN.test(prefix)) {
        issues.add(path, prefix, "must be 1-63 lowercase letters, digits or inner hyphens (^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$)");
    }
    const reserved = RESERVED_DOMAIN_WORDS.filter((word) => prefix.includes(word));
    if (reserved.length > 0) {
        issues.add(path, prefix, `must not contain ${reserved.map((w) => `"${w}"`).join(", ")} (AWS rejects such prefixes)`);
    }
}

/** Access and ID tokens: 5 minutes to 1 day (CreateUserPoolClient, AccessTokenValidity). */
export function checkShortTokenMinutes(issues: Issues, path: string, minutes: number): void {
    if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
        issues.add(path, minutes, "must be a whole number of minutes from 5 to 1440 (5 minutes to 1 day)");
    }
}

/** Refresh tokens: 60 minutes to 10 years; kept in whole days here (1 to 3650). */
export function checkRefreshTokenDays(issues: Issues, path: string, days: number): void {
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
        issues.add(path, days, "must be a whole number of days from 1 to 3650 (Cognito allows at most 10 years)");
    }
}

/** Multi-factor authentication with TOTP apps: off, offered to users, or required. */
export const MfaMode = {
    /** No second factor. */
    Off: "OFF",
    /** Users may add a TOTP app. */
    Optional: "OPTIONAL",
    /** Every user must use a TOTP app. */
    On: "ON",
} as const;
export type MfaMode = (typeof MfaMode)[keyof typeof MfaMode];
export const MFA_MODES: readonly MfaMode[] = Object.values(MfaMode);

/** A user pool's password policy, as `aws.cognito.UserPool` takes it. */
export interface PasswordPolicy {
    readonly minimumLength?: number;
    readonly requireLowercase?: boolean;
    readonly requireUppercase?: boolean;
    readonly requireNumbers?: boolean;
    readonly requireSymbols?: boolean;
    readonly temporaryPasswordValidityDays?: number;
}

/** The password policy kong-cognito gives every pool: every character class, temporary passwords for 7 days. */
export function passwordPolicy(minimumLength: number): Required<PasswordPolicy> {
    return {
        minimumLength,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 7,
    };
}

/** Number.isInteger as a type guard: undefined and fractions are not whole numbers. */
function isWholeNumber(value: unknown): value is number {
    return Number.isInteger(value);
}

/**
 * At least 8 characters (AWS's default; Cognito allows at most 99), every character class, and
 * temporary passwords valid at most 7 days (cdk-nag AwsSolutions-COG1, Security Hub's Cognito
 * password-policy control). `at` names each field in the caller's terms.
 */
export function checkPasswordPolicy(issues: Issues, policy: PasswordPolicy, at: (field: keyof PasswordPolicy) => string): void {
    const length = policy.minimumLength;
    if (!isWholeNumber(length) || length < 8 || length > 99) {
        issues.add(at("minimumLength"), length, "must be a whole number from 8 (AWS's default minimum) to 99 (Cognito's maximum)");
    }
    for (const field of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const) {
        if (policy[field] !== true) {
            issues.add(at(field), policy[field], "must be true: every character class is required");
        }
    }
    if ((policy.temporaryPasswordValidityDays ?? 0) > 7) {
        issues.add(at("temporaryPasswordValidityDays"), policy.temporaryPasswordValidityDays, "must be at most 7 days");
    }
}

/** At most 100 callback URLs per app client (CreateUserPoolClient, CallbackURLs). */
export const MAX_CALLBACK_URLS = 100;

/**
 * Cognito callback and sign-out URLs: absolute, no fragment, HTTPS except http://localhost,
 * 1-1024 characters (CreateUserPoolClient, CallbackURLs).
 */
export function checkCallbackUrl(issues: Issues, propertyPath: string, url: string): void {
    if (url.length < 1 || url.length > 1024) {
        issues.add(propertyPath, url, "must be 1-1024 characters long (Cognito CallbackURLs)");
        return;
    }
    checkHttpsUrl(issues, propertyPath, url, { allowPath: true });
}

export interface ResourceServerScope {
    /** Scope name without the identifier, e.g. `scope1`. */
    readonly name: string;
    /** Shown to administrators; Cognito requires one. */
    readonly description: string;
}

export function checkResourceServer(issues: Issues, path: string, identifier: string, scopes: readonly ResourceServerScopeInput[]): void {
    if (!RESOURCE_SERVER_IDENTIFIER_PATTERN.test(identifier)) {
        issues.add(
            `${path}.identifier`,
            identifier,
            "must be 1-256 printable characters without spaces, '\"' or '\\' (ResourceServerType.Identifier)",
        );
    }
    if (scopes.length < 1 || scopes.length > MAX_RESOURCE_SERVER_SCOPES) {
        issues.add(`${path}.scopes`, scopes.length, `must hold 1 to ${MAX_RESOURCE_SERVER_SCOPES} scopes`);
    }
    const seen = new Set<string>();
    scopes.forEach((scope, index) => {
        if (typeof scope !== "object" || scope === null) {
            issues.add(`${path}.scopes[${index}]`, scope, "must be a scope object { name, description }");
            return;
        }
        if (typeof scope.name !== "string" || !SCOPE_NAME_PATTERN.test(scope.name)) {
            issues.add(`${path}.scopes[${index}].name`, scope.name, "must be 1-256 printable characters without spaces, '/', '\"' or '\\'");
        }
        if (seen.has(scope.name)) {
            issues.add(`${path}.scopes[${index}].name`, scope.name, "is declared twice");
        }
        seen.add(scope.name);
        if (typeof scope.description !== "string" || scope.description.length < 1 || scope.description.length > 256) {
            issues.add(`${path}.scopes[${index}].description`, scope.description, "must be 1-256 characters (Cognito requires one)");
        }
    });
}

/** The flows of a user-facing client: code and/or implicit, never client_credentials. */
export function checkUserOauthFlows(issues: Issues, path: string, flows: readonly string[]): void {
    if (flows.length === 0) {
        issues.add(path, flows, 'must name at least one of "code", "implicit"');
    }
    for (const flow of flows) {
        if (flow === "client_credentials") {
            issues.add(path, flows, "client_credentials cannot share an app client with code or implicit: use the machine client for it");
        } else if (!(USER_OAUTH_FLOWS as readonly string[]).includes(flow)) {
            issues.add(path, flow, 'is not an OAuth flow of a user client ("code" or "implicit")');
        }
    }
}

/**
 * Scopes a user-facing client may ask for: Cognito's own, or `<identifier>/<scope>` of a resource server.
 * email, phone and profile are only granted together with openid.
 */
export function checkUserOauthScopes(
    issues: Issues,
    path: string,
    scopes: readonly string[],
    resourceServerScopes: readonly string[],
): void {
    for (const scope of scopes) {
        const builtIn = (COGNITO_BUILT_IN_SCOPES as readonly string[]).includes(scope);
        if (!builtIn && !resourceServerScopes.includes(scope)) {
            issues.add(
                path,
                scope,
                `is neither a Cognito scope (${COGNITO_BUILT_IN_SCOPES.join(", ")}) nor a declared resource-server scope`,
            );
        }
    }
    const needOpenid = scopes.filter((s) => s === "email" || s === "phone" || s === "profile");
    if (needOpenid.length > 0 && !scopes.includes("openid")) {
        issues.add(path, scopes, `${needOpenid.join(", ")} require the openid scope as well`);
    }
}

/**
 * A client_credentials client as Cognito requires it: no other OAuth flow, a generated secret,
 * and resource-server scopes (`<identifier>/<scope>`) only.
 */
export function checkClientCredentialsClient(
    issues: Issues,
    client: {
        readonly allowedOauthFlows: readonly string[];
        readonly generateSecret?: boolean;
        readonly allowedOauthScopes: readonly string[];
    },
): void {
    const others = client.allowedOauthFlows.filter((f) => f !== "client_credentials");
    if (others.length > 0) {
        issues.add(
            "allowedOauthFlows",
            client.allowedOauthFlows,
            `client_credentials cannot share an app client with ${others.join(", ")}`,
        );
    }
    if (client.generateSecret !== true) {
        issues.add("generateSecret", client.generateSecret, "client_credentials needs a generated client secret");
    }
    const userScopes = client.allowedOauthScopes.filter(
        (s) => (COGNITO_BUILT_IN_SCOPES as readonly string[]).includes(s) || !s.includes("/"),
    );
    if (userScopes.length > 0) {
        issues.add("allowedOauthScopes", userScopes, "client_credentials can only ask for resource-server scopes (<identifier>/<scope>)");
    }
}

/**
 * Scopes of a client_credentials client: resource-server scopes only, given as `scope` or
 * `<identifier>/<scope>`. Returns the full scope strings.
 */
export function resolveMachineScopes(
    issues: Issues,
    path: string,
    requested: readonly string[],
    identifier: string,
    declared: readonly string[],
): string[] {
    const full: string[] = [];
    if (requested.length === 0) {
        issues.add(path, requested, "must name at least one resource-server scope");
    }
    for (const scope of requested) {
        if ((COGNITO_BUILT_IN_SCOPES as readonly string[]).includes(scope)) {
            issues.add(path, scope, "client_credentials can only ask for resource-server scopes, not Cognito's user scopes");
            continue;
        }
        const name = scope.startsWith(`${identifier}/`) ? scope.slice(identifier.length + 1) : scope;
        if (!declared.includes(name)) {
            issues.add(path, scope, `is not a scope of resource server ${identifier} (declared: ${declared.join(", ")})`);
            continue;
        }
        full.push(`${identifier}/${name}`);
    }
    return full;
}

// UserPoolNameType, ClientNameType, ResourceServerNameType (botocore cognito-idp): AWS matches the whole name.
const COGNITO_NAME_PATTERN = /^[\w\s+=,.@-]+$/;

/** A user pool, app client or resource server name: 1 to `max` of letters, digits, whitespace and `+=,.@-_`. */
export function checkCognitoName(issues: Issues, path: string, name: string, max: 128 | 256 = 128): void {
    // The pattern's + refuses an empty name.
    if (typeof name !== "string" || name.length > max || !COGNITO_NAME_PATTERN.test(name)) {
        issues.add(path, name, `must be 1-${max} letters, digits, spaces or + = , . @ - _ (Cognito's [\\w\\s+=,.@-]+)`);
    }
}

/** Tags on a user pool: keys 1-128 characters not starting with "aws:", values at most 256 (TagKeysType, TagValueType). */
export function checkTags(issues: Issues, path: string, tags: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(tags)) {
        if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith("aws:")) {
            issues.add(`${path}.${key}`, key, 'must be a tag key of 1-128 characters not starting with "aws:"');
        }
        if (typeof value !== "string" || value.length > 256) {
            issues.add(`${path}.${key}`, value, "must be a tag value of at most 256 characters");
        }
    }
}

/** Every ExplicitAuthFlowsType an app client takes today (the ALLOW_ forms; the legacy ones are not offered). */
export const EXPLICIT_AUTH_FLOWS = [
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
] as const;

/**
 * What a client that signs people in through the hosted UI needs and nothing more: the hosted UI
 * and the token endpoint's code grant need no explicit flow, refreshing tokens needs
 * ALLOW_REFRESH_TOKEN_AUTH. ALLOW_USER_PASSWORD_AUTH lets anyone holding the client secret try
 * passwords directly against InitiateAuth.
 */
/**
 * The hosted domain's login pages: 1 is the classic hosted UI, which renders for every app client;
 * 2 (managed login) renders none until a ManagedLoginBranding style is assigned to the client, and
 * is not on the LITE tier (CreateUserPoolDomain ManagedLoginVersion).
 */
export const CLASSIC_HOSTED_UI = 1;

export const HOSTED_UI_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH"] as const;

/** The scopes Kong asks for on a browser route; aws.cognito.signin.user.admin lets a token change its user. */
export const HOSTED_UI_SCOPES = ["openid", "email", "profile"] as const;

/** Cognito's feature plans; the default tier of a new pool is ESSENTIALS. */
export const UserPoolTier = {
    Lite: "LITE",
    Essentials: "ESSENTIALS",
    /** Needed for threat protection. */
    Plus: "PLUS",
} as const;
export type UserPoolTier = (typeof UserPoolTier)[keyof typeof UserPoolTier];
export const USER_POOL_TIERS: readonly UserPoolTier[] = Object.values(UserPoolTier);

/** Threat protection (advanced security): compromised-credential checks and adaptive authentication. */
export const ThreatProtectionMode = {
    Off: "OFF",
    /** Detect and log, do not block. */
    Audit: "AUDIT",
    /** Block risky sign-ins. */
    Enforced: "ENFORCED",
} as const;
export type ThreatProtectionMode = (typeof ThreatProtectionMode)[keyof typeof ThreatProtectionMode];
export const THREAT_PROTECTION_MODES: readonly ThreatProtectionMode[] = Object.values(ThreatProtectionMode);

const TIER_RANK: Record<UserPoolTier, number> = { LITE: 0, ESSENTIALS: 1, PLUS: 2 };

/** Settings only a higher feature plan offers (Cognito: "User pool feature plans"). */
export function checkTierFeatures(
    issues: Issues,
    tier: UserPoolTier,
    features: { readonly threatProtection: ThreatProtectionMode; readonly explicitAuthFlows: readonly string[] },
    at: { readonly threatProtection: string; readonly explicitAuthFlows: string },
): void {
    if (features.threatProtection !== "OFF" && TIER_RANK[tier] < TIER_RANK.PLUS) {
        issues.add(at.threatProtection, features.threatProtection, `threat protection needs userPoolTier PLUS (it is ${tier})`);
    }
    if (features.explicitAuthFlows.includes("ALLOW_USER_AUTH") && TIER_RANK[tier] < TIER_RANK.ESSENTIALS) {
        issues.add(at.explicitAuthFlows, "ALLOW_USER_AUTH", `choice-based sign-in needs userPoolTier ESSENTIALS or PLUS (it is ${tier})`);
    }
}

export function checkExplicitAuthFlows(issues: Issues, path: string, flows: readonly string[]): void {
    for (const flow of flows) {
        if (!(EXPLICIT_AUTH_FLOWS as readonly string[]).includes(flow)) {
            issues.add(path, flow, `must be one of ${EXPLICIT_AUTH_FLOWS.join(", ")}`);
        }
    }
}

/** ResourceServerScope by its former name. */
export type ResourceServerScopeInput = ResourceServerScope;
