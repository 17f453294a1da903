// CognitoIdp: the Amazon Cognito side of kong-cognito. A user pool with email sign-in, a web
// client for browser sign-in through Kong, a resource server and a machine client for
// client_credentials, and the hosted domain; outputs are the OIDC endpoints Kong needs.
import * as cognito from "@pulumi/aws/cognito";
import * as pulumi from "@pulumi/pulumi";
import type { OidcProviderArgs, RouteMode } from "../oidc";
import { TypeScriptOnly } from "../typescriptOnly";
import { requiredOutput } from "../providerOutputs";
import { checkInputsWhenKnown, InputIssue, Issues, KongCognitoInputError, ResolvedOnce } from "../validation";
import {
    checkCallbackUrl,
    checkDomainPrefix,
    checkCognitoName,
    checkExplicitAuthFlows,
    checkPasswordPolicy,
    checkRefreshTokenDays,
    checkTags,
    checkTierFeatures,
    CLASSIC_HOSTED_UI,
    HOSTED_UI_AUTH_FLOWS,
    HOSTED_UI_SCOPES,
    checkResourceServer,
    checkShortTokenMinutes,
    checkUserOauthFlows,
    checkUserOauthScopes,
    MAX_CALLBACK_URLS,
    MFA_MODES,
    MfaMode,
    passwordPolicy,
    resolveMachineScopes,
    ResourceServerScopeInput,
    THREAT_PROTECTION_MODES,
    ThreatProtectionMode,
    USER_POOL_TIERS,
    UserPoolTier,
} from "./rules";

export const COGNITO_IDP_TYPE = "kong-cognito:index:CognitoIdp";
const CLIENT_TYPE = "aws:cognito/userPoolClient:UserPoolClient";

/** Standard attributes every user must give; declared in full so the pool never diffs (pulumi-aws#1237). */
export const REQUIRED_USER_ATTRIBUTES = ["email", "given_name", "family_name"] as const;

export interface WebClient {
    /** App client name. @default `${name}-web` */
    readonly name?: string;
    /** Access token lifetime. @default 60 (Cognito: 5 minutes to 1 day) */
    readonly accessTokenValidityMinutes?: number;
    /** ID token lifetime. @default 60 (Cognito: 5 minutes to 1 day) */
    readonly idTokenValidityMinutes?: number;
    /** Refresh token lifetime. @default 30 (Cognito: 60 minutes to 10 years; whole days here) */
    readonly refreshTokenValidityDays?: number;
    /** OAuth grants. @default ["code"]. client_credentials belongs to the machine client only. */
    readonly oauthFlows?: string[];
    /**
     * OAuth scopes. @default ["openid", "email", "profile"]: what Kong asks for. email, phone and
     * profile need openid too; `aws.cognito.signin.user.admin` lets a token read and change its user.
     */
    readonly oauthScopes?: string[];
    /**
     * Sign-in flows outside OAuth (InitiateAuth). @default ["ALLOW_REFRESH_TOKEN_AUTH"]: the hosted
     * UI needs no other. `ALLOW_USER_PASSWORD_AUTH` lets anyone with the client secret try passwords
     * directly; `ALLOW_USER_AUTH` needs userPoolTier ESSENTIALS or PLUS.
     */
    readonly explicitAuthFlows?: string[];
}

export interface ResourceServer {
    /** Resource server identifier, e.g. `http://kongresource`. Changing it replaces the resource server. */
    readonly identifier: string;
    /** Display name. @default the identifier without its scheme */
    readonly name?: string;
    /** 1-100 scopes; each becomes `<identifier>/<name>`. */
    readonly scopes: ResourceServerScopeInput[];
}

export interface MachineClient {
    /** App client name. @default `${name}-machine` */
    readonly name?: string;
    /** Resource-server scopes it may request, as `scope` or `<identifier>/<scope>`. @default every declared scope */
    readonly scopes?: string[];
    /** Access token lifetime. @default 60 (Cognito: 5 minutes to 1 day) */
    readonly accessTokenValidityMinutes?: number;
}

export interface CognitoIdpArgs {
    /**
     * User pool name. Changing it **replaces the pool and every user is lost**.
     * @default the component's name
     */
    readonly userPoolName?: string;
    /**
     * Hosted-domain prefix: `https://<prefix>.auth.<region>.amazoncognito.com`. 1-63 chars of a-z, 0-9
     * and inner hyphens, without "aws", "amazon" or "cognito"; unique per region.
     */
    readonly domainPrefix: string;
    /**
     * Where Cognito may send the browser after sign-in: HTTPS (http only for localhost), no fragment,
     * 1-100 URLs. Needed by the web client's code grant. @default none
     */
    readonly callbackUrls?: pulumi.Input<string>[];
    /** Where Cognito may send the browser after sign-out (a browser route's signedOutUrl). @default none */
    readonly logoutUrls?: pulumi.Input<string>[];
    /**
     * Cognito feature plan (LITE, ESSENTIALS, PLUS), set explicitly: it decides the price per
     * monthly active user and which features the pool has (threat protection needs PLUS).
     * @default "ESSENTIALS" (what AWS gives a new pool)
     */
    readonly userPoolTier?: UserPoolTier;
    /** Threat protection (advanced security): OFF, AUDIT or ENFORCED; needs userPoolTier PLUS. @default "OFF" */
    readonly threatProtection?: ThreatProtectionMode;
    /** DeletionProtection ACTIVE: DeleteUserPool fails, so a replacement fails instead of wiping users. @default true */
    readonly deletionProtection?: boolean;
    /** Pulumi `protect` on the user pool: `pulumi destroy` and replacements stop before touching it. @default true (set false, with deletionProtection false, to retire a pool on purpose) */
    readonly protectUserPool?: boolean;
    /** Let users sign up from the hosted UI; otherwise only administrators create users. @default false */
    readonly selfSignUp?: boolean;
    /** Multi-factor authentication with TOTP apps. @default "OPTIONAL" */
    readonly mfa?: MfaMode;
    /** Minimum password length; every character class is always required. @default 12 (AWS's default is 8) */
    readonly passwordMinimumLength?: number;
    /**
     * The browser sign-in client (the seed's "kong-api"). It exists when this is set or callbackUrls
     * has entries; an IdP for API routes only has none. @default none
     */
    readonly webClient?: WebClientArgs;
    /** Resource server for machine scopes (seed: `http://kongresource` with `scope1`). @default none */
    readonly resourceServer?: ResourceServerArgs;
    /** A client_credentials client; needs `resourceServer`. @default none */
    readonly machineClient?: MachineClientArgs;
    /** Tags on the user pool. */
    readonly tags?: Record<string, string>;
}

/** CognitoIdpArgs with every default applied and every plain value checked. */
export interface ResolvedCognitoIdpArgs {
    readonly userPoolName: string;
    readonly domainPrefix: string;
    readonly callbackUrls: pulumi.Input<string>[];
    readonly logoutUrls: pulumi.Input<string>[];
    readonly userPoolTier: UserPoolTier;
    readonly threatProtection: ThreatProtectionMode;
    readonly deletionProtection: boolean;
    readonly protectUserPool: boolean;
    readonly selfSignUp: boolean;
    readonly mfa: MfaMode;
    readonly passwordMinimumLength: number;
    /** Undefined for an IdP without browser sign-in. */
    readonly webClient?: Required<WebClientArgs>;
    readonly resourceServer?: Required<ResourceServerArgs>;
    readonly machineClient?: { name: string; scopes: string[]; accessTokenValidityMinutes: number };
    readonly tags: Record<string, string>;
}

const resolutions = new ResolvedOnce(resolveArgs);

/**
 * Applies defaults and checks every plain value; throws one KongCognitoInputError listing all
 * broken rules. Pure: registers nothing, so a stack can check all its components first; the
 * constructor then finds the same args resolved and does not check them again.
 */
export function resolveCognitoIdpArgs(name: string, args: CognitoIdpArgs): ResolvedCognitoIdpArgs {
    return resolutions.get(name, args);
}

function resolveArgs(name: string, args: CognitoIdpArgs): ResolvedCognitoIdpArgs {
    const issues = new Issues(`CognitoIdp "${name}"`);
    const callbackUrls = args.callbackUrls ?? [];
    const webClient: Required<WebClientArgs> | undefined =
        args.webClient !== undefined || callbackUrls.length > 0
            ? {
                  name: args.webClient?.name ?? `${name}-web`,
                  accessTokenValidityMinutes: args.webClient?.accessTokenValidityMinutes ?? 60,
                  idTokenValidityMinutes: args.webClient?.idTokenValidityMinutes ?? 60,
                  refreshTokenValidityDays: args.webClient?.refreshTokenValidityDays ?? 30,
                  oauthFlows: args.webClient?.oauthFlows ?? ["code"],
                  oauthScopes: args.webClient?.oauthScopes ?? [...HOSTED_UI_SCOPES],
                  explicitAuthFlows: args.webClient?.explicitAuthFlows ?? [...HOSTED_UI_AUTH_FLOWS],
              }
            : undefined;
    const resourceServer = args.resourceServer && {
        identifier: args.resourceServer.identifier,
        name: args.resourceServer.name ?? defaultResourceServerName(args.resourceServer.identifier),
        scopes: args.resourceServer.scopes,
    };
    const resolved = {
        userPoolName: args.userPoolName ?? name,
        domainPrefix: args.domainPrefix,
        callbackUrls,
        logoutUrls: args.logoutUrls ?? [],
        userPoolTier: args.userPoolTier ?? "ESSENTIALS",
        threatProtection: args.threatProtection ?? "OFF",
        deletionProtection: args.deletionProtection ?? true,
        protectUserPool: args.protectUserPool ?? true,
        selfSignUp: args.selfSignUp ?? false,
        mfa: args.mfa ?? "OPTIONAL",
        passwordMinimumLength: args.passwordMinimumLength ?? 12,
        webClient,
        resourceServer,
        tags: args.tags ?? {},
    };

    checkCognitoName(issues, "userPoolName", resolved.userPoolName);
    checkDomainPrefix(issues, "domainPrefix", resolved.domainPrefix ?? "");
    checkTags(issues, "tags", resolved.tags);
    if (!USER_POOL_TIERS.includes(resolved.userPoolTier)) {
        issues.add("userPoolTier", resolved.userPoolTier, `must be one of ${USER_POOL_TIERS.join(", ")}`);
    } else {
        checkTierFeatures(
            issues,
            resolved.userPoolTier,
            // Stryker disable next-line ArrayDeclaration: checkTierFeatures only asks whether the flows include ALLOW_USER_AUTH, so any other element is as good as none
            { threatProtection: resolved.threatProtection, explicitAuthFlows: webClient?.explicitAuthFlows ?? [] },
            { threatProtection: "threatProtection", explicitAuthFlows: "webClient.explicitAuthFlows" },
        );
    }
    if (!THREAT_PROTECTION_MODES.includes(resolved.threatProtection)) {
        issues.add("threatProtection", resolved.threatProtection, `must be one of ${THREAT_PROTECTION_MODES.join(", ")}`);
    }
    if (!MFA_MODES.includes(resolved.mfa)) {
        issues.add("mfa", resolved.mfa, `must be one of ${MFA_MODES.join(", ")}`);
    }
    // passwordPolicy() fixes every field but the length, so only the length can break a rule.
    checkPasswordPolicy(issues, passwordPolicy(resolved.passwordMinimumLength), () => "passwordMinimumLength");
    if (webClient) {
        checkCognitoName(issues, "webClient.name", webClient.name);
        checkShortTokenMinutes(issues, "webClient.accessTokenValidityMinutes", webClient.accessTokenValidityMinutes);
        checkShortTokenMinutes(issues, "webClient.idTokenValidityMinutes", webClient.idTokenValidityMinutes);
        checkRefreshTokenDays(issues, "webClient.refreshTokenValidityDays", webClient.refreshTokenValidityDays);
        checkUserOauthFlows(issues, "webClient.oauthFlows", webClient.oauthFlows);
        checkExplicitAuthFlows(issues, "webClient.explicitAuthFlows", webClient.explicitAuthFlows);
        if (resolved.callbackUrls.length === 0 && webClient.oauthFlows.includes("code")) {
            issues.add("callbackUrls", resolved.callbackUrls, "the authorization code grant needs at least one callback URL");
        }
    } else if (resolved.logoutUrls.length > 0) {
        issues.add("logoutUrls", resolved.logoutUrls, "belong to the web client: set webClient or callbackUrls");
    }
    // Plain URLs are checked now; URLs from other resources when they resolve, with the same message.
    const checkedUrls = {
        callbackUrls: checkInputsWhenKnown(issues, "callbackUrls", resolved.callbackUrls, checkCallbackUrl),
        logoutUrls: checkInputsWhenKnown(issues, "logoutUrls", resolved.logoutUrls, checkCallbackUrl),
    };
    if (resolved.callbackUrls.length > MAX_CALLBACK_URLS) {
        issues.add("callbackUrls", resolved.callbackUrls.length, `must hold at most ${MAX_CALLBACK_URLS} URLs`);
    }

    let declaredScopes: string[] = [];
    if (resourceServer) {
        checkResourceServer(issues, "resourceServer", resourceServer.identifier, resourceServer.scopes);
        checkCognitoName(issues, "resourceServer.name", resourceServer.name, 256);
        declaredScopes = resourceServer.scopes.map((s) => s?.name).filter((n): n is string => typeof n === "string");
    }
    if (webClient) {
        checkUserOauthScopes(
            issues,
            "webClient.oauthScopes",
            webClient.oauthScopes,
            declaredScopes.map((s) => `${resourceServer?.identifier}/${s}`),
        );
    }

    let machineClient: ResolvedCognitoIdpArgs["machineClient"];
    if (args.machineClient) {
        if (!resourceServer) {
            issues.add(
                "machineClient",
                "(set)",
                "a client_credentials client needs resourceServer: it can only ask for resource-server scopes",
            );
        } else {
            const scopes = resolveMachineScopes(
                issues,
                "machineClient.scopes",
                args.machineClient.scopes ?? declaredScopes,
                resourceServer.identifier,
                declaredScopes,
            );
            const accessTokenValidityMinutes = args.machineClient.accessTokenValidityMinutes ?? 60;
            checkShortTokenMinutes(issues, "machineClient.accessTokenValidityMinutes", accessTokenValidityMinutes);
            machineClient = { name: args.machineClient.name ?? `${name}-machine`, scopes, accessTokenValidityMinutes };
            checkCognitoName(issues, "machineClient.name", machineClient.name);
        }
    }

    issues.throwIfAny();
    return { ...resolved, ...checkedUrls, machineClient };
}

function defaultResourceServerName(identifier: string): string {
    // Cognito names allow [\w\s+=,.@-]; the identifier is usually a URL.
    return identifier.replace(/^[a-z]+:\/\//i, "").replace(/[^\w\s+=,.@-]/g, "-") || "resource-server";
}

/** The OpenID Connect scopes; Cognito's own (aws.cognito.signin.user.admin) are for calling Cognito. */
const OPENID_SCOPES = ["openid", "email", "phone", "profile"];

/** What a CognitoIdp keeps for TypeScript callers: its child resources. Not fields, which the package schema would publish. */
interface CognitoIdpChildren {
    readonly name: string;
    readonly userPool: cognito.UserPool;
    readonly webClient?: cognito.UserPoolClient;
    readonly domain: cognito.UserPoolDomain;
    readonly resourceServer?: cognito.ResourceServer;
    readonly machineClient?: cognito.UserPoolClient;
    readonly routeSettings: RouteSettings;
}

/** What `oidcSettings` hands each kind of route, built with the client it uses. */
interface RouteSettings {
    api?: OidcProviderArgs;
    browser?: OidcProviderArgs;
}

const children = new TypeScriptOnly<CognitoIdp, CognitoIdpChildren>("CognitoIdp");
const childrenOf = (idp: CognitoIdp) => children.get(idp);

/** Why `oidcSettings` refuses a route whose client this IdP does not have. */
const NO_MACHINE_CLIENT: InputIssue = {
    propertyPath: "machineClient",
    value: undefined,
    rule: "an api route needs the machine client (set resourceServer and machineClient)",
};
const NO_WEB_CLIENT: InputIssue = {
    propertyPath: "webClient",
    value: undefined,
    rule: "a browser route needs the web client (set callbackUrls, or webClient)",
};

/**
 * A Cognito user pool ready to sit behind Kong's openid-connect plugin.
 *
 * Children: `<name>-pool`, `<name>-web-client`, `<name>-domain`, and with a resource server
 * `<name>-resource-server` and `<name>-machine-client`.
 */
export class CognitoIdp extends pulumi.ComponentResource {
    readonly userPoolId: pulumi.Output<string>;
    readonly userPoolArn: pulumi.Output<string>;
    /** AWS region of the pool, read from its ARN. */
    readonly region: pulumi.Output<string>;
    /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`: the `iss` of every token. */
    readonly issuerUrl: pulumi.Output<string>;
    /** `<issuer>/.well-known/openid-configuration`: what Kong's openid-connect `issuer` takes. */
    readonly discoveryUrl: pulumi.Output<string>;
    readonly jwksUri: pulumi.Output<string>;
    /** `https://<prefix>.auth.<region>.amazoncognito.com` */
    readonly hostedUiUrl: pulumi.Output<string>;
    readonly tokenEndpoint: pulumi.Output<string>;
    readonly authorizeEndpoint: pulumi.Output<string>;
    readonly userInfoEndpoint: pulumi.Output<string>;
    /** `https://<prefix>.auth.<region>.amazoncognito.com/logout`: ends the hosted UI's session. */
    readonly logoutEndpoint: pulumi.Output<string>;
    /** `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/revoke`: revokes refresh tokens. */
    readonly revocationEndpoint: pulumi.Output<string>;
    readonly webClientId?: pulumi.Output<string>;
    /** Secret. */
    readonly webClientSecret?: pulumi.Output<string>;
    readonly machineClientId?: pulumi.Output<string>;
    /** Secret. */
    readonly machineClientSecret?: pulumi.Output<string>;
    /**
     * Full resource-server scopes the machine client may request, e.g. `http://kongresource/scope1`:
     * an api route's `oidc.scopes` and `oidc.requiredScopes`.
     */
    readonly machineScopes?: pulumi.Output<string[]>;
    /** The OpenID scopes a browser route asks for (the web client's, without Cognito's own): its `oidc.scopes`. */
    readonly browserScopes?: pulumi.Output<string[]>;

    /** The user pool. TypeScript only: other languages read its id and ARN. */
    get userPool(): cognito.UserPool {
        return childrenOf(this).userPool;
    }
    /** The browser sign-in client; undefined for an IdP without one (API routes only). TypeScript only. */
    get webClient(): cognito.UserPoolClient | undefined {
        return childrenOf(this).webClient;
    }
    /** The hosted domain. TypeScript only. */
    get domain(): cognito.UserPoolDomain {
        return childrenOf(this).domain;
    }
    /** TypeScript only. */
    get resourceServer(): cognito.ResourceServer | undefined {
        return childrenOf(this).resourceServer;
    }
    /** The client_credentials client. TypeScript only. */
    get machineClient(): cognito.UserPoolClient | undefined {
        return childrenOf(this).machineClient;
    }

    constructor(name: string, args: CognitoIdpArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveCognitoIdpArgs(name, args);
        super(COGNITO_IDP_TYPE, name, {}, opts);
        const childOpts: pulumi.CustomResourceOptions = { parent: this };
        const { callbackUrls, logoutUrls } = resolved;

        const userPool = new cognito.UserPool(
            `${name}-pool`,
            {
                name: resolved.userPoolName,
                usernameAttributes: ["email"],
                usernameConfiguration: { caseSensitive: false },
                autoVerifiedAttributes: ["email"],
                userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
                schemas: REQUIRED_USER_ATTRIBUTES.map((attribute) => ({
                    name: attribute,
                    attributeDataType: "String",
                    required: true,
                    mutable: true,
                    developerOnlyAttribute: false,
                    // What Cognito reports for standard attributes; without it the pool diffs forever.
                    stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
                })),
                passwordPolicy: passwordPolicy(resolved.passwordMinimumLength),
                mfaConfiguration: resolved.mfa,
                userPoolTier: resolved.userPoolTier,
                userPoolAddOns: resolved.threatProtection !== "OFF" ? { advancedSecurityMode: resolved.threatProtection } : undefined,
                softwareTokenMfaConfiguration: resolved.mfa === "OFF" ? undefined : { enabled: true },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                adminCreateUserConfig: { allowAdminCreateUserOnly: !resolved.selfSignUp },
                deletionProtection: resolved.deletionProtection ? "ACTIVE" : "INACTIVE",
                tags: resolved.tags,
            },
            { ...childOpts, protect: resolved.protectUserPool },
        );

        const domain = new cognito.UserPoolDomain(
            `${name}-domain`,
            // Pinned, so a switch to managed login in the console shows as drift: version 2 renders
            // no sign-in page for a client without a ManagedLoginBranding style, and verify's
            // sign-in fills the classic page (CreateUserPoolDomain ManagedLoginVersion; updated in
            // place by UpdateUserPoolDomain, the domain is not replaced).
            { domain: resolved.domainPrefix, userPoolId: userPool.id, managedLoginVersion: CLASSIC_HOSTED_UI },
            childOpts,
        );

        this.userPoolId = userPool.id;
        this.userPoolArn = userPool.arn;
        // Pool ARNs read arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>.
        this.region = requiredOutput("aws:cognito/userPool:UserPool", `${name}-pool`, "arn", userPool.arn).apply(
            (arn) => arn.split(":")[3],
        );
        this.issuerUrl = pulumi.interpolate`https://cognito-idp.${this.region}.amazonaws.com/${userPool.id}`;
        this.discoveryUrl = pulumi.interpolate`${this.issuerUrl}/.well-known/openid-configuration`;
        this.jwksUri = pulumi.interpolate`${this.issuerUrl}/.well-known/jwks.json`;
        this.hostedUiUrl = pulumi.interpolate`https://${domain.domain}.auth.${this.region}.amazoncognito.com`;
        this.tokenEndpoint = pulumi.interpolate`${this.hostedUiUrl}/oauth2/token`;
        this.authorizeEndpoint = pulumi.interpolate`${this.hostedUiUrl}/oauth2/authorize`;
        this.userInfoEndpoint = pulumi.interpolate`${this.hostedUiUrl}/oauth2/userInfo`;
        this.logoutEndpoint = pulumi.interpolate`${this.hostedUiUrl}/logout`;
        this.revocationEndpoint = pulumi.interpolate`${this.hostedUiUrl}/oauth2/revoke`;

        // What each kind of route needs to trust this pool; a kind is missing when its client is.
        const routeSettings: RouteSettings = {};

        let webClient: cognito.UserPoolClient | undefined;
        if (resolved.webClient) {
            const limitedAttributes = [...REQUIRED_USER_ATTRIBUTES];
            webClient = new cognito.UserPoolClient(
                `${name}-web-client`,
                {
                    name: resolved.webClient.name,
                    userPoolId: userPool.id,
                    generateSecret: true,
                    accessTokenValidity: resolved.webClient.accessTokenValidityMinutes,
                    idTokenValidity: resolved.webClient.idTokenValidityMinutes,
                    refreshTokenValidity: resolved.webClient.refreshTokenValidityDays,
                    tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                    explicitAuthFlows: resolved.webClient.explicitAuthFlows,
                    readAttributes: limitedAttributes,
                    writeAttributes: limitedAttributes,
                    allowedOauthFlowsUserPoolClient: true,
                    allowedOauthFlows: resolved.webClient.oauthFlows,
                    allowedOauthScopes: resolved.webClient.oauthScopes,
                    callbackUrls,
                    logoutUrls: logoutUrls.length > 0 ? logoutUrls : undefined,
                    supportedIdentityProviders: ["COGNITO"],
                    preventUserExistenceErrors: "ENABLED",
                    enableTokenRevocation: true,
                },
                childOpts,
            );
            this.webClientId = webClient.id;
            this.webClientSecret = pulumi.secret(requiredOutput(CLIENT_TYPE, `${name}-web-client`, "clientSecret", webClient.clientSecret));
            // Kong asks for the OpenID scopes only: aws.cognito.signin.user.admin is for calling Cognito itself.
            this.browserScopes = pulumi.output(resolved.webClient.oauthScopes.filter((s) => OPENID_SCOPES.includes(s)));
            routeSettings.browser = {
                issuer: this.discoveryUrl,
                clientId: this.webClientId,
                clientSecret: this.webClientSecret,
                scopes: this.browserScopes,
                logoutEndpoint: this.logoutEndpoint,
                revocationEndpoint: this.revocationEndpoint,
            };
        }

        let resourceServer: cognito.ResourceServer | undefined;
        if (resolved.resourceServer) {
            resourceServer = new cognito.ResourceServer(
                `${name}-resource-server`,
                {
                    identifier: resolved.resourceServer.identifier,
                    name: resolved.resourceServer.name,
                    userPoolId: userPool.id,
                    scopes: resolved.resourceServer.scopes.map((s) => ({
                        scopeName: s.name,
                        scopeDescription: s.description,
                    })),
                },
                childOpts,
            );
        }

        let machineClient: cognito.UserPoolClient | undefined;
        if (resolved.machineClient && resourceServer) {
            const wanted = resolved.machineClient.scopes;
            // From the resource server's output, so the client is never created before its scopes exist.
            this.machineScopes = requiredOutput(
                "aws:cognito/resourceServer:ResourceServer",
                `${name}-resource-server`,
                "scopeIdentifiers",
                resourceServer.scopeIdentifiers,
            ).apply((ids) => ids.filter((id) => wanted.includes(id)));
            machineClient = new cognito.UserPoolClient(
                `${name}-machine-client`,
                {
                    name: resolved.machineClient.name,
                    userPoolId: userPool.id,
                    generateSecret: true,
                    accessTokenValidity: resolved.machineClient.accessTokenValidityMinutes,
                    tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                    explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
                    allowedOauthFlowsUserPoolClient: true,
                    allowedOauthFlows: ["client_credentials"],
                    allowedOauthScopes: this.machineScopes,
                    supportedIdentityProviders: ["COGNITO"],
                    preventUserExistenceErrors: "ENABLED",
                    enableTokenRevocation: true,
                },
                childOpts,
            );
            this.machineClientId = machineClient.id;
            this.machineClientSecret = pulumi.secret(
                requiredOutput(CLIENT_TYPE, `${name}-machine-client`, "clientSecret", machineClient.clientSecret),
            );
            routeSettings.api = {
                issuer: this.discoveryUrl,
                clientId: this.machineClientId,
                clientSecret: this.machineClientSecret,
                scopes: this.machineScopes,
                requiredScopes: this.machineScopes,
            };
        }
        children.set(this, { name, userPool, webClient, domain, resourceServer, machineClient, routeSettings });

        this.registerOutputs({
            userPoolId: this.userPoolId,
            userPoolArn: this.userPoolArn,
            issuerUrl: this.issuerUrl,
            discoveryUrl: this.discoveryUrl,
            jwksUri: this.jwksUri,
            hostedUiUrl: this.hostedUiUrl,
            tokenEndpoint: this.tokenEndpoint,
            authorizeEndpoint: this.authorizeEndpoint,
            userInfoEndpoint: this.userInfoEndpoint,
            logoutEndpoint: this.logoutEndpoint,
            revocationEndpoint: this.revocationEndpoint,
            webClientId: this.webClientId,
            webClientSecret: this.webClientSecret,
            machineClientId: this.machineClientId,
            machineClientSecret: this.machineClientSecret,
            machineScopes: this.machineScopes,
            browserScopes: this.browserScopes,
        });
    }

    /**
     * What a KongOidcRoute needs to trust this pool: `api` uses the machine client and requires
     * all its resource-server scopes; `browser` uses the web client with its OpenID scopes, and
     * signs out through the hosted UI's logout, revoking the refresh token.
     */
    oidcSettings(mode: RouteMode): OidcProviderArgs {
        const { name, routeSettings } = childrenOf(this);
        const settings = mode === "api" ? routeSettings.api : routeSettings.browser;
        if (settings === undefined) {
            throw new KongCognitoInputError(`CognitoIdp "${name}"`, [mode === "api" ? NO_MACHINE_CLIENT : NO_WEB_CLIENT]);
        }
        return settings;
    }
}

/** WebClient by its former name. */
export type WebClientArgs = WebClient;

/** ResourceServer by its former name. */
export type ResourceServerArgs = ResourceServer;

/** MachineClient by its former name. */
export type MachineClientArgs = MachineClient;
