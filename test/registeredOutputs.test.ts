// What each component hands the engine with registerOutputs: the outputs `pulumi stack` shows for it
// and keeps in the state. Each is the component's own output of that name, and a client secret stays
// a secret there too.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, KongGateway, KongJwtConsumer, KongOidcRoute, KongProxyCache } from "../components";
import { isSecretValue, unwrapSecrets } from "../tools/shared/mockRuntime";
import { valueOf } from "../testing";
import { record, seedApiRoute, TEST_ISSUER } from "./harness";

/**
 * The outputs `component` registered, checked against its properties of the same names: each
 * registered value is what the property resolves to. Returns them, secrets still marked.
 */
async function registeredOutputsOf(build: () => pulumi.ComponentResource, names: readonly string[]): Promise<Record<string, unknown>> {
    const { result: component, registeredOutputs } = await record(build);
    const urn = await valueOf(component.urn);
    const registered = registeredOutputs.get(urn);
    expect(registered, `registerOutputs of ${urn}`).to.not.equal(undefined);
    expect(Object.keys(registered!).sort()).to.deep.equal([...names].sort());
    for (const name of names) {
        const property = (component as unknown as Record<string, pulumi.Input<unknown>>)[name];
        expect(unwrapSecrets(registered![name]), name).to.deep.equal(await valueOf(property));
    }
    return registered!;
}

const secretNames = (outputs: Record<string, unknown>) =>
    Object.entries(outputs)
        .filter(([, value]) => isSecretValue(value))
        .map(([name]) => name)
        .sort();

describe("the outputs each component registers (what the state keeps)", () => {
    it("CognitoIdp: its endpoints, client ids and scopes, the two client secrets as secrets", async () => {
        const outputs = await registeredOutputsOf(
            () =>
                new CognitoIdp("idp", {
                    domainPrefix: "kongidp",
                    callbackUrls: ["https://kong.example.com/sampleroute"],
                    resourceServer: { identifier: "http://kongresource", scopes: [{ name: "scope1", description: "Scope 1" }] },
                    machineClient: {},
                }),
            [
                "userPoolId",
                "userPoolArn",
                "issuerUrl",
                "discoveryUrl",
                "jwksUri",
                "hostedUiUrl",
                "tokenEndpoint",
                "authorizeEndpoint",
                "userInfoEndpoint",
                "logoutEndpoint",
                "revocationEndpoint",
                "webClientId",
                "webClientSecret",
                "machineClientId",
                "machineClientSecret",
                "machineScopes",
                "browserScopes",
            ],
        );
        expect(secretNames(outputs)).to.deep.equal(["machineClientSecret", "webClientSecret"]);
        expect(unwrapSecrets(outputs.machineScopes)).to.deep.equal(["http://kongresource/scope1"]);
    });

    it("KongOidcRoute: its URL, route name and plugin names", async () => {
        const outputs = await registeredOutputsOf(
            () => new KongOidcRoute("oidcroute", seedApiRoute({ namespace: "kong", cache: { ttlSeconds: 30 } })),
            ["url", "routeName", "pluginNames"],
        );
        expect(outputs.url).to.equal("https://kong.example.com/oidcroute");
        expect(secretNames(outputs)).to.deep.equal([]);
    });

    it("KongProxyCache: its plugin name", async () => {
        const outputs = await registeredOutputsOf(() => new KongProxyCache("proxycache", { namespace: "kong" }), ["pluginName"]);
        expect(outputs).to.deep.equal({ pluginName: "proxycache" });
    });

    it("KongGateway: its Gateway's name and namespace", async () => {
        const outputs = await registeredOutputsOf(
            () => new KongGateway("kong", { namespace: "kong", publicBaseUrl: "https://kong.example.com" }),
            ["gatewayName", "namespace"],
        );
        expect(outputs.namespace).to.equal("kong");
    });

    it("KongJwtConsumer: the JWKS URL, the key ids and the consumer's username", async () => {
        const outputs = await registeredOutputsOf(
            () => new KongJwtConsumer("cognito-jwt", { target: "ingress", issuer: TEST_ISSUER, namespace: "kong" }),
            ["jwksUrl", "keyIds", "username"],
        );
        expect(outputs.jwksUrl).to.equal(`${TEST_ISSUER}/.well-known/jwks.json`);
        expect(outputs.username).to.equal("cognito-us-east-1_TEST");
    });
});
