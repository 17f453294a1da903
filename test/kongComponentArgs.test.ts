// The args rules of KongJwtConsumer and KongGateway at their edges (both sides of each bound),
// Outputs left to deploy time, and the message naming every target an arg belongs to; KongProxyCache
// as its users read it.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KongGateway, KongGatewayArgs, KongJwtConsumer, KongJwtConsumerArgs, KongOidcRoute, KongProxyCache } from "../components";
import { defaultUsername } from "../components/kong/jwtConsumer";
import { childrenOf, itRejectsEach, plainInputs, record, recordFailure, resolve, seedApiRoute, TEST_ISSUER, the, TYPES } from "./harness";

const ISSUER = TEST_ISSUER;
const consumerArgs: KongJwtConsumerArgs = { target: "ingress", issuer: ISSUER, namespace: "kong" };
const gatewayArgs: KongGatewayArgs = { namespace: "kong", publicBaseUrl: "https://kong.example.com" };

describe("KongJwtConsumer args", () => {
    it("names the pool's consumer after the user pool id, a trailing slash of the issuer left out", () => {
        expect(defaultUsername(ISSUER)).to.equal("cognito-us-east-1_TEST");
        expect(defaultUsername(`${ISSUER}/`)).to.equal("cognito-us-east-1_TEST");
        expect(defaultUsername("https://idp.example.com")).to.equal("cognito-idp.example.com");
    });

    it("takes from 1 to 10 credential slots", async () => {
        for (const keySlots of [1, 10]) {
            const { result } = await record(() => new KongJwtConsumer(`slots-${keySlots}`, { ...consumerArgs, keySlots }));
            expect(result.resources.target === "ingress" && result.resources.keySecrets).to.have.lengthOf(keySlots);
        }
    });

    it("leaves a namespace and a username known only at deploy time to Kubernetes and Kong", async () => {
        const { result, registrations } = await record(
            () =>
                new KongJwtConsumer("deferred", {
                    ...consumerArgs,
                    namespace: pulumi.output("kong"),
                    username: pulumi.output("pool-consumer"),
                }),
        );
        expect(await resolve(result.username)).to.equal("pool-consumer");
        expect(plainInputs(the(registrations, TYPES.secret, "deferred-acl")).metadata.namespace).to.equal("kong");
    });

    itRejectsEach<KongJwtConsumerArgs>(
        [
            ["11 credential slots", { ...consumerArgs, keySlots: 11 }, "keySlots", "must be a whole number from 1 to 10"],
            ["a fraction of a slot", { ...consumerArgs, keySlots: 1.5 }, "keySlots", "must be a whole number from 1 to 10"],
            ["a namespace Kubernetes refuses", { ...consumerArgs, namespace: "Kong" }, "namespace", "DNS-1123 label"],
        ],
        (args) => new KongJwtConsumer("cognito-jwt", args),
    );
});

describe("KongGateway args", () => {
    it("registers its GatewayClass under itself when it creates one", async () => {
        const { registrations } = await record(() => new KongGateway("edge", { ...gatewayArgs, createClass: true }));
        expect(childrenOf(registrations, "kong-cognito:index:KongGateway", "edge")).to.deep.equal(
            [`${TYPES.gateway} edge-gateway`, `${TYPES.gatewayClass} edge-class`].sort(),
        );
    });

    it("admits the routes of the namespaces named, its own once, a namespace known at deploy time among them", async () => {
        const { registrations } = await record(
            () => new KongGateway("shared", { ...gatewayArgs, routeNamespaces: ["apps", pulumi.output("kong"), "orders"] }),
        );
        const listener = plainInputs(the(registrations, TYPES.gateway, "shared-gateway")).spec.listeners[0];
        expect(listener.allowedRoutes).to.deep.equal({
            namespaces: {
                from: "Selector",
                selector: {
                    matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["kong", "apps", "orders"] }],
                },
            },
        });
    });

    it("names itself, the property, its value and the rule in its error", async () => {
        const { error } = await recordFailure(() => new KongGateway("bad", { ...gatewayArgs, gatewayName: "Bad_Name" }));
        expect(error.message).to.equal(
            'KongGateway "bad": invalid input\n' +
                '  - gatewayName = "Bad_Name": must be a DNS-1123 subdomain: lowercase letters, digits, inner hyphens and dots, at most 253 characters',
        );
    });

    it("takes listener ports 1 and 65535, and refuses 0, 65536 and a fraction", async () => {
        for (const port of [1, 65535]) {
            const { registrations } = await record(() => new KongGateway(`port-${port}`, { ...gatewayArgs, port }));
            expect(plainInputs(the(registrations, TYPES.gateway, `port-${port}-gateway`)).spec.listeners[0].port).to.equal(port);
        }
        for (const port of [0, 65536, 80.5]) {
            const { error } = await recordFailure(() => new KongGateway("bad", { ...gatewayArgs, port }));
            expect(error.message).to.equal(`KongGateway "bad": invalid input\n  - port = ${port}: must be a port number from 1 to 65535`);
        }
    });

    it("refuses a public URL with a path, and none at all (a program in another language may leave it out)", async () => {
        const withPath = await recordFailure(
            () => new KongGateway("bad", { ...gatewayArgs, publicBaseUrl: "https://kong.example.com/base" }),
        );
        expect(withPath.error.message).to.contain(
            '  - publicBaseUrl = "https://kong.example.com/base": must be a base URL without path or query, such as https://kong.example.com',
        );
        const missing = await recordFailure(() => new KongGateway("bad", { namespace: "kong" } as KongGatewayArgs));
        expect(missing.error.message).to.contain('  - publicBaseUrl = "": must be an absolute URL such as https://kong.example.com');
    });

    it("names no listener hostname for an IPv6 address, and takes a namespace that is an Output", async () => {
        const { registrations } = await record(
            () => new KongGateway("v6", { namespace: pulumi.output("kong"), publicBaseUrl: "http://[::1]:8000", port: 8000 }),
        );
        const gateway = plainInputs(the(registrations, TYPES.gateway, "v6-gateway"));
        expect(gateway.metadata.namespace).to.equal("kong");
        expect(gateway.spec.listeners).to.deep.equal([
            { name: "http", protocol: "HTTP", port: 8000, allowedRoutes: { namespaces: { from: "Same" } } },
        ]);
    });

    it("gives its GatewayClass when it made one, and undefined when it did not", async () => {
        const made = await record(() => new KongGateway("edge", { ...gatewayArgs, createClass: true }));
        expect(made.result.gatewayClass).to.not.equal(undefined);
        expect(await resolve(made.result.gatewayClass!.urn)).to.equal(the(made.registrations, TYPES.gatewayClass, "edge-class").urn);
        const { result: shared } = await record(() => new KongGateway("shared", gatewayArgs));
        expect(shared.gatewayClass).to.equal(undefined);
    });

    itRejectsEach<KongGatewayArgs>(
        [
            [
                "a route namespace Kubernetes refuses, by its index",
                { ...gatewayArgs, routeNamespaces: ["apps", "Orders"] },
                "routeNamespaces[1]",
                "DNS-1123 label",
            ],
            [
                "no namespace",
                { publicBaseUrl: "https://kong.example.com" } as KongGatewayArgs,
                "namespace",
                "is required: the Gateway's namespace",
            ],
        ],
        (args) => new KongGateway("bad", args),
    );
});

describe("args meant for another target", () => {
    it("are refused by value, or as an Output when known only at deploy time", async () => {
        const { error, registrations } = await recordFailure(
            () => new KongProxyCache("mixed", { target: "admin", routeId: "route-1", namespace: pulumi.output("kong") }),
        );
        expect(error.message).to.contain(`namespace = "(an Output)": applies to the ingress and gateway targets only`);
        expect(registrations).to.deep.equal([]);
    });
});

describe("KongProxyCache as its users read it", () => {
    it("tells its plugin and the config Kong receives: proxy-cache in memory, proxy-cache-advanced with Redis", async () => {
        const { result: memory, registrations } = await record(
            () => new KongProxyCache("memory", { target: "gateway", namespace: "apps" }),
        );
        expect(memory.plugin).to.equal("proxy-cache");
        expect(memory.config).to.deep.equal(plainInputs(the(registrations, TYPES.kongPlugin, "memory-plugin")).config);
        const { result: redis } = await record(
            () => new KongProxyCache("redis", { target: "admin", serviceId: "svc-1", redis: { host: "redis.kong.svc" } }),
        );
        expect(redis.plugin).to.equal("proxy-cache-advanced");
        expect(redis.config).to.deep.include({ strategy: "redis" });
    });

    itRejectsEach<ConstructorParameters<typeof KongProxyCache>[1]>(
        [
            ["an unknown target", { target: "nope" as never, namespace: "apps" }, "target", "must be one of ingress, gateway, admin"],
            ["a Redis port out of range", { namespace: "apps", redis: { host: "redis.kong.svc", port: 0 } }, "redis.port", "port number"],
        ],
        (args) => new KongProxyCache("bad-cache", args),
    );

    it("names itself in its error, then each property with its value and the rule", async () => {
        const { error } = await recordFailure(() => new KongProxyCache("misplaced", { target: "ingress" }));
        expect(error.message).to.equal(
            'KongProxyCache "misplaced": invalid input\n' +
                "  - namespace = (not set): the ingress target needs the namespace of the Ingress or Service it caches",
        );
    });
});

describe("KongOidcRoute's openid-connect config", () => {
    it("asks for the openid scope when the IdP names none", async () => {
        const args = seedApiRoute({ namespace: "kong", path: "/default-scopes" });
        const { registrations } = await record(
            () => new KongOidcRoute("default-scopes", { ...args, oidc: { ...args.oidc, scopes: undefined, requiredScopes: undefined } }),
        );
        const config = JSON.parse(plainInputs(the(registrations, TYPES.secret, "default-scopes-oidc-config")).stringData.config);
        expect(config.scopes).to.deep.equal(["openid"]);
        expect(config).to.not.have.property("scopes_required");
    });
});
