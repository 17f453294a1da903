// CognitoIdp on the mock runtime: every child with its exact inputs, the outputs Kong needs,
// secrets, and bad args failing before anything is registered.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, CognitoIdpArgs } from "../components";
import { KongCognitoInputError } from "../components/validation";
import { itRejectsEach, RejectionCase, plainInputs, record, recordFailure, resolve, the, TYPES } from "./harness";

const seedArgs: CognitoIdpArgs = {
    userPoolName: "kongpool",
    domainPrefix: "kongidp",
    callbackUrls: ["https://kong.example.com/sampleroute"],
    webClient: {
        name: "kong-api",
        // The seed's client: password sign-in and the self-service scope, asked for explicitly.
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        oauthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
    },
    resourceServer: { identifier: "http://kongresource", scopes: [{ name: "scope1", description: "Scope 1" }] },
    machineClient: { name: "kong-machine" },
};

describe("CognitoIdp", () => {
    describe("with the seed's settings", () => {
        let registrations: Awaited<ReturnType<typeof record>>["registrations"];
        let idp: CognitoIdp;
        before(async () => {
            ({ result: idp, registrations } = await record(() => new CognitoIdp("idp", seedArgs)));
        });

        it("registers the component and exactly its five children under it", () => {
            const component = the(registrations, TYPES.idp, "idp");
            const children = registrations.filter((r) => r.parent === component.urn);
            expect(children.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
                [
                    `${TYPES.client} idp-machine-client`,
                    `${TYPES.client} idp-web-client`,
                    `${TYPES.resourceServer} idp-resource-server`,
                    `${TYPES.userPool} idp-pool`,
                    `${TYPES.domain} idp-domain`,
                ].sort(),
            );
            expect(registrations).to.have.lengthOf(6);
        });

        it("makes a user pool with email sign-in and the required attributes declared in full", () => {
            const pool = plainInputs(the(registrations, TYPES.userPool, "idp-pool"));
            expect(pool.name).to.equal("kongpool");
            expect(pool.usernameAttributes).to.deep.equal(["email"]);
            expect(pool.usernameConfiguration).to.deep.equal({ caseSensitive: false });
            expect(pool.autoVerifiedAttributes).to.deep.equal(["email"]);
            // A changed email stays unverified (and the old one the sign-in name) until the user confirms it.
            expect(pool.userAttributeUpdateSettings).to.deep.equal({ attributesRequireVerificationBeforeUpdates: ["email"] });
            expect(pool.schemas).to.deep.equal(
                ["email", "given_name", "family_name"].map((name) => ({
                    name,
                    attributeDataType: "String",
                    required: true,
                    mutable: true,
                    developerOnlyAttribute: false,
                    stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
                })),
            );
            expect(pool).to.not.have.property("deviceConfiguration");
            expect(pool).to.not.have.property("aliasAttributes");
        });

        it("secures the pool by default: strict passwords, TOTP MFA, deletion protection, admin-only sign-up", () => {
            const pool = plainInputs(the(registrations, TYPES.userPool, "idp-pool"));
            expect(pool.passwordPolicy).to.deep.equal({
                minimumLength: 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 7,
            });
            expect(pool.mfaConfiguration).to.equal("OPTIONAL");
            expect(pool.softwareTokenMfaConfiguration).to.deep.equal({ enabled: true });
            expect(pool.deletionProtection).to.equal("ACTIVE");
            expect(pool.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: true });
            expect(pool.accountRecoverySetting).to.deep.equal({ recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
        });

        it("makes the web client of the seed: secret, 30-day refresh tokens, password auth, limited attributes, code grant", () => {
            const client = plainInputs(the(registrations, TYPES.client, "idp-web-client"));
            expect(client).to.deep.include({
                name: "kong-api",
                generateSecret: true,
                accessTokenValidity: 60,
                idTokenValidity: 60,
                refreshTokenValidity: 30,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                readAttributes: ["email", "given_name", "family_name"],
                writeAttributes: ["email", "given_name", "family_name"],
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
                callbackUrls: ["https://kong.example.com/sampleroute"],
                supportedIdentityProviders: ["COGNITO"],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
            });
            expect(client.userPoolId).to.match(/^us-east-1_/);
        });

        it("makes the resource server of the seed", () => {
            expect(plainInputs(the(registrations, TYPES.resourceServer, "idp-resource-server"))).to.deep.include({
                identifier: "http://kongresource",
                name: "kongresource",
                scopes: [{ scopeName: "scope1", scopeDescription: "Scope 1" }],
            });
        });

        it("makes a machine client for client_credentials only, with scopes taken from the resource server", () => {
            const registration = the(registrations, TYPES.client, "idp-machine-client");
            expect(plainInputs(registration)).to.deep.include({
                name: "kong-machine",
                generateSecret: true,
                allowedOauthFlows: ["client_credentials"],
                allowedOauthScopes: ["http://kongresource/scope1"],
                explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
            });
            const resourceServer = the(registrations, TYPES.resourceServer, "idp-resource-server");
            expect(registration.propertyDependencies.allowedOauthScopes).to.deep.equal([resourceServer.urn]);
        });

        it("keeps both client secrets secret in state (the aws SDK asks for it)", () => {
            for (const name of ["idp-web-client", "idp-machine-client"]) {
                expect(the(registrations, TYPES.client, name).additionalSecretOutputs).to.include("clientSecret");
            }
        });

        it("makes the hosted domain", () => {
            expect(plainInputs(the(registrations, TYPES.domain, "idp-domain")).domain).to.equal("kongidp");
        });

        it("pins the classic hosted UI (managed login version 1), so a console switch to managed login shows as drift", () => {
            expect(plainInputs(the(registrations, TYPES.domain, "idp-domain")).managedLoginVersion).to.equal(1);
        });

        it("derives the issuer and endpoints from the pool and domain", async () => {
            const poolId = await resolve(idp.userPoolId);
            expect(poolId).to.match(/^us-east-1_\w+$/);
            const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
            expect(await resolve(idp.issuerUrl)).to.equal(issuer);
            expect(await resolve(idp.discoveryUrl)).to.equal(`${issuer}/.well-known/openid-configuration`);
            expect(await resolve(idp.jwksUri)).to.equal(`${issuer}/.well-known/jwks.json`);
            expect(await resolve(idp.hostedUiUrl)).to.equal("https://kongidp.auth.us-east-1.amazoncognito.com");
            expect(await resolve(idp.tokenEndpoint)).to.equal("https://kongidp.auth.us-east-1.amazoncognito.com/oauth2/token");
            expect(await resolve(idp.authorizeEndpoint)).to.equal("https://kongidp.auth.us-east-1.amazoncognito.com/oauth2/authorize");
            expect(await resolve(idp.machineScopes!)).to.deep.equal(["http://kongresource/scope1"]);
        });

        it("outputs both client secrets as Pulumi secrets", async () => {
            expect(await pulumi.isSecret(idp.webClientSecret!)).to.equal(true);
            expect(await pulumi.isSecret(idp.machineClientSecret!)).to.equal(true);
            expect(await pulumi.isSecret(idp.webClientId!)).to.equal(false);
        });

        it("hands an api route the machine client and a browser route the web client", async () => {
            const api = idp.oidcSettings("api");
            expect(await resolve(pulumi.output(api.clientId))).to.equal(await resolve(idp.machineClientId!));
            expect(await resolve(pulumi.output(api.requiredScopes!))).to.deep.equal(["http://kongresource/scope1"]);
            const browser = idp.oidcSettings("browser");
            expect(await resolve(pulumi.output(browser.clientId))).to.equal(await resolve(idp.webClientId!));
            expect(await resolve(pulumi.output(browser.scopes!))).to.deep.equal(["openid", "email", "profile"]);
            expect(await pulumi.isSecret(pulumi.output(browser.clientSecret))).to.equal(true);
        });
    });

    it("protects the pool twice by default, as the stack does, and lifts each protection only when told", async () => {
        const { registrations } = await record(() => new CognitoIdp("idp-prod", { ...seedArgs }));
        const pool = the(registrations, TYPES.userPool, "idp-prod-pool");
        expect(pool.protect).to.equal(true);
        expect(plainInputs(pool).deletionProtection).to.equal("ACTIVE");
        const others = registrations.filter((r) => r.name !== "idp-prod-pool");
        expect(others.every((r) => r.protect === false)).to.equal(true);

        const dev = await record(() => new CognitoIdp("idp-dev", { ...seedArgs, deletionProtection: false, protectUserPool: false }));
        const devPool = the(dev.registrations, TYPES.userPool, "idp-dev-pool");
        expect(plainInputs(devPool).deletionProtection).to.equal("INACTIVE");
        expect(devPool.protect).to.equal(false);
    });

    it("makes no resource server or machine client unless asked", async () => {
        const { registrations } = await record(
            () => new CognitoIdp("idp-web", { domainPrefix: "kongidp-web", callbackUrls: ["https://kong.example.com/app"] }),
        );
        expect(registrations.map((r) => r.name).sort()).to.deep.equal(["idp-web", "idp-web-domain", "idp-web-pool", "idp-web-web-client"]);
    });

    it("gives the web client only what the hosted UI needs unless asked: no password flow, no self-service scope", async () => {
        const { registrations } = await record(
            () => new CognitoIdp("idp-min", { domainPrefix: "kongidp-min", callbackUrls: ["https://kong.example.com/app"] }),
        );
        expect(plainInputs(the(registrations, TYPES.client, "idp-min-web-client"))).to.deep.include({
            explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
            allowedOauthScopes: ["openid", "email", "profile"],
        });
    });

    it("sets the feature plan explicitly, and threat protection on PLUS", async () => {
        const { registrations } = await record(
            () => new CognitoIdp("idp-plus", { ...seedArgs, userPoolTier: "PLUS", threatProtection: "AUDIT" }),
        );
        expect(plainInputs(the(registrations, TYPES.userPool, "idp-plus-pool"))).to.deep.include({
            userPoolTier: "PLUS",
            userPoolAddOns: { advancedSecurityMode: "AUDIT" },
        });
        const { registrations: plain } = await record(() => new CognitoIdp("idp-ess", seedArgs));
        const pool = plainInputs(the(plain, TYPES.userPool, "idp-ess-pool"));
        expect(pool.userPoolTier).to.equal("ESSENTIALS");
        expect(pool).to.not.have.property("userPoolAddOns");
    });

    it("has no web client when there is nothing to sign in to (API routes only)", async () => {
        const { result, registrations } = await record(
            () => new CognitoIdp("idp-api", { ...seedArgs, callbackUrls: undefined, webClient: undefined }),
        );
        expect(registrations.filter((r) => r.type === TYPES.client).map((r) => r.name)).to.deep.equal(["idp-api-machine-client"]);
        expect(result.webClientId).to.equal(undefined);
        expect(() => result.oidcSettings("browser")).to.throw("a browser route needs the web client");
    });

    it("hands a browser route the hosted UI's logout and revocation endpoints", async () => {
        const { result } = await record(() => new CognitoIdp("idp-logout", seedArgs));
        const browser = result.oidcSettings("browser");
        expect(await resolve(pulumi.output(browser.logoutEndpoint!))).to.equal("https://kongidp.auth.us-east-1.amazoncognito.com/logout");
        expect(await resolve(pulumi.output(browser.revocationEndpoint!))).to.equal(
            "https://kongidp.auth.us-east-1.amazoncognito.com/oauth2/revoke",
        );
    });

    describe("rejects bad args before registering anything", () => {
        const cases: RejectionCase<CognitoIdpArgs>[] = [
            [
                "a domain prefix with a reserved word",
                { ...seedArgs, domainPrefix: "kong-cognito" },
                "domainPrefix",
                'must not contain "cognito"',
            ],
            ["an http callback URL", { ...seedArgs, callbackUrls: ["http://kong.example.com/cb"] }, "callbackUrls[0]", "must use https"],
            ["no callback URL for the code grant", { ...seedArgs, callbackUrls: [] }, "callbackUrls", "needs at least one callback URL"],
            [
                "client_credentials on the web client",
                { ...seedArgs, webClient: { oauthFlows: ["code", "client_credentials"] } },
                "webClient.oauthFlows",
                "client_credentials cannot share an app client",
            ],
            [
                "a user scope on the machine client",
                { ...seedArgs, machineClient: { scopes: ["openid"] } },
                "machineClient.scopes",
                "can only ask for resource-server scopes",
            ],
            [
                "a machine client without resource server",
                { ...seedArgs, resourceServer: undefined },
                "machineClient",
                "needs resourceServer",
            ],
            [
                "a refresh token over 10 years",
                { ...seedArgs, webClient: { refreshTokenValidityDays: 4000 } },
                "webClient.refreshTokenValidityDays",
                "from 1 to 3650",
            ],
            [
                "an access token under 5 minutes",
                { ...seedArgs, webClient: { accessTokenValidityMinutes: 2 } },
                "webClient.accessTokenValidityMinutes",
                "from 5 to 1440",
            ],
            ["a short password minimum", { ...seedArgs, passwordMinimumLength: 6 }, "passwordMinimumLength", "from 8"],
            ["a pool name Cognito refuses", { ...seedArgs, userPoolName: "kong/pool" }, "userPoolName", "Cognito's [\\w\\s+=,.@-]+"],
            ["a client name Cognito refuses", { ...seedArgs, webClient: { name: "kong*api" } }, "webClient.name", "must be 1-128"],
            ["an AWS-reserved tag key", { ...seedArgs, tags: { "aws:team": "x" } }, "tags.aws:team", 'not starting with "aws:"'],
            [
                "an unknown auth flow",
                { ...seedArgs, webClient: { explicitAuthFlows: ["USER_PASSWORD"] } },
                "webClient.explicitAuthFlows",
                "must be one of",
            ],
            [
                "threat protection below PLUS",
                { ...seedArgs, threatProtection: "ENFORCED" },
                "threatProtection",
                "needs userPoolTier PLUS (it is ESSENTIALS)",
            ],
            [
                "choice-based sign-in on LITE",
                { ...seedArgs, userPoolTier: "LITE", webClient: { explicitAuthFlows: ["ALLOW_USER_AUTH"] } },
                "webClient.explicitAuthFlows",
                "needs userPoolTier ESSENTIALS or PLUS",
            ],
            [
                "logout URLs without a web client",
                { domainPrefix: "kongidp", logoutUrls: ["https://kong.example.com/"] },
                "logoutUrls",
                "belong to the web client",
            ],
            [
                // What a JavaScript (or YAML) caller passes when it takes scopes for plain names.
                "a scope given as a bare name",
                { ...seedArgs, resourceServer: { identifier: "http://kongresource", scopes: ["scope1" as never] } },
                "resourceServer.scopes[0]",
                "must be a scope object { name, description }",
            ],
        ];
        itRejectsEach(cases, (args) => new CognitoIdp("bad", args));

        it("lists every broken rule in one error", async () => {
            const { error } = await recordFailure(
                () => new CognitoIdp("bad", { ...seedArgs, domainPrefix: "AWS", passwordMinimumLength: 4 }),
            );
            const issues = (error as KongCognitoInputError).issues.map((i) => i.propertyPath);
            expect(issues).to.deep.equal(["domainPrefix", "passwordMinimumLength"]);
        });
    });
});
