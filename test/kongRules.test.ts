// Kong's rules as pure functions, each edge on both sides: what Kong accepts passes, what it refuses
// names the property path, the value and the rule.
import { expect } from "chai";
import {
    cacheSeparatesUsers,
    checkAdminApiUrl,
    checkAuthMethods,
    checkDictionaryName,
    checkLogoutMethods,
    checkProxyCacheSettings,
    checkRoutePath,
    checkRouteProtocols,
    checkSessionRedis,
    contentTypeMatches,
    enforcesTlsVerification,
    needsClientSecret,
    parseKongVersion,
    parseMediaType,
    ProxyCacheSettings,
    RedisArgs,
    RedisSettings,
    resolveRedis,
} from "../components/kong/model/rules";
import { issuesOf } from "./harness";

describe("Kong rules, edge by edge", () => {
    describe("auth and logout methods", () => {
        it("needs the plugin's client secret when any one method authenticates as the client", () => {
            expect(needsClientSecret(["bearer", "authorization_code"])).to.equal(true);
            expect(needsClientSecret(["session", "refresh_token"])).to.equal(true);
            expect(needsClientSecret(["bearer", "client_credentials", "session"])).to.equal(false);
            expect(needsClientSecret([])).to.equal(false);
        });

        it("refuses an empty auth_methods list", () => {
            expect(issuesOf((i) => checkAuthMethods(i, "authMethods", []))).to.deep.equal([
                { propertyPath: "authMethods", value: [], rule: "must name at least one auth method" },
            ]);
        });

        it("takes POST, DELETE and GET as logout methods", () => {
            expect(issuesOf((i) => checkLogoutMethods(i, "logoutMethods", ["POST", "DELETE", "GET"]))).to.deep.equal([]);
        });

        it("refuses no logout method, an unknown one and one named twice, each with its path", () => {
            expect(issuesOf((i) => checkLogoutMethods(i, "logoutMethods", []))).to.deep.equal([
                { propertyPath: "logoutMethods", value: [], rule: "must name at least one method (POST, DELETE, GET)" },
            ]);
            expect(issuesOf((i) => checkLogoutMethods(i, "logoutMethods", ["POST", "PUT", "POST"]))).to.deep.equal([
                {
                    propertyPath: "logoutMethods",
                    value: "PUT",
                    rule: "is not a method openid-connect signs out with (one of POST, DELETE, GET)",
                },
                { propertyPath: "logoutMethods", value: ["POST", "PUT", "POST"], rule: "must not name a method twice" },
            ]);
        });
    });

    describe("Redis", () => {
        const resolved = (args: RedisArgs) => {
            let settings: RedisSettings | undefined;
            const issues = issuesOf((i) => {
                settings = resolveRedis(i, "redis", args);
            });
            return { settings, issues };
        };

        it("defaults to port 6379, no TLS, no user and database 0", () => {
            expect(resolved({ host: "redis.kong.svc.cluster.local" })).to.deep.equal({
                settings: { host: "redis.kong.svc.cluster.local", port: 6379, tls: false, username: undefined, database: 0 },
                issues: [],
            });
        });

        it("keeps what is given", () => {
            expect(resolved({ host: "10.0.0.7", port: 6380, tls: true, username: "kong", database: 3 }).settings).to.deep.equal({
                host: "10.0.0.7",
                port: 6380,
                tls: true,
                username: "kong",
                database: 3,
            });
        });

        const label63 = "a".repeat(63);
        const host253 = [label63, label63, label63, "a".repeat(61)].join(".");
        for (const host of ["r", "redis", "redis.a", "r.kong", "redis-0.redis.kong.svc.cluster.local", "10.0.0.7", host253]) {
            it(`accepts the host ${host.length > 40 ? `of ${host.length} characters` : host}`, () => {
                expect(resolved({ host }).issues).to.deep.equal([]);
            });
        }
        for (const host of ["", "-redis", "redis-", "redis_0", "redis.", "redis..kong", "a".repeat(64), `${host253}a`]) {
            it(`refuses the host ${JSON.stringify(host.length > 40 ? `${host.length} characters` : host)}`, () => {
                expect(resolved({ host }).issues).to.deep.equal([
                    {
                        propertyPath: "redis.host",
                        value: host,
                        rule: "must be a host name or IPv4 address such as redis.kong.svc.cluster.local",
                    },
                ]);
            });
        }
        it("refuses a host that is not a string (a YAML number, or none)", () => {
            for (const host of [6379, undefined]) {
                expect(resolved({ host } as unknown as RedisArgs).issues.map((i) => i.propertyPath)).to.deep.equal(["redis.host"]);
            }
        });

        it("takes ports 1 to 65535 and no other", () => {
            for (const port of [1, 65535]) {
                expect(resolved({ host: "redis", port }).issues, String(port)).to.deep.equal([]);
            }
            for (const port of [0, 65536, 63.5]) {
                expect(resolved({ host: "redis", port }).issues, String(port)).to.deep.equal([
                    { propertyPath: "redis.port", value: port, rule: "must be a port number from 1 to 65535" },
                ]);
            }
        });

        it("takes database 0 and up, whole numbers only", () => {
            expect(resolved({ host: "redis", database: 0 }).issues).to.deep.equal([]);
            for (const database of [-1, 1.5]) {
                expect(resolved({ host: "redis", database }).issues, String(database)).to.deep.equal([
                    { propertyPath: "redis.database", value: database, rule: "must be a Redis database number (0 or more)" },
                ]);
            }
        });
    });

    describe("sessions in Redis by Kong version", () => {
        const redis = (database: number): RedisSettings => ({ host: "redis", port: 6379, tls: false, database });
        const at = (version: string, database: number) => {
            let warning: string | undefined;
            const issues = issuesOf((i) => {
                warning = checkSessionRedis(i, "redis", redis(database), parseKongVersion(i, "kongVersion", version)!);
            });
            return { issues, warning };
        };

        it("refuses 3.7, whose openid-connect has no redis record, and takes 3.8", () => {
            const { issues } = at("3.7", 0);
            expect(issues.map((i) => [i.propertyPath, i.value])).to.deep.equal([["redis", "redis"]]);
            expect(issues[0].rule).to.match(/^browser sessions in Redis need Kong 3\.8 or later: .*\(Kong 3\.7 has only the flat/);
            expect(at("3.8", 0)).to.deep.equal({ issues: [], warning: undefined });
        });

        it("warns on 3.8 that a database other than 0 is ignored, and not from 3.9", () => {
            expect(at("3.8", 2)).to.deep.equal({
                issues: [],
                warning:
                    "Kong 3.8's openid-connect ignores redis.database 2 and keeps sessions in database 0 (fixed in 3.9.0.0): " +
                    "keep nothing else there, or run 3.9 or later",
            });
            expect(at("3.9", 2)).to.deep.equal({ issues: [], warning: undefined });
            expect(at("4.0", 2)).to.deep.equal({ issues: [], warning: undefined });
        });
    });

    describe("Kong versions", () => {
        it("enforces TLS verification from 3.14 by default, on 3.13 only when said, and knows no option before 3.13", () => {
            const v = (major: number, minor: number) => ({ major, minor });
            expect(enforcesTlsVerification(v(3, 12), "on")).to.equal(undefined);
            expect(enforcesTlsVerification(v(3, 13), "default")).to.equal(false);
            expect(enforcesTlsVerification(v(3, 13), "on")).to.equal(true);
            expect(enforcesTlsVerification(v(3, 14), "default")).to.equal(true);
            expect(enforcesTlsVerification(v(3, 14), "off")).to.equal(false);
            expect(enforcesTlsVerification(v(4, 0), "default")).to.equal(true);
        });

        it("parses 3.4 (the oldest it targets) and Enterprise patch releases, and refuses 3.3.0", () => {
            const parse = (version: string) => {
                let parsed: unknown;
                const issues = issuesOf((i) => {
                    parsed = parseKongVersion(i, "kongVersion", version);
                });
                return { parsed, issues };
            };
            expect(parse("3.4")).to.deep.equal({ parsed: { major: 3, minor: 4 }, issues: [] });
            expect(parse("3.10.0.2")).to.deep.equal({ parsed: { major: 3, minor: 10 }, issues: [] });
            expect(parse("3.10.0.12")).to.deep.equal({ parsed: { major: 3, minor: 10 }, issues: [] });
            expect(parse("10.0")).to.deep.equal({ parsed: { major: 10, minor: 0 }, issues: [] });
            expect(parse("3.3.0").issues.map((i) => i.rule)).to.deep.equal(["must be 3.4 or later"]);
            for (const bad of ["3", "v3.14", "3.14.0.1.2", "3.14-ee"]) {
                expect(parse(bad), bad).to.deep.equal({
                    parsed: undefined,
                    issues: [
                        { propertyPath: "kongVersion", value: bad, rule: 'must be a Kong Gateway version such as "3.14" or "3.10.0.2"' },
                    ],
                });
            }
        });
    });

    describe("proxy-cache settings", () => {
        const settings: ProxyCacheSettings = {
            ttlSeconds: 30,
            contentTypes: ["application/json"],
            responseCodes: [200],
            requestMethods: ["GET"],
            varyHeaders: [],
            authenticated: true,
            consumerMapping: false,
            dictionaryName: "kong_db_cache",
        };
        const check = (prefix: string, changes: Partial<ProxyCacheSettings>) =>
            issuesOf((i) => checkProxyCacheSettings(i, prefix, { ...settings, ...changes }));

        it("names bare property paths without a prefix (a KongProxyCache's own args)", () => {
            expect(check("", { ttlSeconds: 0 }).map((i) => i.propertyPath)).to.deep.equal(["ttlSeconds"]);
        });

        it("takes a TTL of 1 second", () => {
            expect(check("cache", { ttlSeconds: 1 })).to.deep.equal([]);
        });

        it("refuses an empty content type list", () => {
            expect(check("cache", { contentTypes: [] })).to.deep.equal([
                {
                    propertyPath: "cache.contentTypes",
                    value: [],
                    rule: "must name at least one content type: a cache without one stores nothing",
                },
            ]);
        });

        it("says how a media type Kong can read is written", () => {
            expect(check("cache", { contentTypes: ["json"] })).to.deep.equal([
                {
                    propertyPath: "cache.contentTypes",
                    value: "json",
                    rule:
                        'is not a media type Kong can read, so it would never match: "type/subtype" or "*", then "; name=value" ' +
                        'parameters, with no spaces around "/" and "=" nor at either end, e.g. "text/html; charset=utf-8"',
                },
            ]);
        });

        it("takes response codes 100 to 900 (Kong's bounds) and refuses 99, 901 and fractions", () => {
            expect(check("cache", { responseCodes: [100, 200, 900] })).to.deep.equal([]);
            expect(check("cache", { responseCodes: [99, 901, 200.5] })).to.deep.equal(
                [99, 901, 200.5].map((code) => ({
                    propertyPath: "cache.responseCodes",
                    value: code,
                    rule: "must be an HTTP status code from 100 to 900",
                })),
            );
        });

        it("names the request method's path", () => {
            expect(check("cache", { requestMethods: ["GET", "OPTIONS"] })).to.deep.equal([
                { propertyPath: "cache.requestMethods", value: "OPTIONS", rule: "must be one of HEAD, GET, POST, PATCH, PUT" },
            ]);
        });

        it("takes header names as vary headers and refuses anything else", () => {
            expect(check("cache", { varyHeaders: ["Accept-Language", "X", "x-api-key"] })).to.deep.equal([]);
            for (const header of ["", "Accept Language", " Accept", "Accept:", "X-Ü"]) {
                expect(check("cache", { varyHeaders: [header] }), header).to.deep.equal([
                    { propertyPath: "cache.varyHeaders", value: header, rule: "is not an HTTP header name" },
                ]);
            }
        });

        it("takes nginx shared dict names of 1 to 64 letters, digits and underscores", () => {
            for (const name of ["k", "kong_db_cache", "a".repeat(64)]) {
                expect(
                    issuesOf((i) => checkDictionaryName(i, "dictionaryName", name)),
                    name,
                ).to.deep.equal([]);
            }
            for (const name of ["", "kong-cache", "a".repeat(65)]) {
                expect(
                    issuesOf((i) => checkDictionaryName(i, "dictionaryName", name)),
                    name,
                ).to.deep.equal([
                    {
                        propertyPath: "dictionaryName",
                        value: name,
                        rule: "must be an nginx shared dict name: letters, digits and underscores",
                    },
                ]);
            }
        });
    });

    describe("media types, parsed and matched as Kong does", () => {
        it("reads a lone * as any type, with parameters after it", () => {
            expect(parseMediaType("*")).to.deep.equal({ type: "*", subtype: "*", parameters: {} });
            expect(parseMediaType("*; q=1")).to.deep.equal({ type: "*", subtype: "*", parameters: { q: "1" } });
        });

        it("refuses a word without a subtype, whatever its length", () => {
            expect(parseMediaType("x")).to.equal(undefined);
            expect(parseMediaType("json")).to.equal(undefined);
            expect(parseMediaType("")).to.equal(undefined);
        });

        it("compares the type and the subtype", () => {
            expect(contentTypeMatches("text/plain", "image/plain")).to.equal(false);
            expect(contentTypeMatches("text/plain", "text/html")).to.equal(false);
        });

        it("lets only */* match a Content-Type Kong cannot parse", () => {
            expect(contentTypeMatches("*/*", "not a media type")).to.equal(true);
            expect(contentTypeMatches("text/*", "not a media type")).to.equal(false);
            expect(contentTypeMatches("*/json", "not a media type")).to.equal(false);
        });

        it("matches nothing for an entry Kong cannot parse or an empty Content-Type", () => {
            expect(contentTypeMatches("json", "json")).to.equal(false);
            expect(contentTypeMatches("*/*", "")).to.equal(false);
        });
    });

    describe("routes and the Admin API", () => {
        it("refuses a route path that does not start with /, even with a / inside", () => {
            expect(issuesOf((i) => checkRoutePath(i, "path", "oidc/route"))).to.deep.equal([
                { propertyPath: "path", value: "oidc/route", rule: 'must start with "/" and hold only URL path characters' },
            ]);
        });

        it("takes http and https as route protocols, and refuses none or any other", () => {
            for (const protocols of [["http"], ["https"], ["http", "https"]]) {
                expect(issuesOf((i) => checkRouteProtocols(i, "protocols", protocols))).to.deep.equal([]);
            }
            for (const protocols of [[], ["grpc"], ["https", "tcp"]]) {
                expect(issuesOf((i) => checkRouteProtocols(i, "protocols", protocols))).to.deep.equal([
                    { propertyPath: "protocols", value: protocols, rule: 'must be "http" and/or "https"' },
                ]);
            }
        });

        it("takes an Admin API URL with a path (Kong behind a prefix) but not plain http off this machine", () => {
            expect(issuesOf((i) => checkAdminApiUrl(i, "kong:kongAdminUri", "https://kong-admin.example.com/admin"))).to.deep.equal([]);
            expect(issuesOf((i) => checkAdminApiUrl(i, "kong:kongAdminUri", "http://localhost:8001"))).to.deep.equal([]);
            expect(issuesOf((i) => checkAdminApiUrl(i, "kong:kongAdminUri", "http://kong-admin:8001"))).to.deep.equal([
                {
                    propertyPath: "kong:kongAdminUri",
                    value: "http://kong-admin:8001",
                    rule: "must use https (http is allowed only for localhost)",
                },
            ]);
        });
    });

    describe("a cache behind auth plugins", () => {
        const openIdConnect = (config: object = {}) => ({ plugin: "openid-connect", config });

        it("keeps users apart by a consumer each: key-auth, basic-auth, hmac-auth, or openid-connect mapping consumers", () => {
            for (const plugin of ["key-auth", "basic-auth", "hmac-auth"]) {
                expect(cacheSeparatesUsers({}, [openIdConnect(), { plugin, config: {} }]), plugin).to.equal(true);
            }
            expect(cacheSeparatesUsers({}, [openIdConnect({ consumer_claim: ["sub"] })])).to.equal(true);
            expect(cacheSeparatesUsers({}, [openIdConnect({ consumer_claims: ["sub"] })])).to.equal(true);
        });

        it("does not with jwt or oauth2, whose consumer stands for many users, nor openid-connect without mapping", () => {
            expect(cacheSeparatesUsers({}, [{ plugin: "jwt", config: {} }])).to.equal(false);
            expect(cacheSeparatesUsers({}, [{ plugin: "oauth2", config: {} }])).to.equal(false);
            expect(cacheSeparatesUsers({ vary_headers: ["accept"] }, [openIdConnect()])).to.equal(false);
            expect(cacheSeparatesUsers({}, [])).to.equal(false);
        });

        it("keeps users apart by the Authorization header in any case", () => {
            expect(cacheSeparatesUsers({ vary_headers: ["Accept", "Authorization"] }, [openIdConnect()])).to.equal(true);
            expect(cacheSeparatesUsers({ vary_headers: ["authorization"] }, [{ plugin: "jwt", config: {} }])).to.equal(true);
        });
    });
});
