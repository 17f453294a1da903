// What CognitoIdp registers for the settings the seed does not use: MFA off, self sign-up, sign-out
// URLs, tags, a machine client with some of the declared scopes, and the outputs and errors a
// route reads. Written from the survivors of a mutation run on components/cognito/cognitoIdp.ts.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, CognitoIdpArgs } from "../components";
import { KongCognitoInputError } from "../components/validation";
import { plainInputs, record, resolve, the, TYPES } from "./harness";

const resourceServer = {
    identifier: "http://api",
    scopes: [
        { name: "read", description: "Read" },
        { name: "write", description: "Write" },
    ],
};

const webArgs: CognitoIdpArgs = {
    domainPrefix: "kongidp",
    callbackUrls: ["https://kong.example.com/app"],
    logoutUrls: ["https://kong.example.com/"],
    mfa: "OFF",
    selfSignUp: true,
    tags: { team: "platform" },
    webClient: { oauthScopes: ["openid", "phone", "aws.cognito.signin.user.admin", "http://api/read"] },
    resourceServer,
    machineClient: { scopes: ["read"], accessTokenValidityMinutes: 15 },
};

describe("CognitoIdp beyond the seed", () => {
    let registrations: Awaited<ReturnType<typeof record>>["registrations"];
    let idp: CognitoIdp;
    before(async () => {
        ({ result: idp, registrations } = await record(() => new CognitoIdp("other", webArgs)));
    });

    it("turns TOTP off with MFA, lets users sign up, and tags the pool", () => {
        const pool = plainInputs(the(registrations, TYPES.userPool, "other-pool"));
        expect(pool.mfaConfiguration).to.equal("OFF");
        expect(pool).to.not.have.property("softwareTokenMfaConfiguration");
        expect(pool.adminCreateUserConfig).to.deep.equal({ allowAdminCreateUserOnly: false });
        expect(pool.tags).to.deep.equal({ team: "platform" });
    });

    it("registers the sign-out URLs on the web client, and none when there are none", async () => {
        expect(plainInputs(the(registrations, TYPES.client, "other-web-client")).logoutUrls).to.deep.equal(["https://kong.example.com/"]);
        const { registrations: without } = await record(
            () => new CognitoIdp("nologout", { domainPrefix: "kongidp", callbackUrls: ["https://kong.example.com/app"] }),
        );
        expect(plainInputs(the(without, TYPES.client, "nologout-web-client"))).to.not.have.property("logoutUrls");
    });

    it("hands a browser route the OpenID scopes only: not Cognito's own, not a resource server's", async () => {
        expect(await resolve(idp.browserScopes!)).to.deep.equal(["openid", "phone"]);
    });

    it("gives the machine client the scopes asked for, its token lifetime and nothing a user client has", async () => {
        expect(plainInputs(the(registrations, TYPES.client, "other-machine-client"))).to.deep.equal({
            name: "other-machine",
            userPoolId: await resolve(idp.userPoolId),
            generateSecret: true,
            accessTokenValidity: 15,
            tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
            explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
            allowedOauthFlowsUserPoolClient: true,
            allowedOauthFlows: ["client_credentials"],
            allowedOauthScopes: ["http://api/read"],
            supportedIdentityProviders: ["COGNITO"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
        });
        expect(await resolve(idp.machineScopes!)).to.deep.equal(["http://api/read"]);
    });

    it("outputs the pool's region and the hosted UI's userInfo endpoint", async () => {
        expect(await resolve(idp.region)).to.equal("us-east-1");
        expect(await resolve(idp.userInfoEndpoint)).to.equal("https://kongidp.auth.us-east-1.amazoncognito.com/oauth2/userInfo");
    });

    it("hands TypeScript callers each child resource", async () => {
        const urnOf = (type: string, name: string) => the(registrations, type, name).urn;
        expect(await resolve(idp.userPool.urn)).to.equal(urnOf(TYPES.userPool, "other-pool"));
        expect(await resolve(idp.domain.urn)).to.equal(urnOf(TYPES.domain, "other-domain"));
        expect(await resolve(idp.webClient!.urn)).to.equal(urnOf(TYPES.client, "other-web-client"));
        expect(await resolve(idp.resourceServer!.urn)).to.equal(urnOf(TYPES.resourceServer, "other-resource-server"));
        expect(await resolve(idp.machineClient!.urn)).to.equal(urnOf(TYPES.client, "other-machine-client"));
    });

    it("hands an api route the machine client's scopes to ask for and to require", async () => {
        const settings = idp.oidcSettings("api");
        expect(await resolve(pulumi.output(settings.issuer))).to.equal(await resolve(idp.discoveryUrl));
        expect(await resolve(pulumi.output(settings.clientSecret))).to.equal(await resolve(idp.machineClientSecret!));
        expect(await resolve(pulumi.output(settings.scopes!))).to.deep.equal(["http://api/read"]);
        expect(await resolve(pulumi.output(settings.requiredScopes!))).to.deep.equal(["http://api/read"]);
        expect(settings).to.not.have.property("logoutEndpoint");
    });

    it("hands a browser route the discovery URL and the web client's secret, and requires no scope", async () => {
        const settings = idp.oidcSettings("browser");
        expect(await resolve(pulumi.output(settings.issuer))).to.equal(await resolve(idp.discoveryUrl));
        expect(await resolve(pulumi.output(settings.clientSecret))).to.equal(await resolve(idp.webClientSecret!));
        expect(settings).to.not.have.property("requiredScopes");
    });

    it("makes no machine client for a resource server alone", async () => {
        const { result, registrations: only } = await record(() => new CognitoIdp("rsonly", { domainPrefix: "kongidp", resourceServer }));
        expect(only.map((r) => r.name).sort()).to.deep.equal(["rsonly", "rsonly-domain", "rsonly-pool", "rsonly-resource-server"]);
        expect(result.machineScopes).to.equal(undefined);
    });

    it("refuses an api route an IdP without a machine client, naming what to set", async () => {
        const { result } = await record(
            () => new CognitoIdp("webonly", { domainPrefix: "kongidp", callbackUrls: ["https://kong.example.com/app"] }),
        );
        let error: unknown;
        try {
            result.oidcSettings("api");
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(KongCognitoInputError);
        expect((error as KongCognitoInputError).message).to.equal(
            'CognitoIdp "webonly": invalid input\n' +
                "  - machineClient = (not set): an api route needs the machine client (set resourceServer and machineClient)",
        );
    });

    it("refuses a browser route an IdP without a web client, naming what to set", async () => {
        const { result } = await record(() => new CognitoIdp("apionly", { domainPrefix: "kongidp", resourceServer, machineClient: {} }));
        expect(() => result.oidcSettings("browser")).to.throw(
            KongCognitoInputError,
            'CognitoIdp "apionly": invalid input\n' +
                "  - webClient = (not set): a browser route needs the web client (set callbackUrls, or webClient)",
        );
    });
});
