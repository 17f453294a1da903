// The policy pack, rule by rule with passing and failing resources, and over the project's own
// stacks (no mandatory violation; dev's pool only under its advisory config).
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    cognitoCallbackUrlsHttps,
    cognitoClientCredentialsIsolated,
    cognitoDeletionProtection,
    cognitoMfa,
    cognitoPasswordPolicy,
    cognitoThreatProtection,
    kongCacheKeyPerUser,
    kongOidcTlsAndAuthMethods,
    kongPluginSecretsAreSecret,
    policies,
} from "../policy/policies";
import { buildProgram } from "../stacks/program";
import { Registration, unwrapSecrets } from "../tools/shared/mockRuntime";
import { secretKeysOf } from "../tools/shared/stackFiles";
import { record, seedConfig } from "./harness";

interface Fake {
    type: string;
    name?: string;
    props: Record<string, any>;
    additionalSecretOutputs?: string[];
}

function asResource(fake: Fake, index = 0): PolicyResource {
    const name = fake.name ?? `r${index}`;
    return {
        type: fake.type,
        name,
        urn: `urn:pulumi:s::p::${fake.type}::${name}`,
        props: fake.props,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: {},
            additionalSecretOutputs: fake.additionalSecretOutputs ?? [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    } as unknown as PolicyResource;
}

/** Violation messages a resource policy reports for one resource. */
async function resourceViolations(policy: ResourceValidationPolicy, fake: Fake): Promise<string[]> {
    const found: string[] = [];
    const resource = asResource(fake);
    const args = {
        ...resource,
        stackTags: new Map(),
        getConfig: () => ({}),
        notApplicable: () => undefined as never,
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
    for (const validate of validations) {
        await validate(args, (message) => found.push(message));
    }
    return found;
}

/** Violation messages a stack policy reports for a set of resources. */
async function stackViolations(policy: StackValidationPolicy, resources: PolicyResource[]): Promise<string[]> {
    const found: string[] = [];
    await policy.validateStack!({ resources, stackTags: new Map(), getConfig: () => ({}) } as never, (message) => found.push(message));
    return found;
}

const goodPool = {
    type: "aws:cognito/userPool:UserPool",
    name: "pool",
    props: {
        deletionProtection: "ACTIVE",
        mfaConfiguration: "ON",
        userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
        passwordPolicy: {
            minimumLength: 12,
            requireLowercase: true,
            requireUppercase: true,
            requireNumbers: true,
            requireSymbols: true,
            temporaryPasswordValidityDays: 7,
        },
    },
};

const machineClient = {
    type: "aws:cognito/userPoolClient:UserPoolClient",
    name: "machine",
    props: { allowedOauthFlows: ["client_credentials"], generateSecret: true, allowedOauthScopes: ["http://kongresource/scope1"] },
};

function oidcPlugin(config: Record<string, unknown>, extra: Partial<Fake> = {}): Fake {
    return {
        type: "kong:index/plugin:Plugin",
        name: "oidc",
        props: { name: "openid-connect", serviceId: "svc-1", configJson: JSON.stringify(config) },
        ...extra,
    };
}

const goodOidc = { issuer: "https://x/.well-known/openid-configuration", ssl_verify: true, auth_methods: ["bearer"], client_secret: ["s"] };

describe("policy pack", () => {
    it("has nine policies, each with a description and a chosen enforcement level", () => {
        expect(policies).to.have.lengthOf(9);
        for (const policy of policies) {
            expect(policy.description, policy.name).to.have.length.greaterThan(40);
            expect(["mandatory", "advisory"], policy.name).to.include(policy.enforcementLevel);
        }
        expect(policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name)).to.deep.equal([
            "cognito-mfa-required",
            "cognito-threat-protection",
        ]);
    });

    describe("cognito-deletion-protection", () => {
        it("passes ACTIVE", async () => expect(await resourceViolations(cognitoDeletionProtection, goodPool)).to.deep.equal([]));
        it("fails INACTIVE and unset", async () => {
            expect(
                await resourceViolations(cognitoDeletionProtection, { ...goodPool, props: { deletionProtection: "INACTIVE" } }),
            ).to.deep.equal(["user pool pool has deletionProtection INACTIVE; set it to ACTIVE"]);
            expect(await resourceViolations(cognitoDeletionProtection, { ...goodPool, props: {} })).to.have.lengthOf(1);
        });
    });

    describe("cognito-password-policy", () => {
        it("passes 12 characters with every class", async () =>
            expect(await resourceViolations(cognitoPasswordPolicy, goodPool)).to.deep.equal([]));
        it("fails a short policy without symbols and long-lived temporary passwords", async () => {
            const weak = {
                ...goodPool,
                props: {
                    passwordPolicy: {
                        ...goodPool.props.passwordPolicy,
                        minimumLength: 6,
                        requireSymbols: false,
                        temporaryPasswordValidityDays: 30,
                    },
                },
            };
            expect(await resourceViolations(cognitoPasswordPolicy, weak)).to.deep.equal([
                "user pool pool password policy: minimumLength 6: must be a whole number from 8 (AWS's default minimum) to 99 (Cognito's maximum); " +
                    "requireSymbols false: must be true: every character class is required; temporaryPasswordValidityDays 30: must be at most 7 days",
            ]);
        });
    });

    describe("cognito-mfa-required and cognito-threat-protection (advisory)", () => {
        it("pass MFA ON and ENFORCED threat protection", async () => {
            expect(await resourceViolations(cognitoMfa, goodPool)).to.deep.equal([]);
            expect(await resourceViolations(cognitoThreatProtection, goodPool)).to.deep.equal([]);
        });
        it("flag OPTIONAL MFA and no threat protection", async () => {
            const relaxed = { ...goodPool, props: { ...goodPool.props, mfaConfiguration: "OPTIONAL", userPoolAddOns: undefined } };
            expect(await resourceViolations(cognitoMfa, relaxed)).to.deep.equal([
                "user pool pool has mfaConfiguration OPTIONAL; ON requires MFA for every user",
            ]);
            expect(await resourceViolations(cognitoThreatProtection, relaxed)).to.have.lengthOf(1);
        });
    });

    describe("cognito-callback-urls-https", () => {
        const client = (urls: string[]) => ({
            type: "aws:cognito/userPoolClient:UserPoolClient",
            name: "web",
            props: { callbackUrls: urls },
        });
        it("passes https and http://localhost", async () =>
            expect(
                await resourceViolations(cognitoCallbackUrlsHttps, client(["https://kong.example.com/cb", "http://localhost:3000/cb"])),
            ).to.deep.equal([]));
        it("fails http elsewhere and fragments", async () => {
            expect(
                await resourceViolations(cognitoCallbackUrlsHttps, client(["http://kong.example.com/cb", "https://kong.example.com/cb#x"])),
            ).to.deep.equal([
                'callbackUrls "http://kong.example.com/cb" of client web must use https (http is allowed only for localhost)',
                'callbackUrls "https://kong.example.com/cb#x" of client web must not contain a fragment (#...)',
            ]);
        });
    });

    describe("cognito-client-credentials-isolated", () => {
        it("passes a machine client with resource-server scopes only", async () =>
            expect(await resourceViolations(cognitoClientCredentialsIsolated, machineClient)).to.deep.equal([]));
        it("fails mixed flows, a missing secret and user scopes", async () => {
            const bad = {
                ...machineClient,
                props: {
                    allowedOauthFlows: ["client_credentials", "code"],
                    generateSecret: false,
                    allowedOauthScopes: ["openid", "http://kongresource/scope1"],
                },
            };
            expect(await resourceViolations(cognitoClientCredentialsIsolated, bad)).to.deep.equal([
                'client machine: allowedOauthFlows ["client_credentials","code"]: client_credentials cannot share an app client with code',
                "client machine: generateSecret false: client_credentials needs a generated client secret",
                'client machine: allowedOauthScopes ["openid"]: client_credentials can only ask for resource-server scopes (<identifier>/<scope>)',
            ]);
        });
    });

    describe("kong-oidc-tls-and-auth-methods", () => {
        it("passes a config that verifies TLS and lists its methods", async () =>
            expect(await stackViolations(kongOidcTlsAndAuthMethods, [asResource(oidcPlugin(goodOidc))])).to.deep.equal([]));
        it("fails ssl_verify off and all methods (no auth_methods)", async () => {
            expect(
                await stackViolations(kongOidcTlsAndAuthMethods, [asResource(oidcPlugin({ issuer: "x", ssl_verify: false }))]),
            ).to.deep.equal([
                "Kong plugin oidc: ssl_verify is false; set it to true",
                "Kong plugin oidc: auth_methods is not set, so all nine methods are on; list the ones the route needs",
            ]);
        });
        it("reads a KongPlugin's config from the Secret it references", async () => {
            const plugin = {
                type: "kubernetes:configuration.konghq.com/v1:KongPlugin",
                name: "p",
                props: {
                    plugin: "openid-connect",
                    metadata: { name: "p", namespace: "kong" },
                    configFrom: { secretKeyRef: { name: "cfg", key: "config" } },
                },
            };
            const secret = {
                type: "kubernetes:core/v1:Secret",
                name: "cfg",
                props: {
                    metadata: { name: "cfg", namespace: "kong" },
                    stringData: { config: JSON.stringify({ ...goodOidc, ssl_verify: false }) },
                },
            };
            expect(await stackViolations(kongOidcTlsAndAuthMethods, [asResource(plugin, 0), asResource(secret, 1)])).to.deep.equal([
                "KongPlugin p (Secret cfg): ssl_verify is false; set it to true",
            ]);
        });
    });

    describe("kong-plugin-secrets-are-secret", () => {
        it("passes a kong plugin whose configJson and computedConfig stay secret", async () =>
            expect(
                await resourceViolations(
                    kongPluginSecretsAreSecret,
                    oidcPlugin(goodOidc, { additionalSecretOutputs: ["configJson", "computedConfig"] }),
                ),
            ).to.deep.equal([]));
        it("fails a kong plugin that would store the secret in plain state", async () =>
            expect(await resourceViolations(kongPluginSecretsAreSecret, oidcPlugin(goodOidc))).to.deep.equal([
                'kong plugin oidc holds client_secret; add additionalSecretOutputs ["configJson","computedConfig"]',
            ]));
        it("fails a KongPlugin with the client secret inline", async () => {
            const inline = {
                type: "kubernetes:configuration.konghq.com/v1:KongPlugin",
                name: "inline",
                props: { plugin: "openid-connect", config: goodOidc },
            };
            expect(await resourceViolations(kongPluginSecretsAreSecret, inline)).to.have.lengthOf(1);
        });
    });

    describe("kong-cache-key-per-user", () => {
        const cr = (name: string, plugin: string, config: Record<string, unknown>) => ({
            type: "kubernetes:configuration.konghq.com/v1:KongPlugin",
            name,
            props: { plugin, config, metadata: { name, namespace: "kong" } },
        });
        const ingress = (plugins: string) => ({
            type: "kubernetes:networking.k8s.io/v1:Ingress",
            name: "route",
            props: { metadata: { name: "route", namespace: "kong", annotations: { "konghq.com/plugins": plugins } } },
        });
        const resources = (cacheConfig: Record<string, unknown>, authConfig: Record<string, unknown> = goodOidc) =>
            [ingress("auth,cache"), cr("auth", "openid-connect", authConfig), cr("cache", "proxy-cache", cacheConfig)].map(asResource);

        it("passes a cache that varies by Authorization", async () =>
            expect(await stackViolations(kongCacheKeyPerUser, resources({ vary_headers: ["Authorization"] }))).to.deep.equal([]));
        it("passes a cache behind consumer mapping", async () =>
            expect(await stackViolations(kongCacheKeyPerUser, resources({}, { ...goodOidc, consumer_claims: ["sub"] }))).to.deep.equal([]));
        it("fails a shared cache behind jwt: one consumer may stand for every user of an issuer (Kong OSS)", async () => {
            const jwtRoute = [ingress("auth,cache"), cr("auth", "jwt", { key_claim_name: "kid" }), cr("cache", "proxy-cache", {})];
            expect(await stackViolations(kongCacheKeyPerUser, jwtRoute.map(asResource))).to.deep.equal([
                "route: cache caches an authenticated route without varying by Authorization",
            ]);
        });
        it("passes a shared cache behind key-auth: the consumer is the caller's own", async () => {
            const keyAuthRoute = [ingress("auth,cache"), cr("auth", "key-auth", {}), cr("cache", "proxy-cache", {})];
            expect(await stackViolations(kongCacheKeyPerUser, keyAuthRoute.map(asResource))).to.deep.equal([]);
        });
        it("fails a shared cache on an authenticated Ingress", async () =>
            expect(await stackViolations(kongCacheKeyPerUser, resources({ vary_headers: [] }))).to.deep.equal([
                "route: cache caches an authenticated route without varying by Authorization",
            ]));
        it("fails a shared cache on an authenticated Kong service (admin target)", async () => {
            const auth = oidcPlugin(goodOidc);
            const cache = {
                type: "kong:index/plugin:Plugin",
                name: "cache",
                props: { name: "proxy-cache", serviceId: "svc-1", configJson: "{}" },
            };
            expect(await stackViolations(kongCacheKeyPerUser, [asResource(auth, 0), asResource(cache, 1)])).to.deep.equal([
                "kong plugin cache caches an authenticated service or route without varying by Authorization",
            ]);
        });
        it("fails a shared cache on an authenticated HTTPRoute, attached by annotation or by ExtensionRef filter", async () => {
            const httpRoute = (annotation: string | undefined, filters: string[]) => ({
                type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
                name: "route",
                props: {
                    metadata: {
                        name: "route",
                        namespace: "kong",
                        ...(annotation ? { annotations: { "konghq.com/plugins": annotation } } : {}),
                    },
                    spec: {
                        rules: [
                            {
                                filters: filters.map((name) => ({
                                    type: "ExtensionRef",
                                    extensionRef: { group: "configuration.konghq.com", kind: "KongPlugin", name },
                                })),
                            },
                        ],
                    },
                },
            });
            const plugins = [cr("auth", "openid-connect", goodOidc), cr("cache", "proxy-cache", {})];
            const leak = ["route: cache caches an authenticated route without varying by Authorization"];
            expect(await stackViolations(kongCacheKeyPerUser, [httpRoute("auth,cache", []), ...plugins].map(asResource))).to.deep.equal(
                leak,
            );
            expect(
                await stackViolations(kongCacheKeyPerUser, [httpRoute(undefined, ["auth", "cache"]), ...plugins].map(asResource)),
            ).to.deep.equal(leak);
            expect(await stackViolations(kongCacheKeyPerUser, [httpRoute("auth", ["cache"]), ...plugins].map(asResource))).to.deep.equal(
                leak,
            );
            const varied = [cr("auth", "openid-connect", goodOidc), cr("cache", "proxy-cache", { vary_headers: ["authorization"] })];
            expect(await stackViolations(kongCacheKeyPerUser, [httpRoute("auth,cache", []), ...varied].map(asResource))).to.deep.equal([]);
        });
        it("leaves a cache on a public route alone", async () =>
            expect(
                await stackViolations(kongCacheKeyPerUser, [ingress("cache"), cr("cache", "proxy-cache", {})].map(asResource)),
            ).to.deep.equal([]));
    });

    describe("on the project's own stacks", () => {
        async function stackResources(config: Record<string, string>, secretKeys: string[]): Promise<PolicyResource[]> {
            const previous = pulumi.runtime.allConfig();
            pulumi.runtime.setAllConfig(config, secretKeys);
            try {
                const { registrations } = await record(() => buildProgram());
                return registrations.map((r: Registration) =>
                    asResource({
                        type: r.type,
                        name: r.name,
                        props: unwrapSecrets(r.inputs) as Record<string, any>,
                        additionalSecretOutputs: [...r.additionalSecretOutputs],
                    }),
                );
            } finally {
                pulumi.runtime.setAllConfig(previous);
            }
        }

        async function mandatoryViolations(resources: PolicyResource[], advisoryOverrides: string[] = []): Promise<string[]> {
            const found: string[] = [];
            for (const policy of policies.filter((p) => p.enforcementLevel === "mandatory" && !advisoryOverrides.includes(p.name))) {
                if ("validateStack" in policy) {
                    found.push(...(await stackViolations(policy, resources)).map((m) => `${policy.name}: ${m}`));
                } else {
                    for (const resource of resources) {
                        found.push(
                            ...(
                                await resourceViolations(policy as ResourceValidationPolicy, {
                                    type: resource.type,
                                    name: resource.name,
                                    props: resource.props,
                                    additionalSecretOutputs: resource.opts.additionalSecretOutputs,
                                })
                            ).map((m) => `${policy.name}: ${m}`),
                        );
                    }
                }
            }
            return found;
        }

        it("prod passes every mandatory policy", async () => {
            expect(await mandatoryViolations(await stackResources(seedConfig("prod"), []))).to.deep.equal([]);
        });

        it("dev passes with policy/dev-config.json, and only deletion protection otherwise", async () => {
            const resources = await stackResources(seedConfig("dev"), []);
            expect(await mandatoryViolations(resources, ["cognito-deletion-protection"])).to.deep.equal([]);
            expect(await mandatoryViolations(resources)).to.deep.equal([
                "cognito-deletion-protection: user pool cognito-pool has deletionProtection INACTIVE; set it to ACTIVE",
            ]);
        });

        it("the gateway target passes every mandatory policy but dev's deletion protection", async () => {
            const config = seedConfig("gateway");
            expect(await mandatoryViolations(await stackResources(config, []), ["cognito-deletion-protection"])).to.deep.equal([]);
        });

        for (const target of ["ingress", "gateway", "admin"]) {
            it(`the Kong OSS stack on the ${target} target passes every mandatory policy`, async () => {
                const admin: Record<string, string> = target === "admin" ? { "kong:kongAdminUri": "http://localhost:8001" } : {};
                const config = { ...seedConfig("oss"), ...admin, "kong-cognito:target": target };
                expect(
                    await mandatoryViolations(await stackResources(config, secretKeysOf(config)), ["cognito-deletion-protection"]),
                ).to.deep.equal([]);
            });
        }

        it("the admin target passes every mandatory policy but dev's deletion protection", async () => {
            const config = { ...seedConfig("admin") };
            expect(
                await mandatoryViolations(await stackResources(config, secretKeysOf(config)), ["cognito-deletion-protection"]),
            ).to.deep.equal([]);
        });
    });
});
