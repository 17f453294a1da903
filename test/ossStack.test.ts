// A Kong OSS stack (test/fixtures/seed/Pulumi.oss.yaml) on every target: one consumer for the
// pool, every route behind jwt and acl bound to it, the outputs that say what OSS leaves
// unchecked, and the config rules of the OSS keys.
import { expect } from "chai";
import { KongTarget, OSS_TOKEN_CHECKS, TARGETS } from "../components";
import { KongCognitoInputError } from "../components/validation";
import { parseStackConfig, projectConfig, StackConfig } from "../stacks/config";
import { buildStack, StackOutputs } from "../stacks/stack";
import { Registration } from "../tools/shared/mockRuntime";
import { isPublicCredentialSecret, secretStrings } from "../tools/plan/planModel";
import { plainInputs, record, recordFailure, resolve, seedConfig, the, TYPES } from "./harness";
import { allSchemaErrors } from "./schemas";

function ossConfig(changes: Partial<StackConfig> = {}): StackConfig {
    return { ...parseStackConfig("oss", projectConfig(seedConfig("oss"))), ...changes };
}

const ADMIN = { kongAdmin: { adminUri: "http://localhost:8001" } };

function build(target: KongTarget, changes: Partial<StackConfig> = {}): StackOutputs {
    return buildStack("oss", ossConfig({ target, ...changes }), target === "admin" ? ADMIN : {});
}

describe("Kong OSS stack (test/fixtures/seed/Pulumi.oss.yaml)", () => {
    for (const target of TARGETS) {
        describe(`on the ${target} target`, () => {
            let registrations: Registration[];
            let outputs: StackOutputs;
            before(async () => {
                ({ result: outputs, registrations } = await record(() => build(target)));
            });

            it("creates one consumer for the pool, reading the pool's JWKS", () => {
                the(registrations, "kong-cognito:index:KongJwtConsumer", "cognito-jwt");
                const jwks = plainInputs(the(registrations, "pulumi-nodejs:dynamic:CognitoJwks", "cognito-jwt-jwks"));
                expect(jwks.jwksUrl).to.match(
                    /^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+\/\.well-known\/jwks\.json$/,
                );
            });

            it("protects every route with jwt and acl, and registers no openid-connect", () => {
                const pluginTypes = registrations
                    .filter((r) => r.type === TYPES.kongPlugin || r.type === "kong:index/plugin:Plugin")
                    .map((r) => plainInputs(r))
                    .map((inputs) => (inputs.plugin as string | undefined) ?? (inputs.name as string))
                    .sort();
                expect(pluginTypes).to.deep.equal(["acl", "acl", "jwt", "jwt", "proxy-cache"]);
                expect(registrations.filter((r) => r.name.endsWith("-oidc-config") || r.name.endsWith("-session-secret"))).to.deep.equal(
                    [],
                );
            });

            it("labels every Secret it registers for the Kong Operator's selector (konghq.com/secret: true)", () => {
                const secrets = registrations.filter((r) => r.type === TYPES.secret);
                expect(secrets.length).to.equal(target === "admin" ? 0 : 3);
                for (const secret of secrets) {
                    expect(plainInputs(secret).metadata.labels, secret.name).to.deep.include({ "konghq.com/secret": "true" });
                }
            });

            it("outputs, per route, the jwt plugin and what it checks and does not", async () => {
                const routes = await resolve(outputs.routes);
                for (const route of routes) {
                    expect(route.authPlugin, route.name).to.equal("jwt");
                    expect(route.authMethods, route.name).to.deep.equal(["bearer"]);
                    expect(route.tokenChecks, route.name).to.deep.equal({
                        checked: [...OSS_TOKEN_CHECKS.checked],
                        notChecked: [...OSS_TOKEN_CHECKS.notChecked],
                    });
                }
                expect(await resolve(outputs.jwtKeyIds!)).to.have.lengthOf(2);
            });

            it("has no web client: without a browser route nothing signs in", async () => {
                expect(registrations.filter((r) => r.type === TYPES.client).map((r) => r.name)).to.deep.equal(["cognito-machine-client"]);
                expect(outputs.webClientId).to.equal(undefined);
            });

            if (target !== "admin") {
                it("registers Kubernetes objects the schemas accept", async () => {
                    expect(await allSchemaErrors(registrations)).to.deep.equal([]);
                });

                it("keeps the credential Secrets in the routes' namespace, where KIC finds the consumer", () => {
                    for (const name of ["cognito-jwt-key-0", "cognito-jwt-key-1", "cognito-jwt-acl"]) {
                        expect(plainInputs(the(registrations, TYPES.secret, name)).metadata.namespace, name).to.equal("kong");
                    }
                });
            }
        });
    }

    it("refuses a browser route on OSS by its config key, registering nothing", async () => {
        const config = ossConfig();
        const routes = [
            ...config.routes,
            { name: "signin", path: "/signin", mode: "browser" as const, upstreamService: { name: "sample-app", port: 80 } },
        ];
        const { error, registrations } = await recordFailure(() => buildStack("oss", { ...config, routes }));
        expect(error).to.be.instanceOf(KongCognitoInputError);
        expect(error.message).to.contain(
            'kong-cognito:routes[2].mode = "browser": browser sign-in needs Kong Enterprise\'s openid-connect plugin',
        );
        expect(registrations).to.deep.equal([]);
    });

    it("refuses jwtKeySlots on Kong Enterprise, and a bad slot count on OSS, by key", async () => {
        const enterprise = await recordFailure(() => build("ingress", { kongEdition: "enterprise", jwtKeySlots: 2 }));
        expect(enterprise.error.message).to.contain(
            "kong-cognito:jwtKeySlots = 2: applies to kongEdition oss only (kong-cognito:kongEdition is enterprise)",
        );
        const oss = await recordFailure(() => build("ingress", { jwtKeySlots: 0 }));
        expect(oss.error.message).to.contain("kong-cognito:jwtKeySlots = 0: must be a whole number from 1 to 10");
        expect([...enterprise.registrations, ...oss.registrations]).to.deep.equal([]);
    });

    it("passes jwtKeySlots to the consumer: one credential per slot", async () => {
        const { registrations } = await record(() => build("ingress", { jwtKeySlots: 3 }));
        expect(
            registrations.filter((r) => r.type === TYPES.secret && /^cognito-jwt-key-\d$/.test(r.name)).map((r) => r.name),
        ).to.deep.equal(["cognito-jwt-key-0", "cognito-jwt-key-1", "cognito-jwt-key-2"]);
    });
});

describe("the plan's secret check and public credentials", () => {
    it("leaves out jwt and acl credential Secrets, and only those", async () => {
        const { registrations } = await record(() => build("ingress"));
        const exempt = registrations.filter(isPublicCredentialSecret).map((r) => r.name);
        expect(exempt.sort()).to.deep.equal(["cognito-jwt-acl", "cognito-jwt-key-0", "cognito-jwt-key-1"]);
        // A Secret labelled as a jwt credential that holds a secret stays checked.
        const withSecret = the(registrations, TYPES.secret, "cognito-jwt-key-0");
        const stringData = withSecret.inputs.stringData as { value: Record<string, string> };
        const forged = {
            ...withSecret,
            inputs: { ...withSecret.inputs, stringData: { ...stringData, value: { ...stringData.value, secret: "hs256-secret" } } },
        };
        expect(isPublicCredentialSecret(forged)).to.equal(false);
        expect(secretStrings(forged.inputs)).to.include("hs256-secret");
    });
});
