// The gateway target on the mock runtime: the seed's routes as HTTPRoutes attached to a Gateway,
// the same plugins and annotations as on the ingress target, cross-namespace Services through a
// ReferenceGrant, every object valid against the upstream schemas, and its own rules.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KongOidcRoute, KongOidcRouteArgs, KongProxyCache } from "../components";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import {
    childrenOf,
    itRejectsEach,
    plainInputs,
    record,
    recordFailure,
    RejectionCase,
    resolve,
    seedApiRoute,
    TEST_CLIENT_SECRET,
    TEST_DISCOVERY_URL,
    the,
    TYPES,
} from "./harness";
import { allSchemaErrors, schemaErrors } from "./schemas";

const apiRoute = seedApiRoute({ namespace: "kong", target: "gateway" });

const browserRoute: KongOidcRouteArgs = {
    target: "gateway",
    namespace: "kong",
    publicBaseUrl: "https://kong.example.com",
    path: "/sampleroute",
    mode: "browser",
    upstreamService: { name: "sample-app", port: 80 },
    oidc: {
        issuer: TEST_DISCOVERY_URL,
        clientId: "web-client-id",
        clientSecret: pulumi.secret("web-secret"),
        scopes: ["openid", "email", "profile"],
    },
    cache: { ttlSeconds: 30, contentTypes: ["text/html; charset=utf-8"] },
};

const ROUTE_LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "kong-cognito",
};

describe("KongOidcRoute (gateway target: Gateway API HTTPRoute)", () => {
    describe("an api route to an external upstream (the seed's oidcroute)", () => {
        let registrations: Registration[];
        let route: KongOidcRoute;
        before(async () => {
            ({ result: route, registrations } = await record(() => new KongOidcRoute("oidcroute", apiRoute)));
        });

        it("registers the upstream Service, the Secret, the KongPlugin and the HTTPRoute", () => {
            expect(childrenOf(registrations, TYPES.route, "oidcroute")).to.deep.equal(
                [
                    `${TYPES.httpRoute} oidcroute-httproute`,
                    `${TYPES.kongPlugin} oidcroute-oidc`,
                    `${TYPES.secret} oidcroute-oidc-config`,
                    `${TYPES.service} oidcroute-upstream`,
                ].sort(),
            );
            expect(registrations).to.have.lengthOf(5);
        });

        it("attaches an HTTPRoute to the Gateway kong with a PathPrefix match, the plugins and strip-path by annotation", () => {
            expect(plainInputs(the(registrations, TYPES.httpRoute, "oidcroute-httproute"))).to.deep.equal({
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: {
                    name: "oidcroute",
                    namespace: "kong",
                    labels: { ...ROUTE_LABELS, "kong-cognito/route": "oidcroute" },
                    annotations: {
                        "konghq.com/plugins": "oidcroute-oidc",
                        "konghq.com/strip-path": "true",
                        "konghq.com/preserve-host": "false",
                    },
                },
                spec: {
                    parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong" }],
                    rules: [
                        {
                            matches: [{ path: { type: "PathPrefix", value: "/oidcroute" } }],
                            backendRefs: [{ kind: "Service", name: "oidcroute-upstream", port: 80 }],
                        },
                    ],
                },
            });
        });

        it("reaches httpbin.org through the same ExternalName Service as the ingress target", () => {
            const service = plainInputs(the(registrations, TYPES.service, "oidcroute-upstream"));
            expect(service.metadata.annotations).to.deep.equal({ "konghq.com/protocol": "http" });
            expect(service.spec).to.deep.equal({
                type: "ExternalName",
                externalName: "httpbin.org",
                ports: [{ name: "http", port: 80, protocol: "TCP" }],
            });
        });

        it("keeps the plugin config in a labelled Secret the KongPlugin reads, never in the KongPlugin", () => {
            const secret = the(registrations, TYPES.secret, "oidcroute-oidc-config");
            expect(isSecretValue(secret.inputs.stringData)).to.equal(true);
            expect(plainInputs(secret).metadata.labels).to.deep.include({ "konghq.com/validate": "plugin", "konghq.com/secret": "true" });
            const plugin = plainInputs(the(registrations, TYPES.kongPlugin, "oidcroute-oidc"));
            expect(plugin.configFrom).to.deep.equal({ secretKeyRef: { name: "oidcroute-oidc-config", key: "config" } });
            expect(plugin).to.not.have.property("config");
            expect(JSON.stringify(registrations.map((r) => r.inputs))).to.not.contain(TEST_CLIENT_SECRET);
        });

        it("fails closed as far as ordering can: the HTTPRoute waits for the plugin and its Secret", () => {
            const httpRoute = the(registrations, TYPES.httpRoute, "oidcroute-httproute");
            const plugin = the(registrations, TYPES.kongPlugin, "oidcroute-oidc");
            const secret = the(registrations, TYPES.secret, "oidcroute-oidc-config");
            expect(httpRoute.dependencies).to.include.members([plugin.urn, secret.urn]);
            expect(httpRoute.explicitDependencies).to.include(secret.urn);
            expect(plugin.dependencies).to.include(secret.urn);
        });

        it("outputs the public URL, the HTTPRoute's name and the plugin names", async () => {
            expect(await resolve(route.url)).to.equal("https://kong.example.com/oidcroute");
            expect(await resolve(route.routeName)).to.equal("oidcroute");
            expect(await resolve(route.pluginNames)).to.deep.equal(["oidcroute-oidc"]);
            expect(route.resources.target).to.equal("gateway");
        });

        it("registers only objects the upstream schemas accept", async () => {
            expect(await allSchemaErrors(registrations)).to.deep.equal([]);
        });
    });

    describe("a browser route to an in-cluster Service with a cache (the seed's sampleroute)", () => {
        let registrations: Registration[];
        before(async () => {
            ({ registrations } = await record(() => new KongOidcRoute("sampleroute", browserRoute)));
        });

        it("attaches auth before cache and sends traffic to the Service as it is", () => {
            const httpRoute = plainInputs(the(registrations, TYPES.httpRoute, "sampleroute-httproute"));
            expect(httpRoute.metadata.annotations).to.deep.equal({
                "konghq.com/plugins": "sampleroute-oidc,sampleroute-proxycache",
                "konghq.com/strip-path": "true",
            });
            expect(httpRoute.spec.rules[0].backendRefs).to.deep.equal([{ kind: "Service", name: "sample-app", port: 80 }]);
            expect(registrations.some((r) => r.type === TYPES.service || r.type === TYPES.referenceGrant)).to.equal(false);
        });

        it("makes the cache a KongPlugin whose key varies by Authorization, and the HTTPRoute waits for it", () => {
            const cache = the(registrations, TYPES.kongPlugin, "sampleroute-cache-plugin");
            expect(plainInputs(cache).metadata.name).to.equal("sampleroute-proxycache");
            expect(plainInputs(cache).config).to.deep.include({ cache_ttl: 30, vary_headers: ["authorization"] });
            const httpRoute = the(registrations, TYPES.httpRoute, "sampleroute-httproute");
            expect(httpRoute.dependencies).to.include.members([cache.urn, the(registrations, TYPES.kongPlugin, "sampleroute-oidc").urn]);
        });

        it("registers only objects the upstream schemas accept", async () => {
            expect(await allSchemaErrors(registrations)).to.deep.equal([]);
        });
    });

    describe("a Service in another namespace", () => {
        let registrations: Registration[];
        before(async () => {
            ({ registrations } = await record(
                () =>
                    new KongOidcRoute("orders", {
                        ...browserRoute,
                        path: "/orders",
                        cache: undefined,
                        upstreamService: { name: "orders-api", namespace: "orders", port: 8080 },
                    }),
            ));
        });

        it("references the Service directly, granted by a ReferenceGrant in its namespace", () => {
            const httpRoute = plainInputs(the(registrations, TYPES.httpRoute, "orders-httproute"));
            expect(httpRoute.spec.rules[0].backendRefs).to.deep.equal([
                { kind: "Service", name: "orders-api", namespace: "orders", port: 8080 },
            ]);
            expect(plainInputs(the(registrations, TYPES.referenceGrant, "orders-backend-grant"))).to.deep.equal({
                apiVersion: "gateway.networking.k8s.io/v1beta1",
                kind: "ReferenceGrant",
                metadata: { name: "orders-backend", namespace: "orders", labels: { ...ROUTE_LABELS, "kong-cognito/route": "orders" } },
                spec: {
                    from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "kong" }],
                    to: [{ group: "", kind: "Service", name: "orders-api" }],
                },
            });
            expect(registrations.some((r) => r.type === TYPES.service)).to.equal(false);
        });

        it("creates the HTTPRoute after the grant", () => {
            const grant = the(registrations, TYPES.referenceGrant, "orders-backend-grant");
            expect(the(registrations, TYPES.httpRoute, "orders-httproute").explicitDependencies).to.include(grant.urn);
        });

        it("registers only objects the upstream schemas accept", async () => {
            expect(await allSchemaErrors(registrations)).to.deep.equal([]);
        });
    });

    it("attaches to a named Gateway elsewhere, to one of its listeners, and matches the route's host", async () => {
        const { registrations } = await record(
            () =>
                new KongOidcRoute("hosted", {
                    ...apiRoute,
                    path: "/hosted",
                    host: "kong.example.com",
                    gateway: { name: "edge", namespace: "gateways", sectionName: "https" },
                }),
        );
        const httpRoute = the(registrations, TYPES.httpRoute, "hosted-httproute");
        expect(plainInputs(httpRoute).spec.parentRefs).to.deep.equal([
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge", namespace: "gateways", sectionName: "https" },
        ]);
        expect(plainInputs(httpRoute).spec.hostnames).to.deep.equal(["kong.example.com"]);
        expect(await schemaErrors(httpRoute)).to.equal(undefined);
    });

    it("checks objects against the schemas for real: an Ingress-style path type is refused", async () => {
        const { registrations } = await record(() => new KongOidcRoute("schema", { ...apiRoute, path: "/schema" }));
        const httpRoute = the(registrations, TYPES.httpRoute, "schema-httproute");
        const broken = structuredClone(plainInputs(httpRoute));
        broken.spec.rules[0].matches[0].path.type = "Prefix";
        expect(await schemaErrors({ ...httpRoute, inputs: broken })).to.contain("path/type must be equal to one of the allowed values");
    });

    it("writes the same konghq.com annotations as the ingress target for the same route", async () => {
        const variants: Partial<KongOidcRouteArgs>[] = [
            {},
            { stripPath: false },
            { protocols: ["https"] },
            { upstreamUrl: undefined, upstreamService: { name: "api", port: 8080 } },
            { extraPlugins: ["rate-limit"] },
        ];
        for (const [index, variant] of variants.entries()) {
            const args = { ...apiRoute, path: `/v${index}`, ...variant };
            const { registrations: gw } = await record(() => new KongOidcRoute(`gw${index}`, args));
            const { registrations: ing } = await record(() => new KongOidcRoute(`ing${index}`, { ...args, target: "ingress" }));
            const annotations = (rs: Registration[], type: string, name: string) =>
                Object.entries(plainInputs(the(rs, type, name)).metadata.annotations as Record<string, string>).map(([k, v]) => [
                    k,
                    v.replace(/gw\d|ing\d/g, "ROUTE"),
                ]);
            expect(annotations(gw, TYPES.httpRoute, `gw${index}-httproute`), JSON.stringify(variant)).to.deep.equal(
                annotations(ing, TYPES.ingress, `ing${index}-ingress`),
            );
        }
    });

    it("places a standalone KongProxyCache as a KongPlugin in the namespace", async () => {
        const { result, registrations } = await record(
            () => new KongProxyCache("shared-cache", { target: "gateway", namespace: "apps", ttlSeconds: 60 }),
        );
        const plugin = plainInputs(the(registrations, TYPES.kongPlugin, "shared-cache-plugin"));
        expect(plugin.metadata).to.deep.include({ name: "shared-cache", namespace: "apps" });
        expect(plugin.config).to.deep.include({ cache_ttl: 60, vary_headers: ["authorization"] });
        expect(result.resources.target).to.equal("gateway");
    });

    describe("rejects what the gateway target cannot build, registering nothing", () => {
        const cases: RejectionCase<KongOidcRouteArgs>[] = [
            ["a route without a namespace", { ...apiRoute, namespace: undefined }, "namespace", "the gateway target needs the namespace"],
            [
                "an Ingress TLS Secret (TLS belongs to the Gateway's listener)",
                { ...apiRoute, host: "kong.example.com", tlsSecretName: "kong-tls" },
                "tlsSecretName",
                "applies to the ingress target only",
            ],
            ["a Gateway name Kubernetes refuses", { ...apiRoute, gateway: { name: "Edge_GW" } }, "gateway.name", "DNS-1123 subdomain"],
            [
                "a Gateway namespace Kubernetes refuses",
                { ...apiRoute, gateway: { namespace: "Gate.ways" } },
                "gateway.namespace",
                "DNS-1123 label",
            ],
            [
                "a listener name Kubernetes refuses",
                { ...apiRoute, gateway: { sectionName: "HTTPS" } },
                "gateway.sectionName",
                "DNS-1123 subdomain",
            ],
            ["a path with an empty segment", { ...apiRoute, path: "/a//b" }, "path", 'must not contain "//"'],
            ["a path with a dot-dot segment", { ...apiRoute, path: "/a/../b" }, "path", 'must not contain a ".." segment'],
            ["a path with an encoded slash", { ...apiRoute, path: "/a%2Fb" }, "path", "encoded"],
            ["a stray percent sign", { ...apiRoute, path: "/100%" }, "path", "percent-encoding"],
        ];
        itRejectsEach(cases, (args) => new KongOidcRoute("bad", args));

        it("refuses a Gateway reference on another target instead of dropping it", async () => {
            const { registrations: none, error } = await recordFailure(
                () => new KongOidcRoute("bad", { ...apiRoute, target: "ingress", gateway: { name: "edge" } }),
            );
            expect(error.message).to.contain('gateway = {"name":"edge"}: applies to the gateway target only');
            expect(none).to.deep.equal([]);
        });
    });
});
