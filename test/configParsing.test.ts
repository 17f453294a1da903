// Reading a stack file's kong-cognito keys: the config key and path each error names, the config
// the stack's rules are still checked on, and the rest of the config map (namespaces, region).
import { expect } from "chai";
import {
    checkProviderConfig,
    consumerConfigPath,
    gatewayConfigPath,
    idpConfigPath,
    parseStackConfig,
    routeConfigPath,
    StackConfigError,
} from "../stacks/config";

const MINIMAL = {
    publicBaseUrl: "https://kong.example.com",
    domainPrefix: "orders-login",
    routes: JSON.stringify([{ name: "api", path: "/api", mode: "api", upstreamUrl: "http://api.internal" }]),
};

/** The StackConfigError parseStackConfig throws for this raw config. */
function errorOf(raw: Record<string, string>): StackConfigError {
    try {
        parseStackConfig("orders", raw);
    } catch (error) {
        expect(error).to.be.instanceOf(StackConfigError);
        return error as StackConfigError;
    }
    return expect.fail("expected parseStackConfig to throw");
}

describe("parsing a stack's config", () => {
    it("names the stack and each bad key with the value given", () => {
        const error = errorOf({ ...MINIMAL, passwordMinimumLength: "twelve" });
        expect(error.message).to.equal(
            'stack "orders" config: invalid input\n' +
                '  - kong-cognito:passwordMinimumLength = "twelve": Invalid input: expected number, received string',
        );
    });

    it("names the path inside a structured value: fields with dots, list items with brackets", () => {
        const routes = JSON.stringify([{ name: "api", path: "/api", mode: "api", upstreamUrl: "http://a", cache: { ttlSeconds: "30" } }]);
        const error = errorOf({ ...MINIMAL, routes, redis: JSON.stringify({ host: "redis.internal", port: "6379" }) });
        expect(error.issues.map((i) => i.propertyPath)).to.deep.equal([
            "kong-cognito:redis.port",
            "kong-cognito:routes[0].cache.ttlSeconds",
        ]);
    });

    it("refuses a route with an empty name or path, naming each field", () => {
        const routes = JSON.stringify([{ name: "", path: "", mode: "api", upstreamUrl: "http://a" }]);
        expect(
            errorOf({ ...MINIMAL, routes }).issues.map((i) => `${i.propertyPath} = ${JSON.stringify(i.value)}: ${i.rule}`),
        ).to.deep.equal(['kong-cognito:routes[0].name = "": must not be empty', 'kong-cognito:routes[0].path = "": must not be empty']);
    });

    it("keeps the rest of the config checkable: each broken key at its default", () => {
        const error = errorOf({ ...MINIMAL, mfa: "SOMETIMES", passwordMinimumLength: "twelve", namespace: "orders" });
        expect(error.checkable).to.deep.include({ mfa: "OPTIONAL", passwordMinimumLength: 12, namespace: "orders" });
        expect(error.checkable?.domainPrefix).to.equal("orders-login");
        expect(errorOf({ ...MINIMAL, mfa: "SOMETIMES", routes: "[]" }).checkable).to.equal(undefined);
    });

    it("has a config to check when only a credential is in plain text", () => {
        const error = errorOf({ ...MINIMAL, redis: JSON.stringify({ host: "redis.internal", password: "hunter22" }) });
        expect(error.checkable?.redis).to.deep.equal({ host: "redis.internal", password: "hunter22" });
    });

    it("takes a null or a non-object where Redis belongs for a type error, not a credential", () => {
        expect(errorOf({ ...MINIMAL, redis: "null" }).issues.map((i) => `${i.propertyPath}: ${i.rule}`)).to.deep.equal([
            "kong-cognito:redis: Invalid input: expected object, received null",
        ]);
        expect(errorOf({ ...MINIMAL, passwordMinimumLength: '{"undefined":"x"}' }).issues.map((i) => i.propertyPath)).to.deep.equal([
            "kong-cognito:passwordMinimumLength",
        ]);
    });
});

describe("the config key behind a component's arg", () => {
    it("names the component's own arg when no key feeds it", () => {
        expect(gatewayConfigPath("port")).to.equal("KongGateway.port");
        expect(consumerConfigPath("issuer")).to.equal("KongJwtConsumer.issuer");
        expect(idpConfigPath("schema[0]")).to.equal("CognitoIdp.schema[0]");
    });

    it("names the key that feeds a Gateway or consumer arg", () => {
        expect(gatewayConfigPath("className")).to.equal("kong-cognito:gatewayClassName");
        expect(gatewayConfigPath("routeNamespaces[0]")).to.equal("kong-cognito:gatewayNamespace[0]");
        expect(consumerConfigPath("keySlots")).to.equal("kong-cognito:jwtKeySlots");
    });

    it("names the key alone for lists it derives with its own indices, and keeps the index of a list it passes", () => {
        expect(idpConfigPath("logoutUrls[3]")).to.equal("kong-cognito:routes");
        expect(idpConfigPath("webClient.oauthScopes[1]")).to.equal("kong-cognito:webClientScopes[1]");
    });

    it("takes the args a key reports for from the IdP only", () => {
        expect(idpConfigPath("machineClient.scopes[0]")).to.equal("kong-cognito:resourceServerScopes[0]");
        expect(routeConfigPath(1, "machineClient.scopes")).to.equal("kong-cognito:routes[1].machineClient.scopes");
    });
});

describe("the config map beyond kong-cognito's keys", () => {
    const rulesOf = (all: Record<string, string>) => checkProviderConfig(all, []).map((i) => `${i.propertyPath}: ${i.rule}`);
    const KNOWN = "is in no namespace this program reads (kong-cognito, aws, kubernetes, kong, pulumi)";

    it("accepts the namespaces it reads, and no region at all", () => {
        expect(
            rulesOf({
                "kong-cognito:mfa": "ON",
                "aws:profile": "p",
                "kubernetes:context": "c",
                "kong:tlsSkipVerify": "false",
                "pulumi:tags": "{}",
            }),
        ).to.deep.equal([]);
        expect(rulesOf({})).to.deep.equal([]);
    });

    it("suggests a namespace up to two edits away, and none further", () => {
        expect(rulesOf({ "kubernetis:context": "c" })).to.deep.equal([`kubernetis:context: ${KNOWN}: did you mean kubernetes:context?`]);
        expect(rulesOf({ "awsx:region": "r" })).to.deep.equal([`awsx:region: ${KNOWN}: did you mean aws:region?`]);
        expect(rulesOf({ "kng:x": "1" })).to.deep.equal([`kng:x: ${KNOWN}: did you mean kong:x?`]);
        expect(rulesOf({ "pulu:tags": "1" })).to.deep.equal([`pulu:tags: ${KNOWN}: did you mean pulumi:tags?`]);
        expect(rulesOf({ "pul:tags": "1" })).to.deep.equal([`pul:tags: ${KNOWN}`]);
        expect(rulesOf({ "pulxx:tags": "1" })).to.deep.equal([`pulxx:tags: ${KNOWN}`]);
        expect(rulesOf({ "terraform:x": "1" })).to.deep.equal([`terraform:x: ${KNOWN}`]);
    });

    it("refuses a key without a namespace", () => {
        expect(rulesOf({ mfa: "ON" })).to.deep.equal([`mfa: ${KNOWN}`]);
    });
});
