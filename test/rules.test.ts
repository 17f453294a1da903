// The Cognito and Kong rules as pure functions: each rule accepts what AWS/Kong accept and
// names the property, the value and the rule for what they reject.
import { expect } from "chai";
import {
    checkCallbackUrl,
    checkDomainPrefix,
    checkRefreshTokenDays,
    checkShortTokenMinutes,
    checkUserOauthFlows,
    checkUserOauthScopes,
    resolveMachineScopes,
} from "../components/cognito/rules";
import { openIdConnectConfig, proxyCacheConfig } from "../components/kong/model/pluginConfigs";
import {
    cacheVaryHeaders,
    checkAuthMethods,
    checkProxyCacheSettings,
    checkRoutePath,
    parseUpstreamUrl,
    PROXY_CACHE_DEFAULTS,
    prefixPaths,
    parseKongVersion,
    checkSslVerify,
    contentTypeMatches,
    parseMediaType,
    checkTlsCertificateVerify,
    KongTlsCertificateVerify,
} from "../components/kong/model/rules";
import { Issues, KongCognitoInputError, SECRET_VALUE } from "../components/validation";
import { issuesOf } from "./harness";

describe("Cognito rules", () => {
    describe("hosted-domain prefix", () => {
        for (const ok of ["kongidp", "a", "kong-idp-2", "a".repeat(63)]) {
            it(`accepts ${JSON.stringify(ok.length > 20 ? `${ok.length} chars` : ok)}`, () => {
                expect(issuesOf((i) => checkDomainPrefix(i, "domainPrefix", ok))).to.deep.equal([]);
            });
        }
        for (const bad of ["", "Kong", "-kong", "kong-", "kong_idp", "a".repeat(64)]) {
            it(`rejects ${JSON.stringify(bad.length > 20 ? `${bad.length} chars` : bad)} with the pattern rule`, () => {
                const [issue] = issuesOf((i) => checkDomainPrefix(i, "domainPrefix", bad));
                expect(issue.propertyPath).to.equal("domainPrefix");
                expect(issue.value).to.equal(bad);
                expect(issue.rule).to.contain("1-63 lowercase letters");
            });
        }
        for (const word of ["aws", "amazon", "cognito"]) {
            it(`rejects a prefix containing "${word}"`, () => {
                const [issue] = issuesOf((i) => checkDomainPrefix(i, "domainPrefix", `my-${word}-idp`));
                expect(issue.rule).to.equal(`must not contain "${word}" (AWS rejects such prefixes)`);
            });
        }
    });

    describe("callback URLs", () => {
        it("accepts HTTPS and http://localhost", () => {
            for (const url of ["https://kong.example.com/sampleroute", "http://localhost:8000/cb"]) {
                expect(
                    issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", url)),
                    url,
                ).to.deep.equal([]);
            }
        });
        it("rejects plain http to anything but localhost", () => {
            const [issue] = issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", "http://kong.example.com/cb"));
            expect(issue).to.deep.equal({
                propertyPath: "callbackUrls[0]",
                value: "http://kong.example.com/cb",
                rule: "must use https (http is allowed only for localhost)",
            });
        });
        it("rejects a fragment", () => {
            const [issue] = issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", "https://kong.example.com/cb#x"));
            expect(issue.rule).to.equal("must not contain a fragment (#...)");
        });
        it("rejects a relative URL", () => {
            const [issue] = issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", "/sampleroute"));
            expect(issue.rule).to.contain("absolute URL");
        });
        it("rejects a URL over 1024 characters", () => {
            const [issue] = issuesOf((i) => checkCallbackUrl(i, "callbackUrls[0]", `https://kong.example.com/${"a".repeat(1000)}`));
            expect(issue.rule).to.contain("1-1024 characters");
        });
    });

    describe("token validity", () => {
        it("accepts access tokens from 5 minutes to 1 day", () => {
            expect(issuesOf((i) => [5, 60, 1440].forEach((m) => checkShortTokenMinutes(i, "t", m)))).to.deep.equal([]);
        });
        it("rejects access tokens under 5 minutes or over 1 day", () => {
            const found = issuesOf((i) => [4, 1441, 7.5].forEach((m) => checkShortTokenMinutes(i, "t", m)));
            expect(found.map((f) => f.value)).to.deep.equal([4, 1441, 7.5]);
        });
        it("rejects refresh tokens over 10 years or under a day", () => {
            const found = issuesOf((i) => [0, 3651].forEach((d) => checkRefreshTokenDays(i, "r", d)));
            expect(found.map((f) => f.rule)).to.deep.equal([
                "must be a whole number of days from 1 to 3650 (Cognito allows at most 10 years)",
                "must be a whole number of days from 1 to 3650 (Cognito allows at most 10 years)",
            ]);
        });
    });

    describe("OAuth flows and scopes", () => {
        it("rejects client_credentials on the user client", () => {
            const [issue] = issuesOf((i) => checkUserOauthFlows(i, "webClient.oauthFlows", ["code", "client_credentials"]));
            expect(issue.propertyPath).to.equal("webClient.oauthFlows");
            expect(issue.rule).to.contain("client_credentials cannot share an app client with code or implicit");
        });
        it("rejects an unknown flow", () => {
            const [issue] = issuesOf((i) => checkUserOauthFlows(i, "f", ["password"]));
            expect(issue.value).to.equal("password");
        });
        it("requires openid with email or profile", () => {
            const [issue] = issuesOf((i) => checkUserOauthScopes(i, "s", ["email", "profile"], []));
            expect(issue.rule).to.equal("email, profile require the openid scope as well");
        });
        it("rejects a scope that is neither Cognito's nor declared", () => {
            const [issue] = issuesOf((i) => checkUserOauthScopes(i, "s", ["openid", "http://other/x"], ["http://kongresource/scope1"]));
            expect(issue.value).to.equal("http://other/x");
        });
        it("resolves machine scopes given by name or in full", () => {
            const full = resolveMachineScopes(new Issues("t"), "m", ["scope1", "http://kongresource/scope2"], "http://kongresource", [
                "scope1",
                "scope2",
            ]);
            expect(full).to.deep.equal(["http://kongresource/scope1", "http://kongresource/scope2"]);
        });
        for (const userScope of ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]) {
            it(`rejects ${userScope} on the client_credentials client`, () => {
                const [issue] = issuesOf((i) =>
                    resolveMachineScopes(i, "machineClient.scopes", [userScope], "http://kongresource", ["scope1"]),
                );
                expect(issue).to.deep.equal({
                    propertyPath: "machineClient.scopes",
                    value: userScope,
                    rule: "client_credentials can only ask for resource-server scopes, not Cognito's user scopes",
                });
            });
        }
        it("rejects a machine scope the resource server does not declare", () => {
            const [issue] = issuesOf((i) => resolveMachineScopes(i, "m", ["scope9"], "http://kongresource", ["scope1"]));
            expect(issue.rule).to.equal("is not a scope of resource server http://kongresource (declared: scope1)");
        });
    });
});

describe("Kong rules", () => {
    describe("openid-connect config", () => {
        const base = {
            issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x/.well-known/openid-configuration",
            clientId: "client-a",
            clientSecret: "s3cret",
            scopes: ["http://kongresource/scope1"],
            scopesRequired: ["http://kongresource/scope1"],
            audienceClaim: ["client_id"],
            sslVerify: true,
        };
        it("builds an API config: bearer and client_credentials only, Cognito's audience claim, TLS verified", () => {
            expect(openIdConnectConfig({ ...base, authMethods: ["bearer", "client_credentials"] })).to.deep.equal({
                issuer: base.issuer,
                client_id: ["client-a"],
                auth_methods: ["bearer", "client_credentials"],
                scopes: ["http://kongresource/scope1"],
                scopes_required: ["http://kongresource/scope1"],
                audience_claim: ["client_id"],
                audience_required: ["client-a"],
                ssl_verify: true,
                bearer_token_param_type: ["header"],
                client_credentials_param_type: ["header"],
            });
        });
        it("requires every scope: one space-separated entry, since separate entries are alternatives", () => {
            const config = openIdConnectConfig({ ...base, authMethods: ["bearer"], scopesRequired: ["api/read", "api/write"] });
            expect(config.scopes_required).to.deep.equal(["api/read api/write"]);
        });
        it("keeps the client secret for the methods where Kong authenticates as the client", () => {
            for (const method of ["authorization_code", "password", "refresh_token", "introspection"]) {
                expect(openIdConnectConfig({ ...base, authMethods: [method] }).client_secret, method).to.deep.equal(["s3cret"]);
            }
        });
        it("matches a route's path and what is under it, never a longer name (/oidcroute is not /oidcroutefoo)", () => {
            expect(prefixPaths("/oidcroute")).to.deep.equal(["/oidcroute/", "~/oidcroute$"]);
            expect(prefixPaths("/v1.0/orders")).to.deep.equal(["/v1.0/orders/", "~/v1\\.0/orders$"]);
            expect(prefixPaths("/")).to.deep.equal(["/"]);
        });
        describe("ssl_verify false, refused only where Kong's tls_certificate_verify is on", () => {
            /** The issues and the warning for ssl_verify false on this Kong. */
            const at = (version: string, setting: KongTlsCertificateVerify = "default") => {
                let warning: string | undefined;
                const issues = issuesOf((i) => {
                    const parsed = parseKongVersion(i, "kongVersion", version);
                    if (parsed) warning = checkSslVerify(i, "sslVerify", false, parsed, setting);
                });
                return { issues, warning };
            };
            it("is accepted silently by a Kong without the option (before 3.13)", () => {
                expect(at("3.10")).to.deep.equal({ issues: [], warning: undefined });
                expect(at("3.12.0.3")).to.deep.equal({ issues: [], warning: undefined });
            });
            it("is accepted with a warning by 3.13, whose default is off", () => {
                const { issues, warning } = at("3.13.0.1");
                expect(issues).to.deep.equal([]);
                expect(warning).to.equal(
                    "Kong 3.13 accepts ssl_verify: false only while its tls_certificate_verify option is off (Kong 3.13's default); " +
                        "a Kong that turns it on refuses this config, and until then the IdP's certificate is not verified",
                );
            });
            it("is refused on 3.14 and later by default, naming the option and how to say it is off", () => {
                const { issues, warning } = at("3.14");
                expect(warning).to.equal(undefined);
                expect(issues).to.deep.equal([
                    {
                        propertyPath: "sslVerify",
                        value: false,
                        rule:
                            "Kong refuses ssl_verify: false while its tls_certificate_verify option is on, Kong's default from 3.14 " +
                            "(kongVersion 3.14, kongTlsCertificateVerify default): the Admin API answers an error, KIC's config push " +
                            "fails, a DB-less Kong does not start. Verify the IdP's certificate, or, if your Kong runs with " +
                            "tls_certificate_verify = off, set kongTlsCertificateVerify: off",
                    },
                ]);
                expect(at("4.0").issues.map((i) => i.propertyPath)).to.deep.equal(["sslVerify"]);
            });
            it("is accepted, with the warning, by a 3.14 that runs with the option off", () => {
                const { issues, warning } = at("3.14", "off");
                expect(issues).to.deep.equal([]);
                expect(warning).to.match(/^Kong 3\.14 accepts ssl_verify: false only while .* \(kongTlsCertificateVerify: off\)/);
            });
            it("is refused by a 3.13 the stack says runs with the option on", () => {
                const [issue] = at("3.13", "on").issues;
                expect(issue.rule).to.match(
                    /^Kong refuses ssl_verify: false while its tls_certificate_verify option is on, as kongTlsCertificateVerify says:/,
                );
            });
            it("takes on and off only for a Kong that has the option", () => {
                const check = (version: string, setting: string) =>
                    issuesOf((i) => checkTlsCertificateVerify(i, "kongTlsCertificateVerify", setting, parseKongVersion(i, "v", version)!));
                expect(check("3.13", "on")).to.deep.equal([]);
                expect(check("3.10", "default")).to.deep.equal([]);
                expect(check("3.10", "off")[0].rule).to.equal(
                    "Kong 3.10 has no tls_certificate_verify option (Kong 3.13 added it): leave it at default, or set kongVersion to the Kong you run",
                );
                expect(check("3.14", "yes")[0].rule).to.equal("must be one of on, off, default");
            });
            it("says nothing about ssl_verify true", () => {
                expect(issuesOf((i) => checkSslVerify(i, "sslVerify", true, { major: 3, minor: 14 }, "on"))).to.deep.equal([]);
            });
            it("still refuses a Kong older than 3.4", () => {
                expect(at("3.2").issues[0].rule).to.equal(
                    'must be 3.4 or later (an unquoted 3.20 in a stack file is the YAML number 3.2: quote it, "3.20")',
                );
            });
        });
        it("says to quote a version YAML read as a number (3.10 is 3.1), and only where that could be the reason", () => {
            const rule = (version: string) => issuesOf((i) => parseKongVersion(i, "kongVersion", version)).map((i) => i.rule);
            expect(rule("3.1")).to.deep.equal([
                'must be 3.4 or later (an unquoted 3.10 in a stack file is the YAML number 3.1: quote it, "3.10")',
            ]);
            expect(rule("3.0")).to.deep.equal(["must be 3.4 or later"]);
            expect(rule("2.8")).to.deep.equal(["must be 3.4 or later"]);
            expect(rule("3.3.1")).to.deep.equal(["must be 3.4 or later"]);
        });
        it("adds the redirect URI for a browser route and no scope requirement when none is given", () => {
            const config = openIdConnectConfig({
                ...base,
                scopesRequired: [],
                authMethods: ["authorization_code", "session"],
                redirectUri: "https://kong.example.com/sampleroute",
            });
            expect(config.redirect_uri).to.deep.equal(["https://kong.example.com/sampleroute"]);
            expect(config).to.not.have.property("scopes_required");
        });
        it("rejects an unknown auth method and names the nine known ones", () => {
            const [issue] = issuesOf((i) => checkAuthMethods(i, "authMethods", ["bearer", "jwt"]));
            expect(issue.value).to.equal("jwt");
            expect(issue.rule).to.contain(
                "password, client_credentials, authorization_code, bearer, introspection, userinfo, kong_oauth2, refresh_token, session",
            );
        });
    });

    describe("proxy-cache", () => {
        const settings = {
            ttlSeconds: 30,
            contentTypes: ["text/html; charset=utf-8"],
            responseCodes: [200],
            requestMethods: ["GET"],
            varyHeaders: [],
            authenticated: true,
            consumerMapping: false,
            dictionaryName: "kong_cognito_cache",
        };
        it("varies the key by Authorization on an authenticated route without consumer mapping", () => {
            expect(cacheVaryHeaders(settings)).to.deep.equal(["authorization"]);
        });
        it("keys on the consumer instead when consumers are mapped", () => {
            expect(cacheVaryHeaders({ ...settings, consumerMapping: true })).to.deep.equal([]);
        });
        it("leaves a public route's key alone", () => {
            expect(cacheVaryHeaders({ ...settings, authenticated: false, varyHeaders: ["Accept"] })).to.deep.equal(["accept"]);
        });
        it("does not list Authorization twice", () => {
            expect(cacheVaryHeaders({ ...settings, varyHeaders: ["Authorization"] })).to.deep.equal(["authorization"]);
        });
        it("builds the memory-strategy config", () => {
            expect(proxyCacheConfig(settings)).to.deep.equal({
                strategy: "memory",
                cache_ttl: 30,
                content_type: ["text/html; charset=utf-8"],
                response_code: [200],
                request_method: ["GET"],
                vary_headers: ["authorization"],
                cache_control: false,
                memory: { dictionary_name: "kong_cognito_cache" },
            });
        });
        it("caches by default what upstreams send, charset included (proxy-cache matches Content-Type exactly)", () => {
            expect(PROXY_CACHE_DEFAULTS.contentTypes).to.include.members([
                "application/json",
                "application/json; charset=utf-8",
                "text/plain; charset=utf-8",
                "text/html; charset=utf-8",
            ]);
            expect(PROXY_CACHE_DEFAULTS.ttlSeconds).to.equal(300);
        });
        for (const ttl of [0, -30, 1.5]) {
            it(`rejects a TTL of ${ttl}`, () => {
                const [issue] = issuesOf((i) => checkProxyCacheSettings(i, "cache", { ...settings, ttlSeconds: ttl }));
                expect(issue).to.deep.equal({
                    propertyPath: "cache.ttlSeconds",
                    value: ttl,
                    rule: "must be a positive whole number of seconds",
                });
            });
        }
        describe("content_type, matched as Kong's handler.lua matches it", () => {
            const cases: [entry: string, contentType: string, matches: boolean][] = [
                ["application/json", "application/json", true],
                ["application/json", "Application/JSON", true],
                ["application/json", "application/json; charset=utf-8", false],
                ["application/json; charset=utf-8", "application/json; charset=utf-8", true],
                ["application/json; charset=utf-8", "application/json;charset=utf-8", true],
                ["application/json; charset=utf-8", "application/json; Charset=utf-8", true],
                ["application/json; charset=utf-8", "application/json; charset=UTF-8", false],
                ["application/json; charset=utf-8", 'application/json; charset="utf-8"', true],
                ["application/json; charset=utf-8", "application/json", false],
                ["text/html; charset=utf-8", "text/html; charset=utf-8; boundary=x", false],
                ["text/*", "text/plain", true],
                ["text/*", "text/plain; charset=utf-8", false],
                ["text/*; charset=utf-8", "text/html; charset=utf-8", true],
                ["*/*", "image/png", true],
                ["*", "image/png", true],
                ["*/json", "application/json", true],
                ["*/*", "application/json; charset=utf-8", false],
                ["application/json", "", false],
            ];
            for (const [entry, contentType, matches] of cases) {
                it(`${JSON.stringify(entry)} ${matches ? "caches" : "does not cache"} ${JSON.stringify(contentType)}`, () => {
                    expect(contentTypeMatches(entry, contentType)).to.equal(matches);
                });
            }
            it("reads type and parameter names in lower case and keeps parameter values as sent", () => {
                expect(parseMediaType("Text/HTML; Charset=UTF-8")).to.deep.equal({
                    type: "text",
                    subtype: "html",
                    parameters: { charset: "UTF-8" },
                });
            });
            it("accepts Kong's wildcards, which the rule refused before", () => {
                const entries = ["*/*", "*", "text/*", "*/json", "application/vnd.api+json", 'text/plain; charset="utf-8"'];
                expect(issuesOf((i) => checkProxyCacheSettings(i, "cache", { ...settings, contentTypes: entries }))).to.deep.equal([]);
            });
            for (const unreadable of [
                "application/json ",
                " application/json",
                "application / json",
                "text/html; charset = utf-8",
                "html",
                "text/",
            ]) {
                it(`refuses ${JSON.stringify(unreadable)}: Kong's parser cannot read it, so it never matches`, () => {
                    const [issue] = issuesOf((i) => checkProxyCacheSettings(i, "cache", { ...settings, contentTypes: [unreadable] }));
                    expect(issue.propertyPath).to.equal("cache.contentTypes");
                    expect(issue.value).to.equal(unreadable);
                    expect(issue.rule).to.match(/^is not a media type Kong can read, so it would never match/);
                });
            }
            it("matches what the default list is meant to cache, and says what it does not", () => {
                const cached = (contentType: string) =>
                    PROXY_CACHE_DEFAULTS.contentTypes.some((entry) => contentTypeMatches(entry, contentType));
                expect(cached("application/json; charset=utf-8")).to.equal(true);
                expect(cached("text/html; charset=utf-8")).to.equal(true);
                expect(cached("application/json; charset=UTF-8")).to.equal(false);
                expect(cached("text/html")).to.equal(false);
            });
        });
        it("rejects a method proxy-cache cannot cache", () => {
            const [issue] = issuesOf((i) => checkProxyCacheSettings(i, "cache", { ...settings, requestMethods: ["DELETE"] }));
            expect(issue.rule).to.equal("must be one of HEAD, GET, POST, PATCH, PUT");
        });
    });

    describe("upstream URL", () => {
        const cases: [string, object][] = [
            ["http://httpbin.org", { protocol: "http", host: "httpbin.org", port: 80, path: undefined }],
            ["https://httpbin.org", { protocol: "https", host: "httpbin.org", port: 443, path: undefined }],
            ["http://httpbin.org:8080/anything", { protocol: "http", host: "httpbin.org", port: 8080, path: "/anything" }],
            ["https://api.internal:8443/v1/", { protocol: "https", host: "api.internal", port: 8443, path: "/v1/" }],
        ];
        for (const [url, expected] of cases) {
            it(`splits ${url}`, () => {
                expect(parseUpstreamUrl(new Issues("t"), "upstreamUrl", url)).to.deep.equal(expected);
            });
        }
        for (const [url, rule] of [
            ["httpbin.org", "must be an absolute URL such as http://httpbin.org"],
            ["ftp://httpbin.org", "must use http or https"],
            ["http://httpbin.org/?a=1", "must not contain a query or a fragment"],
            ["http://user:pw@httpbin.org", "must not contain credentials"],
        ]) {
            it(`rejects ${url}`, () => {
                const [issue] = issuesOf((i) => parseUpstreamUrl(i, "upstreamUrl", url));
                expect(issue).to.deep.equal({ propertyPath: "upstreamUrl", value: url, rule });
            });
        }
    });

    describe("route path", () => {
        it("accepts /oidcroute and /", () => {
            expect(issuesOf((i) => ["/oidcroute", "/", "/a/b-c"].forEach((p) => checkRoutePath(i, "path", p)))).to.deep.equal([]);
        });
        for (const [bad, rule] of [
            ["", 'must not be empty; use "/" for the whole host'],
            ["oidcroute", 'must start with "/" and hold only URL path characters'],
            ["/with space", 'must start with "/" and hold only URL path characters'],
            ["/oidcroute/", 'must not end with "/" (Prefix matching already covers sub-paths)'],
        ]) {
            it(`rejects ${JSON.stringify(bad)}`, () => {
                const [issue] = issuesOf((i) => checkRoutePath(i, "path", bad));
                expect(issue).to.deep.equal({ propertyPath: "path", value: bad, rule });
            });
        }
    });

    describe("the error message", () => {
        it("names the subject, the property, the value and the rule on one line each", () => {
            const error = new KongCognitoInputError('CognitoIdp "kongpool"', [
                { propertyPath: "domainPrefix", value: "my-aws", rule: 'must not contain "aws" (AWS rejects such prefixes)' },
            ]);
            expect(error.message).to.equal(
                'CognitoIdp "kongpool": invalid input\n  - domainPrefix = "my-aws": must not contain "aws" (AWS rejects such prefixes)',
            );
        });
        it("never prints a secret: encrypted values are named, credentials inside URLs masked", () => {
            const error = new KongCognitoInputError("stack", [
                { propertyPath: "kong-cognito:redis.password", value: SECRET_VALUE, rule: "r" },
                { propertyPath: "upstreamUrl", value: "https://svc:p4ssw0rd@api.example.com/v1", rule: "must not contain credentials" },
            ]);
            expect(error.message).to.equal(
                "stack: invalid input\n  - kong-cognito:redis.password = (secret, not shown): r\n" +
                    '  - upstreamUrl = "https://***@api.example.com/v1": must not contain credentials',
            );
        });
    });
});
