// The seed's dev and prod stacks end to end on the mock runtime (test/fixtures/seed): every
// resource, the prod guard rails, secret outputs, and bad config failing before anything exists.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, projectConfig, StackConfig } from "../stacks/config";
import { readStackConfig } from "../stacks/program";
import { buildStack, StackOutputs } from "../stacks/stack";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import { plainInputs, record, recordFailure, resolve, SeedStack, seedConfig, the, TYPES } from "./harness";
import { allSchemaErrors } from "./schemas";

function configOf(stack: SeedStack): StackConfig {
    return parseStackConfig(stack, projectConfig(seedConfig(stack)));
}

/** Every path in the inputs where `needle` appears outside a secret marker. */
function unmarkedOccurrences(value: unknown, needle: RegExp, path = ""): string[] {
    if (isSecretValue(value)) {
        return [];
    }
    if (typeof value === "string") {
        return needle.test(value) ? [path] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => unmarkedOccurrences(v, needle, `${path}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => unmarkedOccurrences(v, needle, path ? `${path}.${k}` : k));
    }
    return [];
}

const MOCK_SECRET = /mock-secret-/;

/** The object that routes on each Kong Ingress Controller target. */
const ROUTING = {
    ingress: { type: TYPES.ingress, suffix: "ingress", kind: "Ingress" },
    gateway: { type: TYPES.httpRoute, suffix: "httproute", kind: "HTTPRoute" },
} as const;

describe("stacks", () => {
    // The seed's dev stack on both KIC targets: one key apart, the same route-level guarantees.
    for (const target of ["ingress", "gateway"] as const) {
        const routing = ROUTING[target];
        describe(target === "ingress" ? "dev" : "dev, switched to the gateway target", () => {
            let registrations: Registration[];
            let outputs: StackOutputs;
            before(async () => {
                ({ result: outputs, registrations } = await record(() => buildStack("dev", { ...configOf("dev"), target })));
            });

            it("creates the IdP, both seed routes with their plugins, and the sample app", () => {
                expect(registrations.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
                    [
                        `${TYPES.idp} cognito`,
                        `${TYPES.userPool} cognito-pool`,
                        `${TYPES.client} cognito-web-client`,
                        `${TYPES.client} cognito-machine-client`,
                        `${TYPES.resourceServer} cognito-resource-server`,
                        `${TYPES.domain} cognito-domain`,
                        "kong-cognito:stacks:SampleApp sample-app",
                        `${TYPES.deployment} sample-app-deployment`,
                        `${TYPES.service} sample-app-service`,
                        `${TYPES.route} oidcroute`,
                        `${TYPES.service} oidcroute-upstream`,
                        `${TYPES.secret} oidcroute-oidc-config`,
                        `${TYPES.kongPlugin} oidcroute-oidc`,
                        `${routing.type} oidcroute-${routing.suffix}`,
                        `${TYPES.route} sampleroute`,
                        `${TYPES.secret} sampleroute-oidc-config`,
                        `${TYPES.kongPlugin} sampleroute-oidc`,
                        `${TYPES.cache} sampleroute-cache`,
                        `${TYPES.kongPlugin} sampleroute-cache-plugin`,
                        `${routing.type} sampleroute-${routing.suffix}`,
                        "random:index/randomBytes:RandomBytes sampleroute-session-secret",
                    ].sort(),
                );
            });

            it("uses the seed's names: kongpool, kong-api, kongresource/scope1", () => {
                expect(plainInputs(the(registrations, TYPES.userPool, "cognito-pool")).name).to.equal("kongpool");
                expect(plainInputs(the(registrations, TYPES.client, "cognito-web-client")).name).to.equal("kong-api");
                expect(plainInputs(the(registrations, TYPES.client, "cognito-machine-client")).allowedOauthScopes).to.deep.equal([
                    "http://kongresource/scope1",
                ]);
                expect(plainInputs(the(registrations, TYPES.domain, "cognito-domain")).domain).to.equal("kongidp-dev");
            });

            it("registers the browser route's URL as the web client's only callback", () => {
                expect(plainInputs(the(registrations, TYPES.client, "cognito-web-client")).callbackUrls).to.deep.equal([
                    "https://kong.dev.example.com/sampleroute",
                ]);
            });

            it("signs out through the hosted domain's /logout, as the web client, to a logout URL the web client registers", async () => {
                const webId = await resolve(outputs.webClientId!);
                const browser = JSON.parse(plainInputs(the(registrations, TYPES.secret, "sampleroute-oidc-config")).stringData.config);
                const endSession = new URL(browser.end_session_endpoint);
                expect(`${endSession.origin}${endSession.pathname}`).to.equal(
                    "https://kongidp-dev.auth.us-east-1.amazoncognito.com/logout",
                );
                expect(endSession.searchParams.get("client_id")).to.equal(webId);
                // Cognito's /logout redirects only to an allowed sign-out URL of that client.
                const logoutUrls = plainInputs(the(registrations, TYPES.client, "cognito-web-client")).logoutUrls;
                expect(logoutUrls).to.deep.equal([endSession.searchParams.get("logout_uri")]);
            });

            it("binds oidcroute to the machine client and sampleroute to the web client, both at the pool's discovery URL", async () => {
                const discovery = await resolve(outputs.discoveryUrl);
                const machineId = await resolve(outputs.machineClientId);
                const webId = await resolve(outputs.webClientId!);
                const api = JSON.parse(plainInputs(the(registrations, TYPES.secret, "oidcroute-oidc-config")).stringData.config);
                const browser = JSON.parse(plainInputs(the(registrations, TYPES.secret, "sampleroute-oidc-config")).stringData.config);
                expect(api).to.deep.include({ issuer: discovery, client_id: [machineId], auth_methods: ["bearer", "client_credentials"] });
                expect(browser).to.deep.include({ issuer: discovery, client_id: [webId], auth_methods: ["authorization_code", "session"] });
            });

            it(`passes a route's protocols from config to its ${routing.kind}`, async () => {
                const config = configOf("dev");
                const tlsOnly = { ...config, target, routes: [{ ...config.routes[0], protocols: ["https"] }, config.routes[1]] };
                const { registrations: rs } = await record(() => buildStack("dev", tlsOnly));
                expect(
                    plainInputs(the(rs, routing.type, `oidcroute-${routing.suffix}`)).metadata.annotations["konghq.com/protocols"],
                ).to.equal("https");
            });

            it(`attaches each route's auth plugin before its cache, strips the path, and creates the ${routing.kind} after them`, () => {
                const sample = the(registrations, routing.type, `sampleroute-${routing.suffix}`);
                expect(plainInputs(sample).metadata.annotations).to.deep.include({
                    "konghq.com/plugins": "sampleroute-oidc,sampleroute-proxycache",
                    "konghq.com/strip-path": "true",
                });
                expect(sample.dependencies).to.include.members(
                    ["sampleroute-oidc-config", "sampleroute-oidc"].map((name) => registrations.find((r) => r.name === name)!.urn),
                );
                expect(sample.dependencies).to.include(the(registrations, TYPES.kongPlugin, "sampleroute-cache-plugin").urn);
                const api = the(registrations, routing.type, `oidcroute-${routing.suffix}`);
                expect(plainInputs(api).metadata.annotations).to.deep.include({
                    "konghq.com/plugins": "oidcroute-oidc",
                    "konghq.com/preserve-host": "false",
                });
                expect(plainInputs(the(registrations, TYPES.kongPlugin, "sampleroute-cache-plugin")).config.vary_headers).to.deep.equal([
                    "authorization",
                ]);
            });

            it("registers only Kubernetes objects the upstream schemas accept", async () => {
                expect(await allSchemaErrors(registrations)).to.deep.equal([]);
            });

            it("lets dev pools be torn down", () => {
                const pool = the(registrations, TYPES.userPool, "cognito-pool");
                expect(pool.protect).to.equal(false);
                expect(plainInputs(pool).deletionProtection).to.equal("INACTIVE");
            });

            it("starts the sample route only after the sample app", () => {
                const route = the(registrations, routing.type, `sampleroute-${routing.suffix}`);
                const service = the(registrations, TYPES.service, "sample-app-service");
                const component = the(registrations, TYPES.route, "sampleroute");
                expect(component.dependencies).to.include(service.urn);
                expect(route.parent).to.equal(component.urn);
            });

            it("outputs the issuer, token endpoint, route URLs and client ids", async () => {
                expect(await resolve(outputs.issuerUrl)).to.match(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/);
                expect(await resolve(outputs.tokenEndpoint)).to.equal("https://kongidp-dev.auth.us-east-1.amazoncognito.com/oauth2/token");
                expect(await resolve(outputs.routes)).to.deep.equal([
                    {
                        name: "oidcroute",
                        url: "https://kong.dev.example.com/oidcroute",
                        mode: "api",
                        authMethods: ["bearer", "client_credentials"],
                        authPlugin: "openid-connect",
                        upstream: "http://httpbin.org",
                    },
                    {
                        name: "sampleroute",
                        url: "https://kong.dev.example.com/sampleroute",
                        mode: "browser",
                        authMethods: ["authorization_code", "session"],
                        authPlugin: "openid-connect",
                        upstream: "Service kong/sample-app port 80 (the sample app, deployed by this stack)",
                        logoutUrl: "https://kong.dev.example.com/sampleroute/logout",
                        logoutMethods: ["POST", "DELETE"],
                        signedOutUrl: "https://kong.dev.example.com/sampleroute",
                        cacheTtlSeconds: 30,
                    },
                ]);
            });

            it("outputs the client secrets as secrets and nothing else as secret", async () => {
                expect(await pulumi.isSecret(outputs.webClientSecret!)).to.equal(true);
                expect(await pulumi.isSecret(outputs.machineClientSecret)).to.equal(true);
                expect(await pulumi.isSecret(outputs.issuerUrl)).to.equal(false);
                expect(await resolve(outputs.machineClientSecret)).to.match(MOCK_SECRET);
            });

            it("never passes a client secret to any resource outside a secret", () => {
                const carriers = registrations.filter((r) => JSON.stringify(r.inputs).match(MOCK_SECRET));
                // The api route's plugin never authenticates as the client, so only the browser route carries a client secret.
                expect(carriers.map((r) => r.name).sort()).to.deep.equal(["sampleroute-oidc-config"]);
                for (const registration of registrations) {
                    expect(unmarkedOccurrences(registration.inputs, MOCK_SECRET), registration.name).to.deep.equal([]);
                }
            });
        });
    }

    it("switches dev between ingress and gateway with one key: only the routing objects differ", async () => {
        const { registrations: ingress } = await record(() => buildStack("dev", configOf("dev")));
        const { registrations: gateway } = await record(() => buildStack("dev", { ...configOf("dev"), target: "gateway" }));
        const routingTypes: string[] = [TYPES.ingress, TYPES.httpRoute];
        const shared = (rs: Registration[]) =>
            rs
                .filter((r) => !routingTypes.includes(r.type))
                .map((r) => ({ type: r.type, name: r.name, inputs: plainInputs(r) }))
                .sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
        expect(shared(gateway)).to.deep.equal(shared(ingress));
        expect(ingress.filter((r) => routingTypes.includes(r.type)).map((r) => r.type)).to.deep.equal([TYPES.ingress, TYPES.ingress]);
        expect(gateway.filter((r) => routingTypes.includes(r.type)).map((r) => r.type)).to.deep.equal([TYPES.httpRoute, TYPES.httpRoute]);
    });

    describe("prod", () => {
        let registrations: Registration[];
        before(async () => {
            ({ registrations } = await record(() => buildStack("prod", configOf("prod"))));
        });

        it("protects the pool twice: Pulumi protect and Cognito deletion protection", () => {
            const pool = the(registrations, TYPES.userPool, "cognito-pool");
            expect(pool.protect).to.equal(true);
            expect(plainInputs(pool).deletionProtection).to.equal("ACTIVE");
            expect(plainInputs(pool).mfaConfiguration).to.equal("ON");
        });

        it("verifies TLS to Cognito on every route and calls httpbin over https", () => {
            for (const route of ["oidcroute", "sampleroute"]) {
                const config = JSON.parse(plainInputs(the(registrations, TYPES.secret, `${route}-oidc-config`)).stringData.config);
                expect(config.ssl_verify, route).to.equal(true);
            }
            const upstream = plainInputs(the(registrations, TYPES.service, "oidcroute-upstream"));
            expect(upstream.spec.ports).to.deep.equal([{ name: "https", port: 443, protocol: "TCP" }]);
        });

        it("has its own domain prefix and no sample app", () => {
            expect(plainInputs(the(registrations, TYPES.domain, "cognito-domain")).domain).to.equal("kongidp");
            expect(registrations.some((r) => r.type === TYPES.deployment)).to.equal(false);
            expect(registrations).to.have.lengthOf(19);
        });
    });

    describe("config", () => {
        it("reads the running stack's config from the Pulumi runtime", () => {
            const previous = pulumi.runtime.allConfig();
            try {
                pulumi.runtime.setAllConfig(seedConfig("dev"));
                expect(readStackConfig()).to.deep.equal(configOf("dev"));
            } finally {
                pulumi.runtime.setAllConfig(previous);
            }
        });

        it("names an unknown key and lists the known ones", () => {
            expect(() => parseStackConfig("dev", { domainprefix: "kongidp" })).to.throw(
                /kong-cognito:domainprefix = "kongidp": is not a kong-cognito setting \(known: target, namespace, publicBaseUrl/,
            );
        });

        it("names a value of the wrong type", () => {
            const raw = { publicBaseUrl: "https://k.example.com", domainPrefix: "k", routes: "[]", refreshTokenValidityDays: '"thirty"' };
            expect(() => parseStackConfig("dev", raw)).to.throw(
                /kong-cognito:refreshTokenValidityDays = "thirty": Invalid input: expected number/,
            );
        });

        it("requires at least one route", () => {
            expect(() => parseStackConfig("dev", { publicBaseUrl: "https://k.example.com", domainPrefix: "k", routes: "[]" })).to.throw(
                /kong-cognito:routes = \[\]: must declare at least one route/,
            );
        });
    });

    describe("bad config registers nothing and names the config key", () => {
        const dev = () => configOf("dev");
        const cases: [string, (c: StackConfig) => StackConfig, string][] = [
            [
                "duplicate route names",
                (c) => ({ ...c, routes: [c.routes[0], { ...c.routes[1], name: c.routes[0].name }] }),
                'kong-cognito:routes[1].name = "oidcroute": is already the name of routes[0]',
            ],
            [
                "duplicate route paths",
                (c) => ({ ...c, routes: [c.routes[0], { ...c.routes[1], path: c.routes[0].path }] }),
                'kong-cognito:routes[1].path = "/oidcroute": is already the path of routes[0] on the same host',
            ],
            [
                "an empty route path",
                (c) => ({ ...c, routes: [{ ...c.routes[0], path: "" }, c.routes[1]] }),
                'kong-cognito:routes[0].path = "": must not be empty',
            ],
            [
                "a domain prefix AWS rejects",
                (c) => ({ ...c, domainPrefix: "kong-amazon" }),
                'kong-cognito:domainPrefix = "kong-amazon": must not contain "amazon" (AWS rejects such prefixes)',
            ],
            [
                "a public URL that is not HTTPS",
                (c) => ({ ...c, publicBaseUrl: "http://kong.example.com" }),
                'kong-cognito:publicBaseUrl = "http://kong.example.com": must use https (http is allowed only for localhost)',
            ],
            [
                "a refresh token validity out of range",
                (c) => ({ ...c, refreshTokenValidityDays: 0 }),
                "kong-cognito:refreshTokenValidityDays = 0: must be a whole number of days from 1 to 3650",
            ],
            [
                "an access token validity out of range",
                (c) => ({ ...c, accessTokenValidityMinutes: 2000 }),
                "kong-cognito:accessTokenValidityMinutes = 2000: must be a whole number of minutes from 5 to 1440",
            ],
            [
                "a non-positive cache TTL",
                (c) => ({ ...c, routes: [c.routes[0], { ...c.routes[1], cache: { ttlSeconds: 0 } }] }),
                "kong-cognito:routes[1].cache.ttlSeconds = 0: must be a positive whole number of seconds",
            ],
            [
                "an unknown auth method",
                (c) => ({ ...c, routes: [{ ...c.routes[0], authMethods: ["bearer", "mtls"] }, c.routes[1]] }),
                'kong-cognito:routes[0].authMethods = "mtls": is not an openid-connect auth method',
            ],
            [
                "a route to the sample app when the stack does not deploy it",
                (c) => ({ ...c, deploySampleApp: false }),
                'kong-cognito:routes[1].upstreamService.name = "sample-app": is the sample app\'s Service, which this stack does not deploy',
            ],
            [
                "a Service name that is no DNS-1035 label",
                (c) => ({ ...c, routes: [{ ...c.routes[0], upstreamService: { name: "9web", port: 80 }, upstreamUrl: undefined }] }),
                'kong-cognito:routes[0].upstreamService.name = "9web": must be a DNS-1035 label (a Service name)',
            ],
            [
                "a resource-server scope with a slash",
                (c) => ({ ...c, resourceServerScopes: ["read/all"] }),
                "kong-cognito:resourceServerScopes[0].name = \"read/all\": must be 1-256 printable characters without spaces, '/'",
            ],
        ];
        for (const [what, change, message] of cases) {
            it(`rejects ${what}`, async () => {
                const { error, registrations } = await recordFailure(() => buildStack("dev", change(dev())));
                expect(error.message).to.contain(message);
                expect(error.message.startsWith('stack "dev": invalid input')).to.equal(true);
                expect(registrations).to.deep.equal([]);
            });
        }

        it("reports every problem of the stack at once", async () => {
            const { error } = await recordFailure(() =>
                buildStack("dev", { ...dev(), domainPrefix: "AWS", routes: [{ ...dev().routes[0], path: "x" }, dev().routes[1]] }),
            );
            const lines = error.message.split("\n").filter((l) => l.startsWith("  - "));
            expect(lines.map((l) => l.split(" = ")[0])).to.deep.equal(["  - kong-cognito:routes[0].path", "  - kong-cognito:domainPrefix"]);
        });
    });
});
