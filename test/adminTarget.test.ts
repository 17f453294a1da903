// The admin target: the same components drive Kong through its Admin API with the typed kong
// provider binding. Exact inputs, URL splitting, secrets, fail-closed order, provider pass-through
// and the one-key switch of a stack.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KongOidcRoute, KongOidcRouteArgs } from "../components";
import { KONG_PROVIDER_VERSION } from "../components";
import { KongProxyCache } from "../components";
import { parseStackConfig, projectConfig, StackConfig } from "../stacks/config";
import { buildStack } from "../stacks/stack";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import {
    itRejectsEach,
    resolve,
    plainInputs,
    record,
    recordFailure,
    RejectionCase,
    seedConfig,
    the,
    seedApiRoute,
    TEST_DISCOVERY_URL,
    KONG,
} from "./harness";

const DISCOVERY = TEST_DISCOVERY_URL;

const seedRoute = seedApiRoute({ target: "admin" });

/** What `new kong.Provider(...)` from @pulumi/kong is: a ProviderResource of the kong package. */
class StandInKongProvider extends pulumi.ProviderResource {
    constructor(name: string, args: pulumi.Inputs) {
        super("kong", name, args);
    }
}

const TAGS = ["kong-cognito", "kong-cognito-route-oidcroute"];

describe("admin target", () => {
    describe("the seed's oidcroute", () => {
        let registrations: Registration[];
        let route: KongOidcRoute;
        before(async () => {
            ({ result: route, registrations } = await record(() => new KongOidcRoute("oidcroute", seedRoute)));
        });

        it("outputs the Kong route's name, the plugin types and the public URL", async () => {
            expect(await resolve(route.routeName)).to.equal("oidcroute");
            expect(await resolve(route.pluginNames)).to.deep.equal(["openid-connect"]);
            expect(await resolve(route.url)).to.equal("https://kong.example.com/oidcroute");
        });

        it("creates a Kong service, the openid-connect plugin and a route, nothing on Kubernetes", () => {
            expect(registrations.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
                [
                    "kong-cognito:index:KongOidcRoute oidcroute",
                    `${KONG.plugin} oidcroute-oidc`,
                    `${KONG.route} oidcroute-route`,
                    `${KONG.service} oidcroute-service`,
                ].sort(),
            );
        });

        it("splits the upstream URL into the service's protocol, host and port", () => {
            expect(plainInputs(the(registrations, KONG.service, "oidcroute-service"))).to.deep.equal({
                name: "oidcroute-service",
                protocol: "http",
                host: "httpbin.org",
                port: 80,
                tags: TAGS,
            });
        });

        it("binds openid-connect to the service with a secret configJson, its name and no strict match (no diff on every update)", () => {
            const plugin = the(registrations, KONG.plugin, "oidcroute-oidc");
            const service = the(registrations, KONG.service, "oidcroute-service");
            expect(isSecretValue(plugin.inputs.configJson)).to.equal(true);
            expect(plugin.additionalSecretOutputs).to.have.members(["configJson", "computedConfig"]);
            const inputs = plainInputs(plugin);
            expect(inputs).to.deep.include({ name: "openid-connect", enabled: true, strictMatch: false, tags: TAGS });
            expect(inputs.serviceId).to.equal("oidcroute-service-id");
            expect(plugin.propertyDependencies.serviceId).to.deep.equal([service.urn]);
            expect(JSON.parse(inputs.configJson)).to.deep.include({
                issuer: DISCOVERY,
                client_id: ["machine-client-id"],
                auth_methods: ["bearer", "client_credentials"],
                audience_claim: ["client_id"],
                ssl_verify: true,
            });
            expect(JSON.parse(inputs.configJson)).to.not.have.property("client_secret");
        });

        it("creates the route last: it depends on the auth plugin (fail closed)", () => {
            const route = the(registrations, KONG.route, "oidcroute-route");
            const plugin = the(registrations, KONG.plugin, "oidcroute-oidc");
            expect(route.explicitDependencies).to.deep.equal([plugin.urn]);
            expect(plainInputs(route)).to.deep.equal({
                name: "oidcroute",
                serviceId: "oidcroute-service-id",
                protocols: ["http", "https"],
                // The path and what is under it, never /oidcroutefoo: what KIC makes of a Prefix path.
                paths: ["/oidcroute/", "~/oidcroute$"],
                stripPath: true,
                preserveHost: false,
                tags: TAGS,
            });
        });

        it("pins the kong provider version on every Kong resource", () => {
            for (const registration of registrations.filter((r) => r.type.startsWith("kong:"))) {
                expect(registration.version, registration.name).to.equal(KONG_PROVIDER_VERSION);
            }
        });
    });

    it("splits https upstreams with a port and a path, and verifies their TLS", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("tls-up", { ...seedRoute, path: "/tls-up", upstreamUrl: "https://api.internal:8443/v1" }),
        );
        expect(plainInputs(the(registrations, KONG.service, "tls-up-service"))).to.deep.include({
            protocol: "https",
            host: "api.internal",
            port: 8443,
            path: "/v1",
            tlsVerify: true,
        });
    });

    it("reaches an in-cluster Service by its cluster DNS name", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("in-cluster", {
                    ...seedRoute,
                    path: "/in-cluster",
                    upstreamUrl: undefined,
                    upstreamService: { name: "sample-app", port: 80 },
                    namespace: "kong",
                }),
        );
        expect(plainInputs(the(registrations, KONG.service, "in-cluster-service"))).to.deep.include({
            protocol: "http",
            host: "sample-app.kong.svc",
            port: 80,
        });
    });

    it("puts proxy-cache on the service before the route, with a plain config and a key varying by Authorization", async () => {
        const { registrations } = await record(
            () => new KongOidcRoute("cached", { ...seedRoute, path: "/cached", cache: { ttlSeconds: 30 } }),
        );
        const cache = the(registrations, KONG.plugin, "cached-cache-plugin");
        const inputs = plainInputs(cache);
        expect(isSecretValue(cache.inputs.configJson)).to.equal(false);
        expect(inputs).to.deep.include({ name: "proxy-cache", serviceId: "cached-service-id", strictMatch: false, enabled: true });
        expect(JSON.parse(inputs.configJson)).to.deep.include({ cache_ttl: 30, vary_headers: ["authorization"], strategy: "memory" });
        expect(the(registrations, KONG.route, "cached-route").dependencies).to.include(cache.urn);
    });

    it("refuses Kubernetes settings on an admin cache instead of dropping them", async () => {
        const { error, registrations } = await recordFailure(
            () => new KongProxyCache("mixed-cache", { target: "admin", routeId: "route-123", namespace: "kong" }),
        );
        expect(error.message).to.contain('namespace = "kong": applies to the ingress and gateway targets only');
        expect(registrations).to.deep.equal([]);
    });

    it("caches a route given by id when used on its own", async () => {
        const { registrations } = await record(() => new KongProxyCache("route-cache", { target: "admin", routeId: "route-123" }));
        expect(plainInputs(the(registrations, KONG.plugin, "route-cache-plugin"))).to.deep.include({
            name: "proxy-cache",
            routeId: "route-123",
        });
    });

    it("uses a kong provider passed through providers, as one from @pulumi/kong would be", async () => {
        const { registrations } = await record(() => {
            const userProvider = new StandInKongProvider("user-kong", { kongAdminUri: "https://kong-admin.internal:8444" });
            return new KongOidcRoute("passed", { ...seedRoute, path: "/passed" }, { providers: [userProvider] });
        });
        const provider = the(registrations, KONG.provider, "user-kong");
        const kongResources = registrations.filter((r) => r.type.startsWith("kong:"));
        expect(kongResources).to.have.lengthOf(3);
        for (const registration of kongResources) {
            expect(registration.provider, registration.name).to.equal(`${provider.urn}::user-kong-provider-id`);
        }
    });

    itRejectsEach<KongOidcRouteArgs>(
        [
            ["TLS Secrets, which only Ingresses have", { ...seedRoute, tlsSecretName: "kong-tls" }, "tlsSecretName", "ingress target only"],
            ["a protocol Kong routes do not take here", { ...seedRoute, protocols: ["grpc"] }, "protocols", '"http" and/or "https"'],
            [
                "an in-cluster upstream without its namespace",
                { ...seedRoute, upstreamUrl: undefined, upstreamService: { name: "app", port: 80 } },
                "namespace",
                "needs the namespace of upstreamService",
            ],
            ["an unknown target", { ...seedRoute, target: "konnect" as never }, "target", "must be one of ingress, gateway, admin"],
        ] as RejectionCase<KongOidcRouteArgs>[],
        (args) => new KongOidcRoute("bad-admin", args),
    );
});

describe("admin target in a stack", () => {
    function fixtureConfig(): StackConfig {
        return parseStackConfig("admin", projectConfig(seedConfig("admin")));
    }
    const ADMIN_TOKEN = "kong-admin-token-value";

    it("creates one kong provider with the Admin API URL and the token as a secret", async () => {
        const { registrations } = await record(() =>
            buildStack("admin", fixtureConfig(), {
                kongAdmin: { adminUri: "http://localhost:8001", adminToken: pulumi.secret(ADMIN_TOKEN) },
            }),
        );
        const provider = the(registrations, KONG.provider, "kong-admin");
        expect(provider.version).to.equal(KONG_PROVIDER_VERSION);
        expect(provider.inputs.kongAdminUri).to.equal("http://localhost:8001");
        expect(isSecretValue(provider.inputs.kongAdminToken)).to.equal(true);
        // terraform-provider-kong reads a plugin's strict_match false as unset and falls back to this.
        expect(provider.inputs.strictPluginsMatch).to.equal(false);
        for (const registration of registrations) {
            const leaked = JSON.stringify(registration.inputs).includes(ADMIN_TOKEN) && registration.name !== "kong-admin";
            expect(leaked, registration.name).to.equal(false);
        }
        const kongResources = registrations.filter((r) => r.type.startsWith("kong:"));
        expect(kongResources).to.have.lengthOf(7);
        expect(kongResources.every((r) => r.provider.startsWith(provider.urn))).to.equal(true);
        expect(registrations.some((r) => r.type.startsWith("kubernetes:"))).to.equal(false);
    });

    it("switches a stack between targets with one config change", async () => {
        const dev = seedConfig("dev");
        const asIngress = parseStackConfig("dev", projectConfig(dev));
        const asAdmin = parseStackConfig("dev", { ...projectConfig(dev), target: "admin" });
        const kongAdmin = { adminUri: "http://localhost:8001" };
        const ingress = await record(() => buildStack("dev", asIngress, { kongAdmin }));
        const admin = await record(() => buildStack("dev", asAdmin, { kongAdmin }));
        const routesOf = (rs: Registration[], type: string) =>
            rs.filter((r) => r.type === type).map((r) => (plainInputs(r).metadata?.name as string) ?? plainInputs(r).name);
        expect(routesOf(ingress.registrations, "kubernetes:networking.k8s.io/v1:Ingress").sort()).to.deep.equal([
            "oidcroute",
            "sampleroute",
        ]);
        expect(routesOf(admin.registrations, KONG.route).sort()).to.deep.equal(["oidcroute", "sampleroute"]);
        expect(admin.registrations.some((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")).to.equal(false);
        // The Cognito side does not move.
        const cognito = (rs: Registration[]) => rs.filter((r) => r.type.startsWith("aws:")).map((r) => [r.urn, r.inputs]);
        expect(cognito(admin.registrations)).to.deep.equal(cognito(ingress.registrations));
    });

    it("refuses the admin target without an Admin API URL, before registering anything", async () => {
        const { error, registrations } = await recordFailure(() => buildStack("admin", fixtureConfig()));
        expect(error.message).to.contain("kong:kongAdminUri = (not set): the admin target needs the Admin API URL");
        expect(registrations).to.deep.equal([]);
    });

    it("refuses a plain-http Admin API anywhere but localhost", async () => {
        const { error, registrations } = await recordFailure(() =>
            buildStack("admin", fixtureConfig(), { kongAdmin: { adminUri: "http://kong-admin.example.com:8001" } }),
        );
        expect(error.message).to.contain(
            'kong:kongAdminUri = "http://kong-admin.example.com:8001": must use https (http is allowed only for localhost)',
        );
        expect(registrations).to.deep.equal([]);
    });
});
