// What each Kong target's emitter hands Kong, KIC and Kubernetes beyond the seed's routes: the
// plugin lists and their order, hosts, Redis secrets, the same-namespace Service, each target's
// own messages, and the Admin API consumer's tags. Each test records its own stack.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KongJwtConsumer, KongOidcRoute, KongOidcRouteArgs, KongProxyCache, KongProxyCacheArgs } from "../components";
import { isSecretValue } from "../tools/shared/mockRuntime";
import { childrenOf, itRejectsEach, KONG, plainInputs, record, resolve, seedApiRoute, TEST_ISSUER, the, TYPES } from "./harness";

const ISSUER = TEST_ISSUER;
const POOL_GROUP = "cognito-us-east-1_TEST";
const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "kong-cognito" };
const REDIS = { host: "redis.kong.svc", password: pulumi.secret("redis-pass-value") };

const adminRoute = seedApiRoute({ target: "admin" });

/** An OSS api route on a target, bound to the pool's consumer registered beside it. */
function ossRoute(target: "admin" | "ingress", extra: Partial<KongOidcRouteArgs> = {}): KongOidcRoute {
    const namespace = target === "admin" ? {} : { namespace: "kong" };
    const consumer = new KongJwtConsumer("cognito-jwt", { target, issuer: ISSUER, ...namespace });
    return new KongOidcRoute(
        "oss",
        seedApiRoute({ target, kongEdition: "oss", jwtConsumer: consumer.reference, path: "/oss", ...namespace, ...extra }),
    );
}

describe("the admin target's emitter", () => {
    it("lists the plugin types on the service, auth first, the cache's type last", async () => {
        const { result: route } = await record(() => new KongOidcRoute("cached", { ...adminRoute, path: "/cached", cache: {} }));
        expect(await resolve(route.pluginNames)).to.deep.equal(["openid-connect", "proxy-cache"]);
        expect(route.resources.target).to.equal("admin");
    });

    it("lists jwt then acl on Kong OSS, and registers both on the service", async () => {
        const { result: route, registrations } = await record(() => ossRoute("admin", { cache: {} }));
        expect(await resolve(route.pluginNames)).to.deep.equal(["jwt", "acl", "proxy-cache"]);
        const resources = route.resources;
        expect(resources.target === "admin" && resources.auth.plugin).to.equal("jwt");
        const kongRoute = the(registrations, KONG.route, "oss-route");
        const plugins = ["oss-jwt", "oss-acl", "oss-cache-plugin"].map((name) => the(registrations, KONG.plugin, name).urn);
        expect(kongRoute.explicitDependencies).to.have.members(plugins);
        expect(plainInputs(the(registrations, KONG.plugin, "oss-acl")).name).to.equal("acl");
        const jwt = plainInputs(the(registrations, KONG.plugin, "oss-jwt"));
        expect(jwt).to.deep.include({ name: "jwt", enabled: true, strictMatch: false, tags: ["kong-cognito", "kong-cognito-route-oss"] });
    });

    it("matches the route's host when given, any host otherwise", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("hosted", { ...adminRoute, path: "/hosted", host: "kong.example.com", protocols: ["https"] }),
        );
        expect(plainInputs(the(registrations, KONG.route, "hosted-route"))).to.deep.include({
            hosts: ["kong.example.com"],
            protocols: ["https"],
        });
        const { registrations: anyHost } = await record(() => new KongOidcRoute("any", { ...adminRoute, path: "/any" }));
        expect(plainInputs(the(anyHost, KONG.route, "any-route"))).to.not.have.property("hosts");
    });

    it("reaches a Service in its own namespace over the route's namespace by its cluster DNS name", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("elsewhere", {
                    ...adminRoute,
                    path: "/elsewhere",
                    upstreamUrl: undefined,
                    upstreamService: { name: "orders-api", namespace: "orders", port: 8080 },
                    namespace: "kong",
                }),
        );
        expect(plainInputs(the(registrations, KONG.service, "elsewhere-service"))).to.deep.equal({
            name: "elsewhere-service",
            protocol: "http",
            host: "orders-api.orders.svc",
            port: 8080,
            tags: ["kong-cognito", "kong-cognito-route-elsewhere"],
        });
    });

    it("keeps a cache config holding the Redis password secret, in state too, and a plain one plain", async () => {
        const { registrations } = await record(
            () => new KongProxyCache("redis-cache", { target: "admin", serviceId: "svc-1", redis: REDIS }),
        );
        const redisPlugin = the(registrations, KONG.plugin, "redis-cache-plugin");
        expect(isSecretValue(redisPlugin.inputs.configJson)).to.equal(true);
        expect(redisPlugin.additionalSecretOutputs).to.have.members(["configJson", "computedConfig"]);
        expect(plainInputs(redisPlugin)).to.deep.include({
            name: "proxy-cache-advanced",
            serviceId: "svc-1",
            enabled: true,
            strictMatch: false,
            tags: ["kong-cognito"],
        });
        const { registrations: plain } = await record(() => new KongProxyCache("memory-cache", { target: "admin", routeId: "route-1" }));
        expect(the(plain, KONG.plugin, "memory-cache-plugin").additionalSecretOutputs).to.deep.equal([]);
    });

    itRejectsEach<KongProxyCacheArgs>(
        [
            ["a cache placed nowhere", { target: "admin" }, "serviceId", "the admin target needs exactly one of serviceId and routeId"],
            [
                "a cache on both a service and a route",
                { target: "admin", serviceId: "svc-1", routeId: "route-1" },
                "serviceId",
                "the admin target needs exactly one of serviceId and routeId",
            ],
        ],
        (args) => new KongProxyCache("misplaced", args),
    );

    it("tags the pool's consumer and every credential with the consumer, and gives the unused secret 32 random bytes", async () => {
        const { result, registrations } = await record(() => new KongJwtConsumer("cognito-jwt", { target: "admin", issuer: ISSUER }));
        const resources = result.resources;
        expect(resources.target).to.equal("admin");
        expect(resources.target === "admin" && resources.jwtCredentials).to.have.lengthOf(2);
        const tags = ["kong-cognito", "kong-cognito-consumer-cognito-jwt"];
        expect(plainInputs(the(registrations, KONG.consumer, "cognito-jwt-consumer"))).to.deep.equal({ username: POOL_GROUP, tags });
        expect(plainInputs(the(registrations, KONG.acl, "cognito-jwt-acl"))).to.deep.equal({
            consumerId: "cognito-jwt-consumer-id",
            group: POOL_GROUP,
            tags,
        });
        for (const slot of [0, 1]) {
            expect(plainInputs(the(registrations, KONG.jwtAuth, `cognito-jwt-key-${slot}`)).tags).to.deep.equal(tags);
        }
        expect(plainInputs(the(registrations, KONG.random, "cognito-jwt-unused-secret"))).to.deep.include({ length: 32 });
    });

    it("gives routes the pool's group only once the consumer and every credential exist", async () => {
        const { result: consumer, registrations } = await record(
            () => new KongJwtConsumer("cognito-jwt", { target: "admin", issuer: ISSUER }),
        );
        const { registrations: routeRegistrations } = await record(
            () =>
                new KongOidcRoute(
                    "waits",
                    seedApiRoute({ target: "admin", kongEdition: "oss", jwtConsumer: consumer.reference, path: "/waits" }),
                ),
        );
        const acl = the(routeRegistrations, KONG.plugin, "waits-acl");
        const ready = [
            [KONG.consumer, "cognito-jwt-consumer"],
            [KONG.jwtAuth, "cognito-jwt-key-0"],
            [KONG.jwtAuth, "cognito-jwt-key-1"],
            [KONG.acl, "cognito-jwt-acl"],
        ].map(([type, name]) => the(registrations, type, name).urn);
        expect(acl.propertyDependencies.configJson).to.include.members(ready);
    });
});

describe("the Kong Ingress Controller emitters", () => {
    it("attach the auth plugins, the cache, then the route's extra plugins, in that order", async () => {
        const { result: route, registrations } = await record(() =>
            ossRoute("ingress", { cache: {}, extraPlugins: ["rate-limit", "cors"] }),
        );
        const ingress = the(registrations, TYPES.ingress, "oss-ingress");
        expect(plainInputs(ingress).metadata.annotations["konghq.com/plugins"]).to.equal("oss-jwt,oss-acl,oss-proxycache,rate-limit,cors");
        expect(await resolve(route.pluginNames)).to.deep.equal(["oss-jwt", "oss-acl", "oss-proxycache", "rate-limit", "cors"]);
        const plugins = ["oss-jwt", "oss-acl", "oss-cache-plugin"].map((name) => the(registrations, TYPES.kongPlugin, name).urn);
        expect(ingress.dependencies).to.include.members(plugins);
        expect(route.resources.target === "ingress" && route.resources.auth.plugin).to.equal("jwt");
    });

    it("label the jwt and acl KongPlugins with the route and give them their configs inline", async () => {
        const { registrations } = await record(() => ossRoute("ingress"));
        for (const plugin of ["jwt", "acl"]) {
            const inputs = plainInputs(the(registrations, TYPES.kongPlugin, `oss-${plugin}`));
            expect(inputs).to.deep.include({
                apiVersion: "configuration.konghq.com/v1",
                kind: "KongPlugin",
                metadata: { name: `oss-${plugin}`, namespace: "kong", labels: { ...LABELS, "kong-cognito/route": "oss" } },
                plugin,
            });
            expect(inputs).to.have.property("config");
        }
    });

    it("point the openid-connect KongPlugin at its Secret's config key, and register it after the Secret", async () => {
        const { registrations } = await record(() => new KongOidcRoute("oidc", seedApiRoute({ namespace: "kong", path: "/oidc" })));
        const secret = the(registrations, TYPES.secret, "oidc-oidc-config");
        expect(plainInputs(secret)).to.deep.include({
            metadata: {
                name: "oidc-oidc-config",
                namespace: "kong",
                labels: { ...LABELS, "kong-cognito/route": "oidc", "konghq.com/validate": "plugin", "konghq.com/secret": "true" },
            },
            type: "Opaque",
        });
        const plugin = the(registrations, TYPES.kongPlugin, "oidc-oidc");
        expect(plainInputs(plugin)).to.deep.equal({
            apiVersion: "configuration.konghq.com/v1",
            kind: "KongPlugin",
            metadata: { name: "oidc-oidc", namespace: "kong", labels: { ...LABELS, "kong-cognito/route": "oidc" } },
            plugin: "openid-connect",
            configFrom: { secretKeyRef: { name: "oidc-oidc-config", key: "config" } },
        });
        expect(plugin.dependencies).to.deep.equal([secret.urn]);
    });

    it("put a cache config holding the Redis password in a labelled Secret the KongPlugin waits for", async () => {
        const { registrations } = await record(
            () => new KongProxyCache("redis-cache", { target: "gateway", namespace: "apps", pluginName: "shared-cache", redis: REDIS }),
        );
        const secret = the(registrations, TYPES.secret, "shared-cache-config");
        expect(plainInputs(secret)).to.deep.include({
            metadata: {
                name: "shared-cache-config",
                namespace: "apps",
                labels: { ...LABELS, "konghq.com/validate": "plugin", "konghq.com/secret": "true" },
            },
            type: "Opaque",
        });
        const plugin = the(registrations, TYPES.kongPlugin, "redis-cache-plugin");
        expect(plugin.dependencies).to.deep.equal([secret.urn]);
        expect(childrenOf(registrations, TYPES.cache, "redis-cache")).to.deep.equal(
            [`${TYPES.kongPlugin} redis-cache-plugin`, `${TYPES.secret} shared-cache-config`].sort(),
        );
        const { registrations: plain } = await record(() => new KongProxyCache("memory-cache", { target: "gateway", namespace: "apps" }));
        expect(the(plain, TYPES.kongPlugin, "memory-cache-plugin").dependencies).to.deep.equal([]);
    });

    it("give the credential Secrets Opaque type, their credential label and the KongConsumer waits for them", async () => {
        const { result, registrations } = await record(
            () => new KongJwtConsumer("cognito-jwt", { target: "gateway", issuer: ISSUER, namespace: "kong" }),
        );
        const resources = result.resources;
        expect(resources.target).to.equal("gateway");
        expect(resources.target === "gateway" && [resources.consumer, resources.aclSecret, ...resources.keySecrets]).to.have.lengthOf(4);
        const acl = plainInputs(the(registrations, TYPES.secret, "cognito-jwt-acl"));
        expect(acl).to.deep.include({
            metadata: {
                name: "cognito-jwt-acl",
                namespace: "kong",
                labels: { ...LABELS, "konghq.com/secret": "true", "konghq.com/credential": "acl" },
            },
            type: "Opaque",
        });
        expect(plainInputs(the(registrations, TYPES.secret, "cognito-jwt-key-1")).type).to.equal("Opaque");
        const kongConsumer = the(registrations, "kubernetes:configuration.konghq.com/v1:KongConsumer", "cognito-jwt");
        const credentials = ["cognito-jwt-key-0", "cognito-jwt-key-1", "cognito-jwt-acl"].map(
            (name) => the(registrations, TYPES.secret, name).urn,
        );
        expect(kongConsumer.dependencies).to.have.members(credentials);
        expect(plainInputs(kongConsumer).metadata).to.deep.equal({
            name: "cognito-jwt",
            namespace: "kong",
            labels: LABELS,
            annotations: { "kubernetes.io/ingress.class": "kong" },
        });
    });

    it("send traffic straight to a Service in the route's own namespace, however it is named", async () => {
        for (const namespace of [undefined, "kong"]) {
            const upstreamService = { name: "sample-app", port: 80, namespace };
            const args = seedApiRoute({ namespace: "kong", path: "/same", upstreamUrl: undefined, upstreamService });
            const { registrations: ingress } = await record(() => new KongOidcRoute("same-ing", args));
            expect(plainInputs(the(ingress, TYPES.ingress, "same-ing-ingress")).spec.rules[0].http.paths[0]).to.deep.equal({
                path: "/same",
                pathType: "Prefix",
                backend: { service: { name: "sample-app", port: { number: 80 } } },
            });
            const { registrations: gateway } = await record(() => new KongOidcRoute("same-gw", { ...args, target: "gateway" }));
            expect(plainInputs(the(gateway, TYPES.httpRoute, "same-gw-httproute")).spec.rules[0].backendRefs).to.deep.equal([
                { kind: "Service", name: "sample-app", port: 80 },
            ]);
            for (const registrations of [ingress, gateway]) {
                expect(registrations.filter((r) => r.type === TYPES.service || r.type === TYPES.referenceGrant)).to.deep.equal([]);
            }
        }
    });

    it("spell out strip-path false and list every protocol asked for", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute(
                    "unstripped",
                    seedApiRoute({ namespace: "kong", path: "/unstripped", stripPath: false, protocols: ["http", "https"] }),
                ),
        );
        expect(plainInputs(the(registrations, TYPES.ingress, "unstripped-ingress")).metadata.annotations).to.deep.include({
            "konghq.com/strip-path": "false",
            "konghq.com/protocols": "http,https",
        });
    });

    it("bind TLS to the Ingress only with a TLS Secret: a host alone matches without it", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("hosted", seedApiRoute({ namespace: "kong", path: "/hosted", host: "kong.example.com" })),
        );
        const ingress = plainInputs(the(registrations, TYPES.ingress, "hosted-ingress"));
        expect(ingress.spec.rules[0].host).to.equal("kong.example.com");
        expect(ingress.spec).to.not.have.property("tls");
    });

    itRejectsEach<KongOidcRouteArgs>(
        [
            [
                "an ingress route without a namespace",
                seedApiRoute(),
                "namespace",
                "the ingress target needs the namespace of the Ingress and its plugins",
            ],
            ...[
                ["/a/./b", 'must not contain a "." segment (Gateway API path match)'],
                ["/a/.", 'must not contain a "." segment (Gateway API path match)'],
                ["/a/../b", 'must not contain a ".." segment (Gateway API path match)'],
                ["/a/..", 'must not contain a ".." segment (Gateway API path match)'],
                ["/a%2fb", 'must not contain an encoded "/" (%2F) (Gateway API path match)'],
                ["/a%zz", "must use % only in a percent-encoding such as %20 (Gateway API path match)"],
            ].map(([path, rule]): [string, KongOidcRouteArgs, string, string] => [
                `the gateway path ${path}`,
                seedApiRoute({ namespace: "kong", target: "gateway", path }),
                "path",
                rule,
            ]),
        ],
        (args) => new KongOidcRoute("bad", args),
    );

    it("take gateway paths with dots and percent-encodings inside segments", async () => {
        for (const path of ["/v1.2/.well-known", "/a%20b", "/a..b/c"]) {
            const { registrations } = await record(
                () => new KongOidcRoute("dotted", seedApiRoute({ namespace: "kong", target: "gateway", path })),
            );
            expect(plainInputs(the(registrations, TYPES.httpRoute, "dotted-httproute")).spec.rules[0].matches).to.deep.equal([
                { path: { type: "PathPrefix", value: path } },
            ]);
        }
    });

    itRejectsEach<KongProxyCacheArgs>(
        [
            [
                "an ingress cache without a namespace",
                { target: "ingress" },
                "namespace",
                "the ingress target needs the namespace of the Ingress or Service it caches",
            ],
            [
                "a gateway cache without a namespace",
                { target: "gateway" },
                "namespace",
                "the gateway target needs the namespace of the HTTPRoute or Service it caches",
            ],
            ["a serviceId on a KIC cache", { namespace: "kong", serviceId: "svc-1" }, "serviceId", "applies to the admin target only"],
            ["a routeId on a KIC cache", { namespace: "kong", routeId: "route-1" }, "routeId", "applies to the admin target only"],
        ],
        (args) => new KongProxyCache("misplaced", args),
    );

    itRejectsEach(
        [
            [
                "a gateway consumer without a namespace",
                { target: "gateway" as const, issuer: ISSUER },
                "namespace",
                "the gateway target needs the namespace of the KongConsumer and its credential Secrets",
            ],
        ],
        (args) => new KongJwtConsumer("cognito-jwt", args),
    );
});
