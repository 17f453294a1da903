// CognitoIdp's args as resolveCognitoIdpArgs resolves them, without registering anything: every
// default, and every rule reported under the property path a user reads. Written from the
// survivors of a mutation run on components/cognito/cognitoIdp.ts.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdpArgs, resolveCognitoIdpArgs } from "../components/cognito/cognitoIdp";
import { InputIssue, KongCognitoInputError } from "../components/validation";
import { valueOf } from "../testing";

/** The issues resolving `args` reports, in order; empty when they resolve. */
function issuesFor(args: CognitoIdpArgs): InputIssue[] {
    try {
        resolveCognitoIdpArgs("idp", args);
        return [];
    } catch (error) {
        expect(error).to.be.instanceOf(KongCognitoInputError);
        return [...(error as KongCognitoInputError).issues];
    }
}

const api = { identifier: "http://api", scopes: [{ name: "read", description: "Read" }] };
const web = { domainPrefix: "kongidp", callbackUrls: ["https://kong.example.com/app"] };

describe("CognitoIdp args", () => {
    describe("defaults", () => {
        it("an IdP given only its domain: named after the component, secured, with no clients", () => {
            expect(resolveCognitoIdpArgs("idp-defaults", { domainPrefix: "kongidp" })).to.deep.equal({
                userPoolName: "idp-defaults",
                domainPrefix: "kongidp",
                callbackUrls: [],
                logoutUrls: [],
                userPoolTier: "ESSENTIALS",
                threatProtection: "OFF",
                deletionProtection: true,
                protectUserPool: true,
                selfSignUp: false,
                mfa: "OPTIONAL",
                passwordMinimumLength: 12,
                webClient: undefined,
                resourceServer: undefined,
                machineClient: undefined,
                tags: {},
            });
        });

        it("a callback URL alone brings the web client with the hosted UI's needs: code grant, OpenID scopes, refresh only", () => {
            expect(resolveCognitoIdpArgs("idp-web", web).webClient).to.deep.equal({
                name: "idp-web-web",
                accessTokenValidityMinutes: 60,
                idTokenValidityMinutes: 60,
                refreshTokenValidityDays: 30,
                oauthFlows: ["code"],
                oauthScopes: ["openid", "email", "profile"],
                explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
            });
        });

        it("the machine client asks for every declared scope, in full, for 60-minute tokens", () => {
            const resolved = resolveCognitoIdpArgs("idp-m2m", {
                domainPrefix: "kongidp",
                resourceServer: { identifier: "http://api", scopes: [api.scopes[0], { name: "write", description: "Write" }] },
                machineClient: {},
            });
            expect(resolved.machineClient).to.deep.equal({
                name: "idp-m2m-machine",
                scopes: ["http://api/read", "http://api/write"],
                accessTokenValidityMinutes: 60,
            });
        });

        for (const [identifier, name] of [
            ["http://kongresource", "kongresource"],
            ["HTTPS://api.example.com/v1", "api.example.com-v1"],
            ["urn:orders", "urn-orders"],
            ["http://", "resource-server"],
        ]) {
            it(`names the resource server ${JSON.stringify(name)} after ${JSON.stringify(identifier)}, as Cognito's name rule allows`, () => {
                const resolved = resolveCognitoIdpArgs("idp", { domainPrefix: "kongidp", resourceServer: { ...api, identifier } });
                expect(resolved.resourceServer).to.deep.equal({ identifier, name, scopes: api.scopes });
            });
        }
    });

    describe("rules, each under its property path", () => {
        it("names each of the feature plans, threat protection modes and MFA modes when given another", () => {
            expect(issuesFor({ domainPrefix: "kongidp", userPoolTier: "GOLD" as never })).to.deep.equal([
                { propertyPath: "userPoolTier", value: "GOLD", rule: "must be one of LITE, ESSENTIALS, PLUS" },
            ]);
            expect(issuesFor({ domainPrefix: "kongidp", userPoolTier: "PLUS", threatProtection: "BLOCK" as never })).to.deep.equal([
                { propertyPath: "threatProtection", value: "BLOCK", rule: "must be one of OFF, AUDIT, ENFORCED" },
            ]);
            expect(issuesFor({ domainPrefix: "kongidp", mfa: "SMS" as never })).to.deep.equal([
                { propertyPath: "mfa", value: "SMS", rule: "must be one of OFF, OPTIONAL, ON" },
            ]);
        });

        it("takes every plan's own features: threat protection on PLUS, choice-based sign-in on ESSENTIALS", () => {
            expect(issuesFor({ ...web, userPoolTier: "PLUS", threatProtection: "ENFORCED" })).to.deep.equal([]);
            expect(issuesFor({ ...web, webClient: { explicitAuthFlows: ["ALLOW_USER_AUTH"] } })).to.deep.equal([]);
        });

        it("takes a password minimum of 8 and 99, refuses 7 and 100 as passwordMinimumLength", () => {
            expect([8, 99].flatMap((length) => issuesFor({ domainPrefix: "kongidp", passwordMinimumLength: length }))).to.deep.equal([]);
            const rule = "must be a whole number from 8 (AWS's default minimum) to 99 (Cognito's maximum)";
            expect([7, 100].flatMap((length) => issuesFor({ domainPrefix: "kongidp", passwordMinimumLength: length }))).to.deep.equal([
                { propertyPath: "passwordMinimumLength", value: 7, rule },
                { propertyPath: "passwordMinimumLength", value: 100, rule },
            ]);
        });

        it("takes 100 callback URLs and refuses 101", () => {
            const urls = (n: number) => Array.from({ length: n }, (_, k) => `https://kong.example.com/app${k}`);
            expect(issuesFor({ domainPrefix: "kongidp", callbackUrls: urls(100) })).to.deep.equal([]);
            expect(issuesFor({ domainPrefix: "kongidp", callbackUrls: urls(101) })).to.deep.equal([
                { propertyPath: "callbackUrls", value: 101, rule: "must hold at most 100 URLs" },
            ]);
        });

        it("needs a callback URL for the code grant only, and checks logout URLs as Cognito checks callback URLs", () => {
            expect(issuesFor({ domainPrefix: "kongidp", webClient: { oauthFlows: ["implicit"] } })).to.deep.equal([]);
            expect(issuesFor({ ...web, logoutUrls: ["https://kong.example.com/", "http://kong.example.com/bye"] })).to.deep.equal([
                {
                    propertyPath: "logoutUrls[1]",
                    value: "http://kong.example.com/bye",
                    rule: "must use https (http is allowed only for localhost)",
                },
            ]);
        });

        it("checks a callback URL from another resource once it resolves, with the same message", async () => {
            const resolved = resolveCognitoIdpArgs("idp-later", { ...web, callbackUrls: [pulumi.output("http://kong.example.com/app")] });
            const error = await valueOf(resolved.callbackUrls[0]).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error).to.be.instanceOf(KongCognitoInputError);
            expect(error?.message).to.equal(
                'CognitoIdp "idp-later": invalid input\n' +
                    '  - callbackUrls[0] = "http://kong.example.com/app": must use https (http is allowed only for localhost)',
            );
        });

        it("checks every token lifetime of both clients under its own path", () => {
            const found = issuesFor({
                ...web,
                resourceServer: api,
                webClient: { idTokenValidityMinutes: 4, accessTokenValidityMinutes: 1441, refreshTokenValidityDays: 0 },
                machineClient: { accessTokenValidityMinutes: 1441 },
            });
            expect(found.map((i) => `${i.propertyPath} = ${String(i.value)}`)).to.deep.equal([
                "webClient.accessTokenValidityMinutes = 1441",
                "webClient.idTokenValidityMinutes = 4",
                "webClient.refreshTokenValidityDays = 0",
                "machineClient.accessTokenValidityMinutes = 1441",
            ]);
        });

        it("checks the names of the machine client (128 characters) and the resource server (256)", () => {
            const rule128 = "must be 1-128 letters, digits, spaces or + = , . @ - _ (Cognito's [\\w\\s+=,.@-]+)";
            const rule256 = "must be 1-256 letters, digits, spaces or + = , . @ - _ (Cognito's [\\w\\s+=,.@-]+)";
            expect(
                issuesFor({
                    domainPrefix: "kongidp",
                    resourceServer: { ...api, name: "r".repeat(256) },
                    machineClient: { name: "m".repeat(128) },
                }),
            ).to.deep.equal([]);
            expect(
                issuesFor({
                    domainPrefix: "kongidp",
                    resourceServer: { ...api, name: "r".repeat(257) },
                    machineClient: { name: "m".repeat(129) },
                }),
            ).to.deep.equal([
                { propertyPath: "resourceServer.name", value: "r".repeat(257), rule: rule256 },
                { propertyPath: "machineClient.name", value: "m".repeat(129), rule: rule128 },
            ]);
        });

        it("lets the web client ask for a scope of the resource server, in full, and for no scope of another", () => {
            const scopes = (oauthScopes: string[]) => issuesFor({ ...web, resourceServer: api, webClient: { oauthScopes } });
            expect(scopes(["openid", "http://api/read"])).to.deep.equal([]);
            expect(scopes(["openid", "read", "http://other/read"]).map((i) => i.value)).to.deep.equal(["read", "http://other/read"]);
        });

        it("reports a scope that is not an object once, and still resolves the machine client's scopes from the others", () => {
            const found = issuesFor({
                domainPrefix: "kongidp",
                resourceServer: { identifier: "http://api", scopes: [api.scopes[0], null as never] },
                machineClient: {},
            });
            expect(found).to.deep.equal([
                { propertyPath: "resourceServer.scopes[1]", value: null, rule: "must be a scope object { name, description }" },
            ]);
        });

        it("reports a missing domain prefix (a JavaScript caller) as an empty one", () => {
            expect(issuesFor({} as CognitoIdpArgs)).to.deep.equal([
                {
                    propertyPath: "domainPrefix",
                    value: "",
                    rule: "must be 1-63 lowercase letters, digits or inner hyphens (^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$)",
                },
            ]);
        });
    });
});
