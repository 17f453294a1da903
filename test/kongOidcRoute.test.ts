// KongOidcRoute and KongProxyCache on the Kong Ingress Controller: every child with its exact
// inputs, the client secret only inside a Secret, the fail-closed order and the cache key rule.
import { expect } from "chai";
import { PROXY_CACHE_DEFAULTS } from "../components/kong/model/rules";
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { CognitoIdp, KongOidcRoute, KongOidcRouteArgs } from "../components";
import { valueOf } from "../testing";
import { KongProxyCache } from "../components";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import {
    childrenOf,
    itRejectsEach,
    RejectionCase,
    plainInputs,
    record,
    recordFailure,
    resolve,
    the,
    TYPES,
    seedApiRoute,
    TEST_CLIENT_SECRET,
    TEST_DISCOVERY_URL,
} from "./harness";
import { allSchemaErrors } from "./schemas";

const DISCOVERY = TEST_DISCOVERY_URL;
const CLIENT_SECRET = TEST_CLIENT_SECRET;

const apiRoute = seedApiRoute({ namespace: "kong" });

const browserRoute: KongOidcRouteArgs = {
    namespace: "kong",
    publicBaseUrl: "https://kong.example.com",
    path: "/sampleroute",
    mode: "browser",
    upstreamService: { name: "sample-app", port: 80 },
    oidc: {
        issuer: DISCOVERY,
        clientId: "web-client-id",
        clientSecret: pulumi.secret("web-secret"),
        scopes: ["openid", "email", "profile"],
        logoutEndpoint: "https://login.example.com/logout",
        revocationEndpoint: "https://login.example.com/oauth2/revoke",
    },
    cache: { ttlSeconds: 30, contentTypes: ["text/html; charset=utf-8"] },
};

/** What `build` registers and what it logs as warnings (Pulumi's log writes to the console under mocks). */
async function withWarnings<T>(build: () => T): Promise<{ registrations: Registration[]; warnings: string[] }> {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: unknown) => void warnings.push(String(message));
    try {
        const { registrations } = await record(build);
        return { registrations, warnings };
    } finally {
        console.warn = warn;
    }
}

function oidcConfigOf(registrations: readonly Registration[], route: string): Record<string, unknown> {
    return JSON.parse(plainInputs(the(registrations, TYPES.secret, `${route}-oidc-config`)).stringData.config);
}

describe("KongOidcRoute (Kong Ingress Controller)", () => {
    describe("an api route to an external upstream (the seed's oidcroute)", () => {
        let registrations: Registration[];
        let route: KongOidcRoute;
        before(async () => {
            ({ result: route, registrations } = await record(() => new KongOidcRoute("oidcroute", apiRoute)));
        });

        it("registers the component and its four children", () => {
            expect(childrenOf(registrations, TYPES.route, "oidcroute")).to.deep.equal(
                [
                    `${TYPES.ingress} oidcroute-ingress`,
                    `${TYPES.kongPlugin} oidcroute-oidc`,
                    `${TYPES.secret} oidcroute-oidc-config`,
                    `${TYPES.service} oidcroute-upstream`,
                ].sort(),
            );
            expect(registrations).to.have.lengthOf(5);
        });

        it("reaches httpbin.org through an ExternalName Service", () => {
            const service = plainInputs(the(registrations, TYPES.service, "oidcroute-upstream"));
            expect(service.metadata).to.deep.include({
                name: "oidcroute-upstream",
                namespace: "kong",
                annotations: { "konghq.com/protocol": "http" },
            });
            expect(service.spec).to.deep.equal({
                type: "ExternalName",
                externalName: "httpbin.org",
                ports: [{ name: "http", port: 80, protocol: "TCP" }],
            });
        });

        it("keeps the whole plugin config in a Kubernetes Secret labelled for KIC's validation and Kong Operator", () => {
            const secret = the(registrations, TYPES.secret, "oidcroute-oidc-config");
            expect(isSecretValue(secret.inputs.stringData)).to.equal(true);
            expect(plainInputs(secret).metadata.labels).to.deep.include({ "konghq.com/validate": "plugin", "konghq.com/secret": "true" });
        });

        it("configures bearer and client_credentials without the client secret they never use, all scopes required", () => {
            expect(oidcConfigOf(registrations, "oidcroute")).to.deep.equal({
                issuer: DISCOVERY,
                client_id: ["machine-client-id"],
                auth_methods: ["bearer", "client_credentials"],
                scopes: ["http://kongresource/scope1"],
                scopes_required: ["http://kongresource/scope1"],
                audience_claim: ["client_id"],
                audience_required: ["machine-client-id"],
                ssl_verify: true,
                bearer_token_param_type: ["header"],
                client_credentials_param_type: ["header"],
            });
        });

        it("points the KongPlugin at the Secret and never carries the secret itself", () => {
            const plugin = the(registrations, TYPES.kongPlugin, "oidcroute-oidc");
            expect(plainInputs(plugin)).to.deep.equal({
                apiVersion: "configuration.konghq.com/v1",
                kind: "KongPlugin",
                metadata: {
                    name: "oidcroute-oidc",
                    namespace: "kong",
                    labels: {
                        "app.kubernetes.io/managed-by": "pulumi",
                        "app.kubernetes.io/part-of": "kong-cognito",
                        "kong-cognito/route": "oidcroute",
                    },
                },
                plugin: "openid-connect",
                configFrom: { secretKeyRef: { name: "oidcroute-oidc-config", key: "config" } },
            });
            expect(JSON.stringify(plugin.inputs)).to.not.contain(CLIENT_SECRET);
        });

        it("routes /oidcroute with class kong, strip-path and the upstream's own Host", () => {
            const ingress = plainInputs(the(registrations, TYPES.ingress, "oidcroute-ingress"));
            expect(ingress.metadata.name).to.equal("oidcroute");
            expect(ingress.metadata.annotations).to.deep.equal({
                "konghq.com/plugins": "oidcroute-oidc",
                "konghq.com/strip-path": "true",
                "konghq.com/preserve-host": "false",
            });
            expect(ingress.spec).to.deep.equal({
                ingressClassName: "kong",
                rules: [
                    {
                        http: {
                            paths: [
                                {
                                    path: "/oidcroute",
                                    pathType: "Prefix",
                                    backend: { service: { name: "oidcroute-upstream", port: { number: 80 } } },
                                },
                            ],
                        },
                    },
                ],
            });
        });

        it("fails closed: the Ingress waits for the plugin and its Secret", () => {
            const ingress = the(registrations, TYPES.ingress, "oidcroute-ingress");
            const plugin = the(registrations, TYPES.kongPlugin, "oidcroute-oidc");
            const secret = the(registrations, TYPES.secret, "oidcroute-oidc-config");
            expect(ingress.dependencies).to.include.members([plugin.urn, secret.urn]);
            expect(ingress.explicitDependencies).to.include(secret.urn);
            expect(plugin.dependencies).to.include(secret.urn);
        });

        it("registers only objects the upstream schemas accept", async () => {
            expect(await allSchemaErrors(registrations)).to.deep.equal([]);
        });

        it("outputs the public URL, the Ingress name and the plugin names", async () => {
            expect(await resolve(route.url)).to.equal("https://kong.example.com/oidcroute");
            expect(await resolve(route.routeName)).to.equal("oidcroute");
            expect(await resolve(route.pluginNames)).to.deep.equal(["oidcroute-oidc"]);
        });
    });

    describe("a browser route to an in-cluster Service with a cache (the seed's sampleroute)", () => {
        let registrations: Registration[];
        before(async () => {
            ({ registrations } = await record(() => new KongOidcRoute("sampleroute", browserRoute)));
        });

        it("signs users in with the authorization code and a session, coming back to the route", () => {
            const config = oidcConfigOf(registrations, "sampleroute");
            expect(config.auth_methods).to.deep.equal(["authorization_code", "session"]);
            expect(config.redirect_uri).to.deep.equal(["https://kong.example.com/sampleroute"]);
            expect(config.scopes).to.deep.equal(["openid", "email", "profile"]);
            expect(config).to.not.have.property("scopes_required");
        });

        it("makes the proxycache KongPlugin with the TTL, text/html, and a key that varies by Authorization", () => {
            const plugin = plainInputs(the(registrations, TYPES.kongPlugin, "sampleroute-cache-plugin"));
            expect(plugin.metadata.name).to.equal("sampleroute-proxycache");
            expect(plugin.plugin).to.equal("proxy-cache");
            expect(plugin.config).to.deep.equal({
                strategy: "memory",
                memory: { dictionary_name: "kong_db_cache" },
                cache_ttl: 30,
                content_type: ["text/html; charset=utf-8"],
                response_code: [200, 301, 404],
                request_method: ["GET", "HEAD"],
                vary_headers: ["authorization"],
                cache_control: false,
            });
        });

        it("keeps sessions on every Kong node with one stable secret, over HTTPS only, and signs out through Cognito", async () => {
            const config = oidcConfigOf(registrations, "sampleroute");
            const secret = the(registrations, "random:index/randomBytes:RandomBytes", "sampleroute-session-secret");
            expect(secret.inputs.length).to.equal(32);
            expect(config.session_secret).to.be.a("string").with.length.greaterThan(40);
            expect(config).to.deep.include({
                session_cookie_secure: true,
                session_storage: "cookie",
                logout_uri_suffix: "/logout",
                // Kong's default: a form post or a script's DELETE signs out, not a link.
                logout_methods: ["POST", "DELETE"],
                logout_revoke: true,
                logout_revoke_access_token: false,
                logout_revoke_refresh_token: true,
                revocation_endpoint: "https://login.example.com/oauth2/revoke",
                client_secret: ["web-secret"],
            });
        });

        it("gives the route its own session and authorization cookies, on its own path: other routes on the host keep theirs", () => {
            const config = oidcConfigOf(registrations, "sampleroute");
            // The plugin's defaults, `session` and `authorization` on `/`, are shared by every route on a host.
            expect(config).to.deep.include({
                session_cookie_name: "sampleroute-session",
                session_cookie_path: "/sampleroute",
                authorization_cookie_name: "sampleroute-authorization",
                authorization_cookie_path: "/sampleroute",
            });
        });

        it("sends the logout to Cognito's /logout with client_id and logout_uri, not to the discovery document's endpoint", () => {
            const config = oidcConfigOf(registrations, "sampleroute");
            // openid-connect goes to end_session_endpoint (this one overrides discovery's) and sends
            // logout_redirect_uri only as post_logout_redirect_uri, which Cognito's /logout does not take.
            expect(config.end_session_endpoint).to.equal(
                "https://login.example.com/logout?client_id=web-client-id&logout_uri=https%3A%2F%2Fkong.example.com%2Fsampleroute",
            );
            expect(config).to.not.have.property("logout_redirect_uri");
        });

        it("attaches auth before cache and sends traffic to the Service as it is", () => {
            const ingress = plainInputs(the(registrations, TYPES.ingress, "sampleroute-ingress"));
            expect(ingress.metadata.annotations).to.deep.equal({
                "konghq.com/plugins": "sampleroute-oidc,sampleroute-proxycache",
                "konghq.com/strip-path": "true",
            });
            expect(ingress.spec.rules[0].http.paths[0].backend).to.deep.equal({ service: { name: "sample-app", port: { number: 80 } } });
            expect(registrations.some((r) => r.type === TYPES.service)).to.equal(false);
        });

        it("registers only objects the upstream schemas accept", async () => {
            expect(await allSchemaErrors(registrations)).to.deep.equal([]);
        });

        it("fails closed: the Ingress waits for the cache plugin too", () => {
            const ingress = the(registrations, TYPES.ingress, "sampleroute-ingress");
            const cachePlugin = the(registrations, TYPES.kongPlugin, "sampleroute-cache-plugin");
            const oidcPlugin = the(registrations, TYPES.kongPlugin, "sampleroute-oidc");
            expect(ingress.dependencies).to.include.members([cachePlugin.urn, oidcPlugin.urn]);
        });
    });

    it("splits an https upstream with a port and path into Service annotations", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("tlsup", { ...apiRoute, path: "/tlsup", upstreamUrl: "https://api.internal:8443/v1" }),
        );
        const service = plainInputs(the(registrations, TYPES.service, "tlsup-upstream"));
        expect(service.metadata.annotations).to.deep.equal({
            "konghq.com/protocol": "https",
            "konghq.com/path": "/v1",
            "konghq.com/tls-verify": "true",
        });
        expect(service.spec.ports).to.deep.equal([{ name: "https", port: 8443, protocol: "TCP" }]);
    });

    it("matches a host with TLS when given", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("hosted", { ...apiRoute, path: "/hosted", host: "kong.example.com", tlsSecretName: "kong-tls" }),
        );
        const ingress = plainInputs(the(registrations, TYPES.ingress, "hosted-ingress"));
        expect(ingress.spec.rules[0].host).to.equal("kong.example.com");
        expect(ingress.spec.tls).to.deep.equal([{ hosts: ["kong.example.com"], secretName: "kong-tls" }]);
    });

    it("accepts a TLS Secret name with dots, as Kubernetes does", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("dotted", {
                    ...apiRoute,
                    path: "/dotted",
                    host: "kong.example.com",
                    tlsSecretName: "kong.example.com-tls",
                }),
        );
        expect(plainInputs(the(registrations, TYPES.ingress, "dotted-ingress")).spec.tls[0].secretName).to.equal("kong.example.com-tls");
    });

    it("restricts the protocols with the konghq.com/protocols annotation when asked, and only then", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("tls-only", { ...apiRoute, path: "/tls-only", protocols: ["https"] }),
        );
        expect(plainInputs(the(registrations, TYPES.ingress, "tls-only-ingress")).metadata.annotations["konghq.com/protocols"]).to.equal(
            "https",
        );
        const { registrations: plain } = await record(() => new KongOidcRoute("any-proto", { ...apiRoute, path: "/any-proto" }));
        expect(plainInputs(the(plain, TYPES.ingress, "any-proto-ingress")).metadata.annotations).to.not.have.property(
            "konghq.com/protocols",
        );
    });

    describe("ssl_verify off, as far as Kong's tls_certificate_verify lets it", () => {
        it("turns it off only when told, silently on a Kong without the option", async () => {
            const { registrations, warnings } = await withWarnings(
                () => new KongOidcRoute("demo", { ...apiRoute, path: "/demo", sslVerify: false, kongVersion: "3.10" }),
            );
            expect(oidcConfigOf(registrations, "demo").ssl_verify).to.equal(false);
            expect(warnings).to.deep.equal([]);
        });

        it("refuses it on a Kong 3.14, whose tls_certificate_verify is on by default", async () => {
            const { error } = await recordFailure(() => new KongOidcRoute("demo14", { ...apiRoute, path: "/demo14", sslVerify: false }));
            expect(error.message).to.contain(
                "sslVerify = false: Kong refuses ssl_verify: false while its tls_certificate_verify option is on, Kong's default from 3.14",
            );
        });

        it("takes it, with a warning, on a Kong 3.14 that runs with tls_certificate_verify off", async () => {
            const { registrations, warnings } = await withWarnings(
                () =>
                    new KongOidcRoute("demo14off", {
                        ...apiRoute,
                        path: "/demo14off",
                        sslVerify: false,
                        kongTlsCertificateVerify: "off",
                    }),
            );
            expect(oidcConfigOf(registrations, "demo14off").ssl_verify).to.equal(false);
            expect(warnings).to.deep.equal([
                'warning: [runtime] KongOidcRoute "demo14off": sslVerify = false: Kong 3.14 accepts ssl_verify: false only while ' +
                    "its tls_certificate_verify option is off (kongTlsCertificateVerify: off); a Kong that turns it on refuses this " +
                    "config, and until then the IdP's certificate is not verified",
            ]);
        });

        it("refuses it on a Kong 3.13 the route says runs with tls_certificate_verify on", async () => {
            const { error } = await recordFailure(
                () =>
                    new KongOidcRoute("demo13", {
                        ...apiRoute,
                        path: "/demo13",
                        sslVerify: false,
                        kongVersion: "3.13",
                        kongTlsCertificateVerify: "on",
                    }),
            );
            expect(error.message).to.contain("option is on, as kongTlsCertificateVerify says");
        });
    });

    it("reaches a Service in another namespace through an ExternalName Service in the route's", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("orders", {
                    ...browserRoute,
                    path: "/orders",
                    cache: undefined,
                    upstreamService: { name: "orders-api", namespace: "orders", port: 8080 },
                }),
        );
        const service = plainInputs(the(registrations, TYPES.service, "orders-upstream"));
        expect(service.metadata).to.deep.include({ name: "orders-upstream", namespace: "kong" });
        expect(service.spec).to.deep.equal({
            type: "ExternalName",
            externalName: "orders-api.orders.svc.cluster.local",
            ports: [{ name: "http", port: 8080, protocol: "TCP" }],
        });
        const ingress = plainInputs(the(registrations, TYPES.ingress, "orders-ingress"));
        expect(ingress.spec.rules[0].http.paths[0].backend).to.deep.equal({ service: { name: "orders-upstream", port: { number: 8080 } } });
    });

    it("stores browser sessions and the cache in Redis, the password only inside Secrets", async () => {
        const password = "redis-pass-value";
        const { registrations } = await record(
            () =>
                new KongOidcRoute("shared", {
                    ...browserRoute,
                    path: "/shared",
                    redis: { host: "redis.kong.svc.cluster.local", port: 6380, tls: true, password: pulumi.secret(password) },
                }),
        );
        const redis = {
            host: "redis.kong.svc.cluster.local",
            port: 6380,
            ssl: true,
            ssl_verify: true,
            server_name: "redis.kong.svc.cluster.local",
            password,
            database: 0,
        };
        const config = oidcConfigOf(registrations, "shared");
        expect(config).to.deep.include({ session_storage: "redis", redis });
        const cache = plainInputs(the(registrations, TYPES.kongPlugin, "shared-cache-plugin"));
        expect(cache.plugin).to.equal("proxy-cache-advanced");
        expect(cache.configFrom).to.deep.equal({ secretKeyRef: { name: "shared-proxycache-config", key: "config" } });
        const cacheSecret = the(registrations, TYPES.secret, "shared-proxycache-config");
        expect(isSecretValue(cacheSecret.inputs.stringData)).to.equal(true);
        expect(JSON.parse(plainInputs(cacheSecret).stringData.config)).to.deep.include({ strategy: "redis", redis });
        for (const r of registrations.filter((r) => r.type !== TYPES.secret)) {
            expect(JSON.stringify(plainInputs(r)), `${r.type} ${r.name}`).to.not.contain(password);
        }
    });

    it("signs out by GET only when the route asks for it", async () => {
        const { result, registrations } = await record(
            () => new KongOidcRoute("link-logout", { ...browserRoute, path: "/link", cache: undefined, logoutMethods: ["GET", "POST"] }),
        );
        expect(oidcConfigOf(registrations, "link-logout").logout_methods).to.deep.equal(["GET", "POST"]);
        expect(result.settings.session?.logoutMethods).to.deep.equal(["GET", "POST"]);
    });

    it("leaves the logout to the discovery document when the IdP has no logout endpoint, with the signed-out URL", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("other-idp", {
                    ...browserRoute,
                    path: "/other",
                    cache: undefined,
                    signedOutUrl: "https://www.example.com/bye",
                    oidc: { ...browserRoute.oidc, logoutEndpoint: undefined },
                }),
        );
        const config = oidcConfigOf(registrations, "other-idp");
        expect(config.logout_redirect_uri).to.deep.equal(["https://www.example.com/bye"]);
        expect(config).to.not.have.property("end_session_endpoint");
    });

    describe("Redis as the targeted Kong takes it", () => {
        const redis = { host: "redis.kong.svc.cluster.local" };
        it("refuses browser sessions in Redis on a Kong before 3.8, whose openid-connect has no redis record", async () => {
            const { error, registrations } = await recordFailure(
                () => new KongOidcRoute("old-sessions", { ...browserRoute, path: "/old", redis, kongVersion: "3.7" }),
            );
            expect(error.message).to.contain(
                'redis = "redis.kong.svc.cluster.local": browser sessions in Redis need Kong 3.8 or later: openid-connect took its ' +
                    "redis record in 3.8 (Kong 3.7 has only the flat session_redis_* fields, which kong-cognito does not write)",
            );
            expect(registrations).to.deep.equal([]);
        });

        it("writes the redis record from 3.8 on", async () => {
            const { registrations, warnings } = await withWarnings(
                () => new KongOidcRoute("sessions38", { ...browserRoute, path: "/s38", redis, kongVersion: "3.8" }),
            );
            expect(oidcConfigOf(registrations, "sessions38")).to.deep.include({ session_storage: "redis" });
            expect(warnings).to.deep.equal([]);
        });

        it("warns that Kong 3.8 keeps sessions in database 0 whatever redis.database says", async () => {
            const { warnings } = await withWarnings(
                () =>
                    new KongOidcRoute("sessions38db", {
                        ...browserRoute,
                        path: "/s38db",
                        redis: { ...redis, database: 2 },
                        kongVersion: "3.8",
                    }),
            );
            expect(warnings).to.deep.equal([
                'warning: [runtime] KongOidcRoute "sessions38db": redis.database = 2: Kong 3.8\'s openid-connect ignores ' +
                    "redis.database 2 and keeps sessions in database 0 (fixed in 3.9.0.0): keep nothing else there, or run 3.9 or later",
            ]);
        });

        it("caches in Redis on 3.4 already: proxy-cache-advanced has had its redis record all along", async () => {
            const { registrations } = await record(
                () => new KongOidcRoute("cache34", { ...apiRoute, path: "/cache34", redis, kongVersion: "3.4", cache: { ttlSeconds: 30 } }),
            );
            const cache = plainInputs(the(registrations, TYPES.kongPlugin, "cache34-cache-plugin"));
            expect(cache.plugin).to.equal("proxy-cache-advanced");
        });
    });

    it("sends a plain-http public URL's session cookie without the Secure flag (localhost only)", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("local", { ...browserRoute, path: "/local", cache: undefined, publicBaseUrl: "http://localhost:8000" }),
        );
        expect(oidcConfigOf(registrations, "local").session_cookie_secure).to.equal(false);
    });

    describe("rejects bad args before registering anything", () => {
        const cases: RejectionCase<KongOidcRouteArgs>[] = [
            ["an empty path", { ...apiRoute, path: "" }, "path", "must not be empty"],
            ["a path without a leading slash", { ...apiRoute, path: "oidcroute" }, "path", 'must start with "/"'],
            ["an http public base URL", { ...apiRoute, publicBaseUrl: "http://kong.example.com" }, "publicBaseUrl", "must use https"],
            [
                "a public base URL with a path",
                { ...apiRoute, publicBaseUrl: "https://kong.example.com/x" },
                "publicBaseUrl",
                "without path",
            ],
            [
                "an unknown auth method",
                { ...apiRoute, authMethods: ["bearer", "basic"] },
                "authMethods",
                "is not an openid-connect auth method",
            ],
            ["both upstreams", { ...apiRoute, upstreamService: { name: "x", port: 80 } }, "upstreamUrl", "exactly one of"],
            ["a bad upstream URL", { ...apiRoute, upstreamUrl: "httpbin.org" }, "upstreamUrl", "absolute URL"],
            ["a zero cache TTL", { ...apiRoute, cache: { ttlSeconds: 0 } }, "cache.ttlSeconds", "positive"],
            ["a host other than the public URL's", { ...apiRoute, host: "other.example.com" }, "host", "must be the host of publicBaseUrl"],
            ["TLS without a host", { ...apiRoute, tlsSecretName: "kong-tls" }, "tlsSecretName", "needs host"],
            ["a logout path on an api route", { ...apiRoute, logoutPath: "/logout" }, "logoutPath", "applies to browser routes only"],
            ["a logout path without a slash", { ...browserRoute, logoutPath: "logout" }, "logoutPath", "must be a URL path suffix"],
            ["logout methods on an api route", { ...apiRoute, logoutMethods: ["POST"] }, "logoutMethods", "applies to browser routes only"],
            [
                "a logout method openid-connect does not take",
                { ...browserRoute, logoutMethods: ["POST", "PUT"] },
                "logoutMethods",
                "is not a method openid-connect signs out with (one of POST, DELETE, GET)",
            ],
            ["no logout method", { ...browserRoute, logoutMethods: [] }, "logoutMethods", "must name at least one method"],
            ["a logout method twice", { ...browserRoute, logoutMethods: ["GET", "GET"] }, "logoutMethods", "must not name a method twice"],
            ["an http signed-out URL", { ...browserRoute, signedOutUrl: "http://www.example.com/" }, "signedOutUrl", "must use https"],
            [
                "a browser route path a cookie cannot carry",
                { ...browserRoute, path: "/app;v=1" },
                "path",
                'must not contain ";" on a browser route',
            ],
            [
                "a Service name starting with a digit",
                { ...browserRoute, upstreamService: { name: "1app", port: 80 } },
                "upstreamService.name",
                "DNS-1035",
            ],
            ["a Kong version that is none", { ...apiRoute, kongVersion: "latest" }, "kongVersion", "must be a Kong Gateway version"],
            ["a Kong older than 3.4", { ...apiRoute, kongVersion: "2.8" }, "kongVersion", "must be 3.4 or later"],
            ["a Redis port out of range", { ...apiRoute, redis: { host: "redis", port: 70000 } }, "redis.port", "from 1 to 65535"],
            [
                "a cache dict nginx cannot name",
                { ...apiRoute, cache: { dictionaryName: "my-cache" } },
                "cache.dictionaryName",
                "shared dict",
            ],
        ];
        itRejectsEach(cases, (args) => new KongOidcRoute("bad", args));
        it("rejects a route name that is not a Kubernetes name", async () => {
            const { error, registrations } = await recordFailure(() => new KongOidcRoute("Bad_Route", apiRoute));
            expect(error.message).to.contain('name = "Bad_Route": must be a DNS-1035 label (a Service name)');
            expect(registrations).to.deep.equal([]);
        });
    });
});

describe("KongProxyCache", () => {
    it("makes a KongPlugin named as asked that any Ingress can list", async () => {
        const { result, registrations } = await record(
            () => new KongProxyCache("proxycache", { namespace: "kong", ttlSeconds: 30, authenticated: false }),
        );
        const plugin = plainInputs(the(registrations, TYPES.kongPlugin, "proxycache-plugin"));
        expect(plugin.metadata).to.deep.include({ name: "proxycache", namespace: "kong" });
        expect(plugin.config).to.deep.equal({
            strategy: "memory",
            memory: { dictionary_name: "kong_db_cache" },
            cache_ttl: 30,
            content_type: [...PROXY_CACHE_DEFAULTS.contentTypes],
            response_code: [200, 301, 404],
            request_method: ["GET", "HEAD"],
            vary_headers: [],
            cache_control: false,
        });
        expect(await resolve(result.pluginName)).to.equal("proxycache");
    });

    it("assumes an authenticated route unless told otherwise, and keys on Authorization", async () => {
        const { registrations } = await record(() => new KongProxyCache("cache-default", { namespace: "kong" }));
        expect(plainInputs(the(registrations, TYPES.kongPlugin, "cache-default-plugin")).config.vary_headers).to.deep.equal([
            "authorization",
        ]);
    });

    it("keeps its entries in Kong's own kong_db_cache, which every Kong declares, unless told another dict", async () => {
        const { registrations } = await record(() => [
            new KongProxyCache("cache-dict-default", { namespace: "kong" }),
            new KongProxyCache("cache-dict-own", { namespace: "kong", dictionaryName: "kong_cognito_cache" }),
        ]);
        const memoryOf = (name: string) => plainInputs(the(registrations, TYPES.kongPlugin, `${name}-plugin`)).config.memory;
        expect(memoryOf("cache-dict-default")).to.deep.equal({ dictionary_name: "kong_db_cache" });
        expect(memoryOf("cache-dict-own")).to.deep.equal({ dictionary_name: "kong_cognito_cache" });
    });

    it("keys on the consumer instead when consumers are mapped", async () => {
        const { registrations } = await record(() => new KongProxyCache("cache-consumers", { namespace: "kong", consumerMapping: true }));
        expect(plainInputs(the(registrations, TYPES.kongPlugin, "cache-consumers-plugin")).config.vary_headers).to.deep.equal([]);
    });

    it("refuses Admin API settings on an ingress cache instead of dropping them", async () => {
        const { error, registrations } = await recordFailure(() => new KongProxyCache("mixed", { namespace: "kong", serviceId: "svc-1" }));
        expect(error.message).to.contain('serviceId = "svc-1": applies to the admin target only');
        expect(registrations).to.deep.equal([]);
    });

    it("names its KongPlugin by the Kubernetes rule on the ingress target", async () => {
        const { error, registrations } = await recordFailure(
            () => new KongProxyCache("cache", { namespace: "kong", pluginName: "Proxy_Cache" }),
        );
        expect(error.message).to.contain('pluginName = "Proxy_Cache": must be a DNS-1123 label');
        expect(registrations).to.deep.equal([]);
    });

    it("holds an admin-target cache to no Kubernetes name rule: it makes no Kubernetes object", async () => {
        const { registrations } = await record(() => new KongProxyCache("Orders_Cache", { target: "admin", serviceId: "svc-1" }));
        expect(plainInputs(the(registrations, "kong:index/plugin:Plugin", "Orders_Cache-plugin"))).to.deep.include({
            name: "proxy-cache",
            serviceId: "svc-1",
        });
    });

    it("rejects a TTL that is not positive before registering anything", async () => {
        const { error, registrations } = await recordFailure(() => new KongProxyCache("bad-cache", { namespace: "kong", ttlSeconds: -1 }));
        expect(error.message).to.contain("\n  - ttlSeconds = -1: must be a positive whole number of seconds");
        expect(registrations).to.deep.equal([]);
    });
});

describe("KongOidcRoute with a public URL from another resource", () => {
    // What a load balancer's DNS name looks like to a program: an Output, known only at deploy time.
    const fromLoadBalancer = (url: string) => pulumi.output(Promise.resolve(url));

    it("derives the route URL, redirect URI, secure cookie and sign-out target when the URL resolves", async () => {
        const { result: route, registrations } = await record(
            () => new KongOidcRoute("gw", { ...browserRoute, publicBaseUrl: fromLoadBalancer("https://gw.example.net") }),
        );
        expect(await valueOf(route.url)).to.equal("https://gw.example.net/sampleroute");
        const config = oidcConfigOf(registrations, "gw");
        expect(config).to.deep.include({ redirect_uri: ["https://gw.example.net/sampleroute"], session_cookie_secure: true });
        expect(config.end_session_endpoint).to.equal(
            "https://login.example.com/logout?client_id=web-client-id&logout_uri=https%3A%2F%2Fgw.example.net%2Fsampleroute",
        );
    });

    it("checks the URLs once they are known, failing with the message a plain value gets", function () {
        this.timeout(60000);
        // A child process: a failed input leaves the process-global mock runtime waiting on that registration.
        const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "test/fixtures/badOutputUrls.ts"], {
            cwd: path.resolve(__dirname, ".."),
            encoding: "utf8",
            timeout: 50000,
        });
        // It ends (Pulumi's leak report on exit may set a non-zero status: the failed resources never register).
        expect(child.signal, child.stderr).to.equal(null);
        // Pulumi prefixes the property it was serializing when the Output failed.
        expect(child.stdout).to.contain(
            'publicBaseUrl: error serializing property "outputs": KongOidcRoute "gw-http": invalid input\n' +
                '  - publicBaseUrl = "http://gw.example.net": must use https (http is allowed only for localhost)',
        );
        expect(child.stdout).to.contain(
            'signedOutUrl: KongOidcRoute "gw-out": invalid input\n' +
                '  - signedOutUrl = "https://gw.example.net/#bye": must not contain a fragment (#...)',
        );
        expect(child.stdout).to.contain(
            'callbackUrls: CognitoIdp "idp": invalid input\n' +
                '  - callbackUrls[0] = "http://gw.example.net/app": must use https (http is allowed only for localhost)',
        );
    });

    it("registers a CognitoIdp callback URL from the route's Output URL", async () => {
        const { registrations } = await record(() => {
            const route = new KongOidcRoute("gw-cb", { ...browserRoute, publicBaseUrl: fromLoadBalancer("https://gw.example.net") });
            return new CognitoIdp("gw-idp", { domainPrefix: "gw-login", callbackUrls: [route.url], logoutUrls: [route.url] });
        });
        expect(plainInputs(the(registrations, TYPES.client, "gw-idp-web-client"))).to.deep.include({
            callbackUrls: ["https://gw.example.net/sampleroute"],
            logoutUrls: ["https://gw.example.net/sampleroute"],
        });
    });
});
