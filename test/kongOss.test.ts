// Kong OSS on the mock runtime: the pool as one consumer with a jwt credential per signing key,
// API routes behind jwt and acl on every target, and the rules that keep OSS routes honest.
import { expect } from "chai";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { KongJwtConsumer, KongJwtConsumerArgs, KongOidcRoute, KongOidcRouteArgs, KongTarget } from "../components";
// The jwt config every OSS route gets; its values, field by field, are tested in kongPluginConfigs.test.ts.
import { jwtConfig } from "../components/kong/model/pluginConfigs";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import {
    childrenOf,
    itRejectsEach,
    KONG,
    loadProgram,
    plainInputs,
    record,
    resolve,
    seedApiRoute,
    TEST_ISSUER,
    the,
    TYPES,
} from "./harness";
import { allSchemaErrors } from "./schemas";

const ISSUER = TEST_ISSUER;
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
const CONSUMER = "kong-cognito:index:KongJwtConsumer";
const JWKS = "pulumi-nodejs:dynamic:CognitoJwks";
const KONG_CONSUMER = "kubernetes:configuration.konghq.com/v1:KongConsumer";

const KIC_TARGETS: readonly KongTarget[] = ["ingress", "gateway"];

function consumerArgs(target: KongTarget): KongJwtConsumerArgs {
    return { target, issuer: ISSUER, ...(target === "admin" ? {} : { namespace: "kong" }) };
}

/** A consumer and an OSS api route bound to it, as a stack builds them. */
function ossRoute(target: KongTarget, extra: Partial<KongOidcRouteArgs> = {}): { consumer: KongJwtConsumer; route: KongOidcRoute } {
    const consumer = new KongJwtConsumer("cognito-jwt", consumerArgs(target));
    const route = new KongOidcRoute(
        "oidcroute",
        seedApiRoute({
            target,
            kongEdition: "oss",
            jwtConsumer: consumer.reference,
            ...(target === "admin" ? {} : { namespace: "kong" }),
            ...extra,
        }),
    );
    return { consumer, route };
}

describe("Kong OSS: KongJwtConsumer", () => {
    for (const target of KIC_TARGETS) {
        describe(`on the ${target} target`, () => {
            let registrations: Registration[];
            let consumer: KongJwtConsumer;
            before(async () => {
                ({ result: consumer, registrations } = await record(() => new KongJwtConsumer("cognito-jwt", consumerArgs(target))));
            });

            it("registers the JWKS reader, a credential Secret per key, the ACL Secret and the KongConsumer", () => {
                expect(childrenOf(registrations, CONSUMER, "cognito-jwt")).to.deep.equal(
                    [
                        `${KONG_CONSUMER} cognito-jwt`,
                        `${JWKS} cognito-jwt-jwks`,
                        `${TYPES.secret} cognito-jwt-acl`,
                        `${TYPES.secret} cognito-jwt-key-0`,
                        `${TYPES.secret} cognito-jwt-key-1`,
                    ].sort(),
                );
                expect(plainInputs(the(registrations, JWKS, "cognito-jwt-jwks"))).to.include({ jwksUrl: JWKS_URL, keySlots: 2 });
            });

            it("puts each signing key in a jwt credential Secret: the kid as key, RS256, the PEM", async () => {
                const kids = await resolve(consumer.keyIds);
                expect(kids).to.have.lengthOf(2);
                for (const slot of [0, 1]) {
                    const secret = the(registrations, TYPES.secret, `cognito-jwt-key-${slot}`);
                    const inputs = plainInputs(secret);
                    expect(inputs.metadata).to.deep.equal({
                        name: `cognito-jwt-key-${slot}`,
                        namespace: "kong",
                        labels: {
                            "app.kubernetes.io/managed-by": "pulumi",
                            "app.kubernetes.io/part-of": "kong-cognito",
                            "konghq.com/secret": "true",
                            "konghq.com/credential": "jwt",
                        },
                    });
                    expect(inputs.stringData.key).to.equal(kids[slot]);
                    expect(inputs.stringData.algorithm).to.equal("RS256");
                    expect(inputs.stringData.rsa_public_key).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
                    // The credential follows the key read at deploy time.
                    expect(secret.propertyDependencies.stringData).to.include(the(registrations, JWKS, "cognito-jwt-jwks").urn);
                }
            });

            it("makes the pool's ACL group a credential and lists every credential on a KongConsumer of KIC's class", () => {
                const acl = plainInputs(the(registrations, TYPES.secret, "cognito-jwt-acl"));
                expect(acl.stringData).to.deep.equal({ group: "cognito-us-east-1_TEST" });
                expect(acl.metadata.labels).to.deep.include({ "konghq.com/credential": "acl", "konghq.com/secret": "true" });
                const kongConsumer = the(registrations, KONG_CONSUMER, "cognito-jwt");
                const inputs = plainInputs(kongConsumer);
                expect(inputs.metadata.annotations).to.deep.equal({ "kubernetes.io/ingress.class": "kong" });
                expect(inputs.username).to.equal("cognito-us-east-1_TEST");
                expect(inputs.credentials).to.deep.equal(["cognito-jwt-key-0", "cognito-jwt-key-1", "cognito-jwt-acl"]);
                const secrets = ["cognito-jwt-key-0", "cognito-jwt-key-1", "cognito-jwt-acl"].map(
                    (n) => the(registrations, TYPES.secret, n).urn,
                );
                expect(kongConsumer.dependencies).to.include.members(secrets);
            });

            it("registers Secrets the Kubernetes schema accepts", async () => {
                expect(await allSchemaErrors(registrations)).to.deep.equal([]);
            });

            it("gives routes a group that resolves only once the consumer and its credentials exist", async () => {
                expect(await resolve(pulumi.output(consumer.reference.aclGroup))).to.equal("cognito-us-east-1_TEST");
            });
        });
    }

    describe("on the admin target", () => {
        let registrations: Registration[];
        let consumer: KongJwtConsumer;
        before(async () => {
            ({ result: consumer, registrations } = await record(() => new KongJwtConsumer("cognito-jwt", consumerArgs("admin"))));
        });

        it("registers the kong provider's consumer, a ConsumerJwtAuth per key and a ConsumerAcl, nothing on Kubernetes", () => {
            expect(childrenOf(registrations, CONSUMER, "cognito-jwt")).to.deep.equal(
                [
                    `${KONG.consumer} cognito-jwt-consumer`,
                    `${KONG.jwtAuth} cognito-jwt-key-0`,
                    `${KONG.jwtAuth} cognito-jwt-key-1`,
                    `${KONG.acl} cognito-jwt-acl`,
                    `${KONG.random} cognito-jwt-unused-secret`,
                    `${JWKS} cognito-jwt-jwks`,
                ].sort(),
            );
        });

        it("gives each credential the consumer, RS256, the kid and the PEM, and a random secret kept secret", async () => {
            const kids = await resolve(consumer.keyIds);
            const consumerUrn = the(registrations, KONG.consumer, "cognito-jwt-consumer").urn;
            for (const slot of [0, 1]) {
                const credential = the(registrations, KONG.jwtAuth, `cognito-jwt-key-${slot}`);
                const inputs = plainInputs(credential);
                expect(inputs).to.include({ consumerId: "cognito-jwt-consumer-id", algorithm: "RS256", key: kids[slot] });
                expect(inputs.rsaPublicKey).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
                expect(inputs.secret).to.match(/^[0-9a-f]{64}$/);
                expect(isSecretValue(credential.inputs.secret)).to.equal(true);
                expect(credential.additionalSecretOutputs).to.include("secret");
                expect(credential.dependencies).to.include(consumerUrn);
                expect(credential.version).to.equal("4.6.1");
            }
            expect(plainInputs(the(registrations, KONG.consumer, "cognito-jwt-consumer"))).to.include({
                username: "cognito-us-east-1_TEST",
            });
            expect(plainInputs(the(registrations, KONG.acl, "cognito-jwt-acl"))).to.include({
                consumerId: "cognito-jwt-consumer-id",
                group: "cognito-us-east-1_TEST",
            });
        });
    });

    itRejectsEach<KongJwtConsumerArgs>(
        [
            [
                "a KIC consumer without a namespace",
                { issuer: ISSUER },
                "namespace",
                "the ingress target needs the namespace of the KongConsumer",
            ],
            [
                "a namespace on the admin target",
                { target: "admin", issuer: ISSUER, namespace: "kong" },
                "namespace",
                "applies to the ingress and gateway targets only",
            ],
            ["no credential slot", { ...consumerArgs("ingress"), keySlots: 0 }, "keySlots", "must be a whole number from 1 to 10"],
            ["an issuer that is no URL", { ...consumerArgs("ingress"), issuer: "us-east-1_TEST" }, "issuer", "must be the issuer URL"],
            ["an empty username", { ...consumerArgs("ingress"), username: " " }, "username", "must not be empty"],
        ],
        (args) => new KongJwtConsumer("cognito-jwt", args),
    );
});

describe("Kong OSS: an api route behind jwt and acl", () => {
    for (const target of KIC_TARGETS) {
        describe(`on the ${target} target`, () => {
            let registrations: Registration[];
            let route: KongOidcRoute;
            const routing = target === "ingress" ? [TYPES.ingress, "oidcroute-ingress"] : [TYPES.httpRoute, "oidcroute-httproute"];
            before(async () => {
                ({
                    result: { route },
                    registrations,
                } = await record(() => ossRoute(target, { cache: { ttlSeconds: 30 } })));
            });

            it("registers jwt and acl KongPlugins and no openid-connect or its Secret", () => {
                const children = childrenOf(registrations, TYPES.route, "oidcroute");
                expect(children).to.include.members([`${TYPES.kongPlugin} oidcroute-jwt`, `${TYPES.kongPlugin} oidcroute-acl`]);
                expect(children.filter((c) => c.includes("oidc-config") || c.endsWith("oidcroute-oidc"))).to.deep.equal([]);
                expect(route.resources.target).to.equal(target);
                expect(route.resources.target !== "admin" && route.resources.auth.plugin).to.equal("jwt");
            });

            it("configures jwt to find the credential by the token's kid and verify exp, and acl to allow the pool's group", () => {
                const jwt = plainInputs(the(registrations, TYPES.kongPlugin, "oidcroute-jwt"));
                expect(jwt.plugin).to.equal("jwt");
                expect(jwt.config).to.deep.equal(jwtConfig());
                const acl = plainInputs(the(registrations, TYPES.kongPlugin, "oidcroute-acl"));
                expect(acl.plugin).to.equal("acl");
                expect(acl.config).to.deep.equal({ allow: ["cognito-us-east-1_TEST"], hide_groups_header: true });
            });

            it("makes the acl plugin wait for the consumer and every credential", () => {
                const acl = the(registrations, TYPES.kongPlugin, "oidcroute-acl");
                const credentials = [
                    [KONG_CONSUMER, "cognito-jwt"],
                    [TYPES.secret, "cognito-jwt-key-0"],
                    [TYPES.secret, "cognito-jwt-key-1"],
                    [TYPES.secret, "cognito-jwt-acl"],
                ].map(([type, name]) => the(registrations, type, name).urn);
                expect(acl.dependencies).to.include.members(credentials);
            });

            it("attaches jwt, acl, then the cache, and the routing object waits for all three", () => {
                const [type, name] = routing;
                const object = the(registrations, type, name);
                expect(plainInputs(object).metadata.annotations["konghq.com/plugins"]).to.equal(
                    "oidcroute-jwt,oidcroute-acl,oidcroute-proxycache",
                );
                const plugins = ["oidcroute-jwt", "oidcroute-acl"].map((n) => the(registrations, TYPES.kongPlugin, n).urn);
                expect(object.dependencies).to.include.members(plugins);
            });

            it("still keys the cache by Authorization: every caller is the one pool consumer", () => {
                const cache = plainInputs(the(registrations, TYPES.kongPlugin, "oidcroute-cache-plugin"));
                expect(cache.config.vary_headers).to.deep.equal(["authorization"]);
            });

            it("reports bearer as the only way in", () => {
                expect(route.authMethods).to.deep.equal(["bearer"]);
            });
        });
    }

    describe("on the admin target", () => {
        let registrations: Registration[];
        before(async () => {
            ({ registrations } = await record(() => ossRoute("admin")));
        });

        it("puts jwt and acl on the service, with plain configs, and creates the route after both", () => {
            const service = the(registrations, KONG.service, "oidcroute-service");
            const jwt = the(registrations, KONG.plugin, "oidcroute-jwt");
            const acl = the(registrations, KONG.plugin, "oidcroute-acl");
            expect(plainInputs(jwt)).to.include({ name: "jwt", serviceId: "oidcroute-service-id", strictMatch: false, enabled: true });
            expect(JSON.parse(plainInputs(jwt).configJson)).to.deep.equal(jwtConfig());
            expect(JSON.parse(plainInputs(acl).configJson)).to.deep.equal({ allow: ["cognito-us-east-1_TEST"], hide_groups_header: true });
            expect(isSecretValue(jwt.inputs.configJson)).to.equal(false);
            expect(jwt.dependencies).to.include(service.urn);
            const route = the(registrations, KONG.route, "oidcroute-route");
            expect(route.explicitDependencies).to.include.members([jwt.urn, acl.urn]);
            expect(registrations.filter((r) => r.type === KONG.plugin && plainInputs(r).name === "openid-connect")).to.deep.equal([]);
        });

        it("makes the acl plugin, and so the route, wait for the consumer's credentials", () => {
            const acl = the(registrations, KONG.plugin, "oidcroute-acl");
            const credentials = [
                [KONG.consumer, "cognito-jwt-consumer"],
                [KONG.jwtAuth, "cognito-jwt-key-0"],
                [KONG.jwtAuth, "cognito-jwt-key-1"],
                [KONG.acl, "cognito-jwt-acl"],
            ].map(([type, name]) => the(registrations, type, name).urn);
            expect(acl.dependencies).to.include.members(credentials);
        });
    });

    const consumer = { aclGroup: "cognito-us-east-1_TEST" };
    itRejectsEach<KongOidcRouteArgs>(
        [
            [
                "a browser route, by name, before anything is registered",
                {
                    ...seedApiRoute({ namespace: "kong", kongEdition: "oss", jwtConsumer: consumer }),
                    mode: "browser",
                    path: "/sampleroute",
                    upstreamService: { name: "web", port: 80 },
                    upstreamUrl: undefined,
                },
                "mode",
                "browser sign-in needs Kong Enterprise's openid-connect plugin",
            ],
            [
                "an OSS route without the pool's consumer",
                seedApiRoute({ namespace: "kong", kongEdition: "oss" }),
                "jwtConsumer",
                "kongEdition oss needs the pool's consumer (KongJwtConsumer.reference)",
            ],
            [
                "openid-connect auth methods on OSS",
                seedApiRoute({ namespace: "kong", kongEdition: "oss", jwtConsumer: consumer, authMethods: ["bearer"] }),
                "authMethods",
                "applies to kongEdition enterprise only: it is an openid-connect setting",
            ],
            [
                "Redis on OSS",
                seedApiRoute({ namespace: "kong", kongEdition: "oss", jwtConsumer: consumer, redis: { host: "redis.kong.svc" } }),
                "redis",
                "sessions and proxy-cache-advanced are Kong Enterprise's",
            ],
            [
                "sslVerify false on OSS",
                seedApiRoute({ namespace: "kong", kongEdition: "oss", jwtConsumer: consumer, sslVerify: false }),
                "sslVerify",
                "on oss Kong calls no IdP",
            ],
            [
                "Kong Enterprise's tls_certificate_verify on OSS",
                seedApiRoute({ namespace: "kong", kongEdition: "oss", jwtConsumer: consumer, kongTlsCertificateVerify: "on" }),
                "kongTlsCertificateVerify",
                "applies to kongEdition enterprise only: tls_certificate_verify is a Kong Enterprise option",
            ],
            [
                "a consumer on an Enterprise route",
                seedApiRoute({ namespace: "kong", jwtConsumer: consumer }),
                "jwtConsumer",
                "applies to kongEdition oss only",
            ],
            [
                "an unknown edition",
                seedApiRoute({ namespace: "kong", kongEdition: "free" as never }),
                "kongEdition",
                "must be one of enterprise, oss",
            ],
        ],
        (args) => new KongOidcRoute("oidcroute", args),
    );
});

describe("the README's Kong OSS program (examples/oss)", () => {
    let registrations: Registration[];
    let program: typeof import("../examples/oss/index");
    before(async () => {
        // The program registers its resources when loaded.
        ({ result: program, registrations } = await record(() =>
            loadProgram<typeof import("../examples/oss/index")>(path.join(__dirname, "..", "examples", "oss", "index")),
        ));
    });

    it("reads the pool's JWKS into a consumer and protects its route with jwt and acl only", () => {
        const jwks = plainInputs(the(registrations, JWKS, "orders-jwt-jwks"));
        expect(jwks.jwksUrl).to.match(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+\/\.well-known\/jwks\.json$/);
        const ingress = plainInputs(the(registrations, TYPES.ingress, "orders-api-ingress"));
        expect(ingress.metadata.annotations["konghq.com/plugins"]).to.equal("orders-api-jwt,orders-api-acl");
        expect(registrations.filter((r) => r.type === TYPES.kongPlugin).map((r) => plainInputs(r).plugin)).to.have.members(["jwt", "acl"]);
    });

    it("trusts the keys the JWKS names and keeps the machine client's secret secret", async () => {
        expect(await resolve(program.trustedKeyIds)).to.have.lengthOf(2);
        expect(await pulumi.isSecret(program.machineClientSecret!)).to.equal(true);
        expect(await resolve(program.apiUrl)).to.equal("https://api.example.com/orders/api");
    });
});
