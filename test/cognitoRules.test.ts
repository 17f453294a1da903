// Cognito's limits, each on both sides of its boundary, with the property path and the message a
// user reads (CreateUserPool, CreateUserPoolClient, ResourceServerType). Written from the
// survivors of a mutation run on components/cognito/rules.ts: boundaries and error paths.
import { expect } from "chai";
import {
    checkCallbackUrl,
    checkClientCredentialsClient,
    checkCognitoName,
    checkDomainPrefix,
    checkExplicitAuthFlows,
    checkPasswordPolicy,
    checkRefreshTokenDays,
    checkResourceServer,
    checkShortTokenMinutes,
    checkTags,
    checkTierFeatures,
    checkUserOauthFlows,
    checkUserOauthScopes,
    EXPLICIT_AUTH_FLOWS,
    passwordPolicy,
    resolveMachineScopes,
    ResourceServerScope,
} from "../components/cognito/rules";
import { InputIssue } from "../components/validation";
import { issuesOf } from "./harness";

const paths = (found: InputIssue[]) => found.map((i) => i.propertyPath);

describe("Cognito's limits, both sides of each boundary", () => {
    describe("domain prefix (CreateUserPoolDomain)", () => {
        const at = (prefix: string) => issuesOf((i) => checkDomainPrefix(i, "domainPrefix", prefix));
        it("takes 1 and 63 characters, refuses 0 and 64", () => {
            expect(at("a")).to.deep.equal([]);
            expect(at("a".repeat(63))).to.deep.equal([]);
            expect(paths(at(""))).to.deep.equal(["domainPrefix"]);
            expect(at("a".repeat(64))[0].rule).to.equal(
                "must be 1-63 lowercase letters, digits or inner hyphens (^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$)",
            );
        });
        it("names every reserved word the prefix holds", () => {
            expect(at("my-aws-amazon").map((i) => i.rule)).to.deep.equal(['must not contain "aws", "amazon" (AWS rejects such prefixes)']);
            expect(at("cognitologin").map((i) => i.rule)).to.deep.equal(['must not contain "cognito" (AWS rejects such prefixes)']);
        });
    });

    describe("token lifetimes", () => {
        it("access and id tokens: 5 to 1440 minutes, whole", () => {
            const at = (minutes: number) => issuesOf((i) => checkShortTokenMinutes(i, "accessTokenValidityMinutes", minutes));
            expect([5, 1440].flatMap(at)).to.deep.equal([]);
            expect([4, 1441, 5.5].map((m) => at(m)[0])).to.deep.equal(
                [4, 1441, 5.5].map((value) => ({
                    propertyPath: "accessTokenValidityMinutes",
                    value,
                    rule: "must be a whole number of minutes from 5 to 1440 (5 minutes to 1 day)",
                })),
            );
        });
        it("refresh tokens: 1 to 3650 days, whole", () => {
            const at = (days: number) => issuesOf((i) => checkRefreshTokenDays(i, "refreshTokenValidityDays", days));
            expect([1, 3650].flatMap(at)).to.deep.equal([]);
            expect([0, 3651, 1.5].map((d) => at(d)[0])).to.deep.equal(
                [0, 3651, 1.5].map((value) => ({
                    propertyPath: "refreshTokenValidityDays",
                    value,
                    rule: "must be a whole number of days from 1 to 3650 (Cognito allows at most 10 years)",
                })),
            );
        });
    });

    describe("password policy (PasswordPolicyType)", () => {
        const at = (policy: Parameters<typeof checkPasswordPolicy>[1]) =>
            issuesOf((i) => checkPasswordPolicy(i, policy, (field) => `passwordPolicy.${field}`));
        it("takes a minimum length of 8 and of 99, refuses 7, 100, a fraction and none", () => {
            expect(at(passwordPolicy(8))).to.deep.equal([]);
            expect(at(passwordPolicy(99))).to.deep.equal([]);
            for (const length of [7, 100, 8.5, undefined]) {
                expect(at({ ...passwordPolicy(12), minimumLength: length }), String(length)).to.deep.equal([
                    {
                        propertyPath: "passwordPolicy.minimumLength",
                        value: length,
                        rule: "must be a whole number from 8 (AWS's default minimum) to 99 (Cognito's maximum)",
                    },
                ]);
            }
        });
        it("requires every character class, each named by its field", () => {
            const found = at({ minimumLength: 12, requireLowercase: false, requireUppercase: true, requireNumbers: true });
            expect(found).to.deep.equal([
                { propertyPath: "passwordPolicy.requireLowercase", value: false, rule: "must be true: every character class is required" },
                {
                    propertyPath: "passwordPolicy.requireSymbols",
                    value: undefined,
                    rule: "must be true: every character class is required",
                },
            ]);
        });
        it("takes temporary passwords of up to 7 days, and none given", () => {
            expect(at({ ...passwordPolicy(12), temporaryPasswordValidityDays: 7 })).to.deep.equal([]);
            expect(at({ ...passwordPolicy(12), temporaryPasswordValidityDays: undefined })).to.deep.equal([]);
            expect(at({ ...passwordPolicy(12), temporaryPasswordValidityDays: 8 })).to.deep.equal([
                { propertyPath: "passwordPolicy.temporaryPasswordValidityDays", value: 8, rule: "must be at most 7 days" },
            ]);
        });
    });

    describe("callback URLs (CallbackURLs)", () => {
        const at = (url: string) => issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", url));
        it("takes 1024 characters and refuses 1025 before any other check", () => {
            const base = "https://kong.example.com/";
            expect(at(base + "a".repeat(1024 - base.length))).to.deep.equal([]);
            const long = base + "a".repeat(1025 - base.length);
            expect(at(long)).to.deep.equal([
                { propertyPath: "callbackUrls[0]", value: long, rule: "must be 1-1024 characters long (Cognito CallbackURLs)" },
            ]);
            expect(at("")).to.deep.equal([
                { propertyPath: "callbackUrls[0]", value: "", rule: "must be 1-1024 characters long (Cognito CallbackURLs)" },
            ]);
            // One character is long enough; it is then refused as no URL.
            expect(at("h")).to.deep.equal([
                { propertyPath: "callbackUrls[0]", value: "h", rule: "must be an absolute URL such as https://kong.example.com" },
            ]);
        });
    });

    describe("resource server (ResourceServerType)", () => {
        const scope = (name: string, description = "access"): ResourceServerScope => ({ name, description });
        const at = (identifier: string, scopes: readonly ResourceServerScope[]) =>
            issuesOf((i) => checkResourceServer(i, "resourceServer", identifier, scopes));
        it("takes identifiers of 1 and 256 printable characters, refuses 257, spaces, quotes and backslashes anywhere", () => {
            expect(at("x", [scope("read")])).to.deep.equal([]);
            expect(at("x".repeat(256), [scope("read")])).to.deep.equal([]);
            for (const identifier of ["x".repeat(257), "", "a b", 'a"', "a\\", " a", "a "]) {
                expect(paths(at(identifier, [scope("read")])), JSON.stringify(identifier)).to.deep.equal(["resourceServer.identifier"]);
            }
        });
        it("takes 1 and 100 scopes, refuses none and 101", () => {
            const many = (n: number) => Array.from({ length: n }, (_, k) => scope(`s${k}`));
            expect(at("api", many(100))).to.deep.equal([]);
            expect(at("api", [])).to.deep.equal([{ propertyPath: "resourceServer.scopes", value: 0, rule: "must hold 1 to 100 scopes" }]);
            expect(at("api", many(101))).to.deep.equal([
                { propertyPath: "resourceServer.scopes", value: 101, rule: "must hold 1 to 100 scopes" },
            ]);
        });
        it("takes scope names of 1 and 256 characters, refuses 257, a slash or a space anywhere, naming the scope's index", () => {
            expect(at("api", [scope("r"), scope("r".repeat(256))])).to.deep.equal([]);
            for (const name of ["r".repeat(257), "a/b", "/a", "a/", " a", "a "]) {
                expect(paths(at("api", [scope("ok"), scope(name)])), JSON.stringify(name)).to.deep.equal(["resourceServer.scopes[1].name"]);
            }
        });
        it("refuses a scope declared twice, and a scope that is not an object", () => {
            expect(at("api", [scope("read"), scope("read")])).to.deep.equal([
                { propertyPath: "resourceServer.scopes[1].name", value: "read", rule: "is declared twice" },
            ]);
            expect(at("api", [null as unknown as ResourceServerScope])).to.deep.equal([
                { propertyPath: "resourceServer.scopes[0]", value: null, rule: "must be a scope object { name, description }" },
            ]);
        });
        it("takes descriptions of 1 and 256 characters, refuses none and 257", () => {
            expect(at("api", [scope("a", "d"), scope("b", "d".repeat(256))])).to.deep.equal([]);
            const rule = "must be 1-256 characters (Cognito requires one)";
            expect(at("api", [scope("a", ""), scope("b", "d".repeat(257))])).to.deep.equal([
                { propertyPath: "resourceServer.scopes[0].description", value: "", rule },
                { propertyPath: "resourceServer.scopes[1].description", value: "d".repeat(257), rule },
            ]);
        });
    });

    describe("app clients", () => {
        it("a user client names at least one of code and implicit", () => {
            expect(issuesOf((i) => checkUserOauthFlows(i, "webClient.allowedOauthFlows", ["code"]))).to.deep.equal([]);
            expect(issuesOf((i) => checkUserOauthFlows(i, "webClient.allowedOauthFlows", []))).to.deep.equal([
                { propertyPath: "webClient.allowedOauthFlows", value: [], rule: 'must name at least one of "code", "implicit"' },
            ]);
        });
        it("a client_credentials client: that flow alone, a generated secret, resource-server scopes only", () => {
            const good = {
                allowedOauthFlows: ["client_credentials"],
                generateSecret: true,
                allowedOauthScopes: ["http://kongresource/scope1"],
            };
            expect(issuesOf((i) => checkClientCredentialsClient(i, good))).to.deep.equal([]);
            expect(
                issuesOf((i) =>
                    checkClientCredentialsClient(i, {
                        allowedOauthFlows: ["client_credentials", "code"],
                        generateSecret: false,
                        allowedOauthScopes: ["openid", "plain", "http://kongresource/scope1"],
                    }),
                ),
            ).to.deep.equal([
                {
                    propertyPath: "allowedOauthFlows",
                    value: ["client_credentials", "code"],
                    rule: "client_credentials cannot share an app client with code",
                },
                { propertyPath: "generateSecret", value: false, rule: "client_credentials needs a generated client secret" },
                {
                    propertyPath: "allowedOauthScopes",
                    value: ["openid", "plain"],
                    rule: "client_credentials can only ask for resource-server scopes (<identifier>/<scope>)",
                },
            ]);
        });
    });

    describe("scopes and flows", () => {
        it("a user client's email, phone and profile scopes need openid; other scopes must be Cognito's or declared", () => {
            const at = (scopes: string[]) => issuesOf((i) => checkUserOauthScopes(i, "webClient.oauthScopes", scopes, ["http://api/read"]));
            expect(at(["openid", "email", "phone", "profile", "http://api/read"])).to.deep.equal([]);
            expect(at(["email", "profile", "aws.cognito.signin.user.admin"])).to.deep.equal([
                {
                    propertyPath: "webClient.oauthScopes",
                    value: ["email", "profile", "aws.cognito.signin.user.admin"],
                    rule: "email, profile require the openid scope as well",
                },
            ]);
            expect(at(["phone"])[0].rule).to.equal("phone require the openid scope as well");
            expect(at(["aws.cognito.signin.user.admin"])).to.deep.equal([]);
            expect(at(["openid", "http://api/write"])).to.deep.equal([
                {
                    propertyPath: "webClient.oauthScopes",
                    value: "http://api/write",
                    rule: "is neither a Cognito scope (openid, email, phone, profile, aws.cognito.signin.user.admin) nor a declared resource-server scope",
                },
            ]);
        });
        it("a user client's flows are code and implicit; others are named", () => {
            expect(issuesOf((i) => checkUserOauthFlows(i, "flows", ["code", "password"]))).to.deep.equal([
                { propertyPath: "flows", value: "password", rule: 'is not an OAuth flow of a user client ("code" or "implicit")' },
            ]);
            expect(
                issuesOf((i) =>
                    checkClientCredentialsClient(i, {
                        allowedOauthFlows: ["code", "implicit"],
                        generateSecret: true,
                        allowedOauthScopes: ["a/b"],
                    }),
                )[0].rule,
            ).to.equal("client_credentials cannot share an app client with code, implicit");
        });
        it("the machine client asks for at least one declared resource-server scope, by name or in full", () => {
            const at = (requested: string[]) => {
                let full: string[] = [];
                const found = issuesOf(
                    (i) => (full = resolveMachineScopes(i, "machineClient.scopes", requested, "http://api", ["read", "write"])),
                );
                return { full, found };
            };
            expect(at(["read", "http://api/write"])).to.deep.equal({ full: ["http://api/read", "http://api/write"], found: [] });
            expect(at([]).found).to.deep.equal([
                { propertyPath: "machineClient.scopes", value: [], rule: "must name at least one resource-server scope" },
            ]);
            expect(at(["delete"]).found).to.deep.equal([
                {
                    propertyPath: "machineClient.scopes",
                    value: "delete",
                    rule: "is not a scope of resource server http://api (declared: read, write)",
                },
            ]);
        });
        it("explicit auth flows are Cognito's six; choice-based sign-in needs ESSENTIALS, threat protection PLUS", () => {
            expect(issuesOf((i) => checkExplicitAuthFlows(i, "flows", [...EXPLICIT_AUTH_FLOWS]))).to.deep.equal([]);
            expect(issuesOf((i) => checkExplicitAuthFlows(i, "flows", ["ALLOW_EVERYTHING"]))).to.deep.equal([
                { propertyPath: "flows", value: "ALLOW_EVERYTHING", rule: `must be one of ${EXPLICIT_AUTH_FLOWS.join(", ")}` },
            ]);
            const tier = (t: "LITE" | "ESSENTIALS" | "PLUS", flows: string[], threat: "OFF" | "AUDIT" = "OFF") =>
                issuesOf((i) =>
                    checkTierFeatures(
                        i,
                        t,
                        { threatProtection: threat, explicitAuthFlows: flows },
                        { threatProtection: "tp", explicitAuthFlows: "eaf" },
                    ),
                );
            expect([
                ...tier("ESSENTIALS", ["ALLOW_USER_AUTH"]),
                ...tier("LITE", ["ALLOW_REFRESH_TOKEN_AUTH"]),
                ...tier("PLUS", [], "AUDIT"),
            ]).to.deep.equal([]);
            expect(tier("LITE", ["ALLOW_USER_AUTH"])).to.deep.equal([
                {
                    propertyPath: "eaf",
                    value: "ALLOW_USER_AUTH",
                    rule: "choice-based sign-in needs userPoolTier ESSENTIALS or PLUS (it is LITE)",
                },
            ]);
            expect(tier("ESSENTIALS", [], "AUDIT")).to.deep.equal([
                { propertyPath: "tp", value: "AUDIT", rule: "threat protection needs userPoolTier PLUS (it is ESSENTIALS)" },
            ]);
        });
        it("scope names and descriptions must be strings (a number would pass the pattern as text)", () => {
            const found = issuesOf((i) =>
                checkResourceServer(i, "rs", "api", [{ name: 5, description: 7 } as unknown as ResourceServerScope]),
            );
            expect(found).to.deep.equal([
                {
                    propertyPath: "rs.scopes[0].name",
                    value: 5,
                    rule: "must be 1-256 printable characters without spaces, '/', '\"' or '\\'",
                },
                { propertyPath: "rs.scopes[0].description", value: 7, rule: "must be 1-256 characters (Cognito requires one)" },
            ]);
            expect(issuesOf((i) => checkResourceServer(i, "rs", "a b", [{ name: "r", description: "d" }]))[0].rule).to.equal(
                "must be 1-256 printable characters without spaces, '\"' or '\\' (ResourceServerType.Identifier)",
            );
        });
    });

    describe("names and tags", () => {
        it("names of 1 and 128 (or 256) characters, refused at 129 (or 257) and empty", () => {
            const at = (name: string, max?: 128 | 256) => issuesOf((i) => checkCognitoName(i, "userPoolName", name, max));
            expect([at("n"), at("n".repeat(128)), at("n".repeat(256), 256)].flat()).to.deep.equal([]);
            expect(paths([...at(""), ...at("n".repeat(129)), ...at("n".repeat(257), 256)])).to.deep.equal([
                "userPoolName",
                "userPoolName",
                "userPoolName",
            ]);
            expect(at("n".repeat(257), 256)[0].rule).to.equal(
                "must be 1-256 letters, digits, spaces or + = , . @ - _ (Cognito's [\\w\\s+=,.@-]+)",
            );
        });
        it("names must be strings", () => {
            expect(paths(issuesOf((i) => checkCognitoName(i, "webClient.name", 42 as unknown as string)))).to.deep.equal([
                "webClient.name",
            ]);
        });
        it("tag keys of 1 and 128 characters, refused empty, at 129 and with AWS's prefix in any case", () => {
            const at = (key: string) => issuesOf((i) => checkTags(i, "tags", { [key]: "v" }));
            expect([...at("k"), ...at("k".repeat(128))]).to.deep.equal([]);
            const rule = 'must be a tag key of 1-128 characters not starting with "aws:"';
            expect([...at(""), ...at("k".repeat(129)), ...at("aws:team"), ...at("AWS:team")].map((i) => i.rule)).to.deep.equal([
                rule,
                rule,
                rule,
                rule,
            ]);
            expect(issuesOf((i) => checkTags(i, "tags", { team: 5 as unknown as string }))).to.deep.equal([
                { propertyPath: "tags.team", value: 5, rule: "must be a tag value of at most 256 characters" },
            ]);
        });
        it("tag values of up to 256 characters, refused at 257 under the tag's key", () => {
            const at = (value: string) => issuesOf((i) => checkTags(i, "tags", { team: value }));
            expect(at("v".repeat(256))).to.deep.equal([]);
            expect(at("v".repeat(257))).to.deep.equal([
                { propertyPath: "tags.team", value: "v".repeat(257), rule: "must be a tag value of at most 256 characters" },
            ]);
        });
    });
});
