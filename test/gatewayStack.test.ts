// A stack on the gateway target (test/fixtures/seed/Pulumi.gateway.yaml): the seed's routes as
// HTTPRoutes on a Gateway the stack creates, the Gateway itself, the KongGateway component on its
// own, and the config rules of the gateway keys.
import { expect } from "chai";
import { KongGateway } from "../components";
import { KongCognitoInputError } from "../components/validation";
import { parseStackConfig, projectConfig, StackConfig } from "../stacks/config";
import { buildStack } from "../stacks/stack";
import { Registration } from "../tools/shared/mockRuntime";
import { itRejectsEach, plainInputs, record, recordFailure, RejectionCase, seedConfig, the, TYPES } from "./harness";
import { allSchemaErrors } from "./schemas";

function gatewayConfig(): StackConfig {
    return parseStackConfig("gateway", projectConfig(seedConfig("gateway")));
}

const LABELS = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "kong-cognito" };

describe("gateway stack (test/fixtures/seed/Pulumi.gateway.yaml)", () => {
    let registrations: Registration[];
    before(async () => {
        ({ registrations } = await record(() => buildStack("gateway", gatewayConfig())));
    });

    it("creates the Gateway, and each seed route as an HTTPRoute with its plugins", () => {
        expect(
            registrations
                .filter((r) => r.type.startsWith("kubernetes:") || r.type === "kong-cognito:index:KongGateway")
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).to.deep.equal(
            [
                "kong-cognito:index:KongGateway gateway",
                `${TYPES.gateway} gateway-gateway`,
                `${TYPES.service} oidcroute-upstream`,
                `${TYPES.secret} oidcroute-oidc-config`,
                `${TYPES.kongPlugin} oidcroute-oidc`,
                `${TYPES.httpRoute} oidcroute-httproute`,
                `${TYPES.secret} sampleroute-oidc-config`,
                `${TYPES.kongPlugin} sampleroute-oidc`,
                `${TYPES.kongPlugin} sampleroute-cache-plugin`,
                `${TYPES.referenceGrant} sampleroute-backend-grant`,
                `${TYPES.httpRoute} sampleroute-httproute`,
            ].sort(),
        );
    });

    it("gives the Gateway an HTTPS listener for the public host that admits the routes' namespace", () => {
        expect(plainInputs(the(registrations, TYPES.gateway, "gateway-gateway"))).to.deep.equal({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: "kong", namespace: "kong-gateway", labels: LABELS },
            spec: {
                gatewayClassName: "kong",
                listeners: [
                    {
                        name: "https",
                        protocol: "HTTPS",
                        port: 443,
                        hostname: "kong.dev.example.com",
                        allowedRoutes: {
                            namespaces: {
                                from: "Selector",
                                selector: {
                                    matchExpressions: [
                                        { key: "kubernetes.io/metadata.name", operator: "In", values: ["kong-gateway", "kong"] },
                                    ],
                                },
                            },
                        },
                        tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "kong-dev-tls" }] },
                    },
                ],
            },
        });
    });

    it("attaches every HTTPRoute to that Gateway and creates it after the Gateway", () => {
        const gateway = the(registrations, TYPES.gateway, "gateway-gateway");
        for (const route of ["oidcroute", "sampleroute"]) {
            const httpRoute = the(registrations, TYPES.httpRoute, `${route}-httproute`);
            expect(plainInputs(httpRoute).spec.parentRefs, route).to.deep.equal([
                { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong", namespace: "kong-gateway" },
            ]);
            expect(httpRoute.dependencies, route).to.include(gateway.urn);
        }
    });

    it("grants the browser route its Service in the web namespace", () => {
        const grant = plainInputs(the(registrations, TYPES.referenceGrant, "sampleroute-backend-grant"));
        expect(grant.metadata.namespace).to.equal("web");
        expect(grant.spec.to).to.deep.equal([{ group: "", kind: "Service", name: "web" }]);
        expect(plainInputs(the(registrations, TYPES.httpRoute, "sampleroute-httproute")).spec.rules[0].backendRefs).to.deep.equal([
            { kind: "Service", name: "web", namespace: "web", port: 80 },
        ]);
    });

    it("registers only Kubernetes objects the upstream schemas accept", async () => {
        expect(await allSchemaErrors(registrations)).to.deep.equal([]);
    });

    it("creates the GatewayClass KIC serves when asked", async () => {
        const { registrations: rs } = await record(() => buildStack("gateway", { ...gatewayConfig(), createGatewayClass: true }));
        const gatewayClass = the(rs, TYPES.gatewayClass, "gateway-class");
        expect(plainInputs(gatewayClass)).to.deep.equal({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "GatewayClass",
            metadata: { name: "kong", labels: LABELS, annotations: { "konghq.com/gatewayclass-unmanaged": "true" } },
            spec: { controllerName: "konghq.com/kic-gateway-controller" },
        });
        expect(the(rs, TYPES.gateway, "gateway-gateway").dependencies).to.include(gatewayClass.urn);
        expect(await allSchemaErrors(rs)).to.deep.equal([]);
    });

    it("attaches to an existing Gateway by default: no Gateway registered, the routes name kong in their namespace", async () => {
        const config = { ...gatewayConfig(), createGateway: undefined, gatewayNamespace: undefined, gatewayTlsSecretName: undefined };
        const { registrations: rs } = await record(() => buildStack("gateway", config));
        expect(rs.some((r) => r.type === TYPES.gateway)).to.equal(false);
        expect(plainInputs(the(rs, TYPES.httpRoute, "oidcroute-httproute")).spec.parentRefs).to.deep.equal([
            { group: "gateway.networking.k8s.io", kind: "Gateway", name: "kong" },
        ]);
    });

    describe("bad gateway config registers nothing and names the config key", () => {
        // The seed is parsed in each test, not while mocha collects them: a broken parser fails the tests, not the file's loading.
        const cases: [string, Partial<StackConfig> | ((config: StackConfig) => Partial<StackConfig>), string][] = [
            [
                "a Gateway name on the ingress target",
                {
                    target: "ingress",
                    createGateway: undefined,
                    gatewayNamespace: undefined,
                    gatewayTlsSecretName: undefined,
                    gatewayName: "edge",
                },
                'kong-cognito:gatewayName = "edge": applies to the gateway target only (kong-cognito:target is ingress)',
            ],
            [
                "createGateway on the admin target",
                { target: "admin", gatewayNamespace: undefined, gatewayTlsSecretName: undefined },
                "kong-cognito:createGateway = true: applies to the gateway target only (kong-cognito:target is admin)",
            ],
            [
                "a Gateway namespace on the ingress target",
                { target: "ingress", createGateway: undefined, gatewayTlsSecretName: undefined },
                'kong-cognito:gatewayNamespace = "kong-gateway": applies to the gateway target only (kong-cognito:target is ingress)',
            ],
            [
                "a GatewayClass for a Gateway the stack does not create",
                { createGateway: false, gatewayTlsSecretName: undefined, createGatewayClass: true },
                "kong-cognito:createGatewayClass = true: applies only to a Gateway the stack creates",
            ],
            [
                "a listener certificate for a Gateway the stack does not create",
                { createGateway: false },
                'kong-cognito:gatewayTlsSecretName = "kong-dev-tls": applies only to a Gateway the stack creates',
            ],
            [
                "a Gateway name Kubernetes refuses",
                { gatewayName: "Edge" },
                'kong-cognito:gatewayName = "Edge": must be a DNS-1123 subdomain',
            ],
            [
                "a Gateway namespace Kubernetes refuses",
                { gatewayNamespace: "kong_gateway" },
                'kong-cognito:gatewayNamespace = "kong_gateway": must be a DNS-1123 label',
            ],
            [
                "a GatewayClass name Kubernetes refuses",
                { gatewayClassName: "Kong" },
                'kong-cognito:gatewayClassName = "Kong": must be a DNS-1123 subdomain',
            ],
            [
                "an Ingress TLS Secret on a route",
                (config) => ({ routes: [{ ...config.routes[0], host: "kong.dev.example.com", tlsSecretName: "t" }, config.routes[1]] }),
                'kong-cognito:routes[0].tlsSecretName = "t": applies to the ingress target only',
            ],
        ];
        for (const [what, change, message] of cases) {
            it(`rejects ${what}`, async () => {
                const config = gatewayConfig();
                const { error, registrations: rs } = await recordFailure(() =>
                    buildStack("gateway", { ...config, ...(typeof change === "function" ? change(config) : change) } as StackConfig),
                );
                expect(error).to.be.instanceOf(KongCognitoInputError);
                expect(error.message).to.contain(message);
                expect(rs).to.deep.equal([]);
            });
        }
    });
});

describe("KongGateway", () => {
    it("listens for HTTP on port 80 in its own namespace by default, for the public host", async () => {
        const { result, registrations } = await record(
            () => new KongGateway("kong", { namespace: "kong", publicBaseUrl: "https://kong.example.com" }),
        );
        expect(plainInputs(the(registrations, TYPES.gateway, "kong-gateway")).spec).to.deep.equal({
            gatewayClassName: "kong",
            listeners: [
                { name: "http", protocol: "HTTP", port: 80, hostname: "kong.example.com", allowedRoutes: { namespaces: { from: "Same" } } },
            ],
        });
        expect(result.listener).to.deep.equal({ name: "http", protocol: "HTTP", port: 80 });
        expect(registrations.some((r) => r.type === TYPES.gatewayClass)).to.equal(false);
        expect(await allSchemaErrors(registrations)).to.deep.equal([]);
    });

    it("accepts any host when the public host is an IP address, which a listener cannot name", async () => {
        const { registrations } = await record(
            () => new KongGateway("local", { namespace: "kong", publicBaseUrl: "http://127.0.0.1:8000", port: 8000 }),
        );
        const listener = plainInputs(the(registrations, TYPES.gateway, "local-gateway")).spec.listeners[0];
        expect(listener).to.not.have.property("hostname");
        expect(listener.port).to.equal(8000);
    });

    const cases: RejectionCase<ConstructorParameters<typeof KongGateway>[1]>[] = [
        ["a namespace Kubernetes refuses", { namespace: "Kong", publicBaseUrl: "https://k.example.com" }, "namespace", "DNS-1123 label"],
        ["a plain-http public URL", { namespace: "kong", publicBaseUrl: "http://k.example.com" }, "publicBaseUrl", "must use https"],
        ["a port out of range", { namespace: "kong", publicBaseUrl: "https://k.example.com", port: 70000 }, "port", "port number"],
        [
            "a TLS Secret name Kubernetes refuses",
            { namespace: "kong", publicBaseUrl: "https://k.example.com", tlsSecretName: "TLS" },
            "tlsSecretName",
            "DNS-1123 subdomain",
        ],
    ];
    itRejectsEach(cases, (args) => new KongGateway("bad", args));
});
