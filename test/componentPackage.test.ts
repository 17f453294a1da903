// kong-cognito as a source-based component package (PulumiPlugin.yaml): the schema the SDK's
// analyzer infers from the components' TypeScript types, as `pulumi package add` gets it; the
// README's YAML and Python programs (examples/package), which must use only what that schema has;
// and each component constructed through the component provider, the path a Python or YAML program
// takes. One file, so the analyzer (a TypeScript program of the whole project) runs once.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import * as library from "../components";
import { isSecretValue, Registration } from "../tools/shared/mockRuntime";
import { valueOf } from "../testing";
import { childrenOf, plainInputs, the, TYPES } from "./harness";
import { mockRuntime } from "./setup";
import { PackageSchema, SchemaProperty, loadPackageSchema, packageProvider } from "./packageSchema";
import { checkProgram, pythonResources, yamlResources } from "./programReader";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples", "package");
const COMPONENTS = ["CognitoIdp", "KongOidcRoute", "KongProxyCache", "KongGateway", "KongJwtConsumer"];
const token = (component: string) => `kong-cognito:index:${component}`;

describe("the component package (PulumiPlugin.yaml)", function () {
    // The analyzer type-checks the whole project once: several seconds.
    this.timeout(120000);
    let schema: PackageSchema;
    before(async () => {
        schema = await loadPackageSchema();
    });

    it("is a nodejs plugin whose main exports the components Pulumi hosts", () => {
        expect(parse(readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8"))).to.deep.equal({ runtime: "nodejs" });
        const exported = getPulumiComponents(library).map((c) => c.name);
        expect(exported.sort()).to.deep.equal([...COMPONENTS].sort());
    });

    it("names the package kong-cognito at the package's version, with one component per class and no other package's resources", () => {
        const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        expect(schema.name).to.equal("kong-cognito");
        expect(schema.version).to.equal(pkg.version);
        expect(Object.keys(schema.resources).sort()).to.deep.equal(COMPONENTS.map(token).sort());
        for (const resource of Object.values(schema.resources)) {
            expect(resource.isComponent).to.equal(true);
        }
        // Outputs are plain data: no $ref into aws, kubernetes or kong schemas.
        expect(schema.dependencies).to.deep.equal([]);
        expect(JSON.stringify(schema)).to.not.match(/"\$ref":"\/(aws|kubernetes|kong)\//);
    });

    it("documents every input of the three seed components, from the TSDoc", () => {
        for (const component of ["CognitoIdp", "KongOidcRoute", "KongProxyCache"]) {
            const inputs = schema.resources[token(component)].inputProperties;
            const undocumented = Object.entries(inputs)
                .filter(([, property]) => !property.description)
                .map(([name]) => name);
            expect(undocumented, `${component} inputs without a description`).to.deep.equal([]);
            expect(schema.resources[token(component)].description, component).to.be.a("string").and.not.equal("");
        }
        expect(schema.resources[token("CognitoIdp")].inputProperties.domainPrefix.description).to.contain("Hosted-domain prefix");
    });

    it("requires what the components require, and nothing else", () => {
        expect(schema.resources[token("CognitoIdp")].requiredInputs).to.deep.equal(["domainPrefix"]);
        expect(schema.resources[token("KongOidcRoute")].requiredInputs).to.deep.equal(["mode", "oidc", "path", "publicBaseUrl"]);
        expect(schema.resources[token("KongProxyCache")].requiredInputs).to.deep.equal([]);
        expect(schema.types["kong-cognito:index:OidcProvider"].required).to.deep.equal(["clientId", "clientSecret", "issuer"]);
    });

    it("types the inputs: strings, numbers, lists, maps, nested objects, and string enums with their values", () => {
        const idp = schema.resources[token("CognitoIdp")].inputProperties;
        expect(pick(idp.domainPrefix)).to.deep.equal({ type: "string", plain: true });
        expect(pick(idp.passwordMinimumLength)).to.deep.equal({ type: "number", optional: true, plain: true });
        expect(pick(idp.callbackUrls)).to.deep.equal({ type: "array", items: { type: "string" }, optional: true, plain: true });
        expect(pick(idp.tags)).to.deep.include({ type: "object", additionalProperties: { type: "string", plain: true } });
        expect(pick(idp.resourceServer)).to.deep.equal({ $ref: "#/types/kong-cognito:index:ResourceServer", optional: true, plain: true });
        expect(enumValues(schema, "UserPoolTier")).to.deep.equal(["LITE", "ESSENTIALS", "PLUS"]);
        expect(enumValues(schema, "MfaMode")).to.deep.equal(["OFF", "OPTIONAL", "ON"]);

        const route = schema.resources[token("KongOidcRoute")].inputProperties;
        // Inputs other resources' outputs feed are not plain; literals of the stack file are.
        expect(pick(route.publicBaseUrl)).to.deep.equal({ type: "string" });
        expect(pick(route.mode)).to.deep.equal({ $ref: "#/types/kong-cognito:index:RouteMode", plain: true });
        expect(enumValues(schema, "RouteMode")).to.deep.equal(["api", "browser"]);
        expect(enumValues(schema, "KongTarget")).to.deep.equal(["ingress", "gateway", "admin"]);
        expect(enumValues(schema, "KongEdition")).to.deep.equal(["enterprise", "oss"]);
        expect(enumValues(schema, "KongTlsCertificateVerify")).to.deep.equal(["on", "off", "default"]);
        const oidc = schema.types["kong-cognito:index:OidcProvider"].properties!;
        expect(pick(oidc.clientSecret)).to.deep.equal({ type: "string" });
        expect(pick(oidc.scopes)).to.deep.equal({ type: "array", items: { type: "string", plain: true }, optional: true });

        const cache = schema.resources[token("KongProxyCache")].inputProperties;
        expect(pick(cache.ttlSeconds)).to.deep.equal({ type: "number", optional: true, plain: true });
        expect(pick(cache.responseCodes)).to.deep.equal({
            type: "array",
            items: { type: "number", plain: true },
            optional: true,
            plain: true,
        });
    });

    it("gives a route's trust settings as outputs any language can pass on (what oidcSettings() gives in TypeScript)", () => {
        const outputs = schema.resources[token("CognitoIdp")].properties;
        for (const name of [
            "discoveryUrl",
            "machineClientId",
            "machineClientSecret",
            "webClientId",
            "webClientSecret",
            "logoutEndpoint",
            "revocationEndpoint",
        ]) {
            expect(pick(outputs[name]), name).to.deep.include({ type: "string" });
        }
        for (const name of ["machineScopes", "browserScopes"]) {
            expect(pick(outputs[name]), name).to.deep.include({ type: "array", items: { type: "string" } });
        }
        // The resource objects stay TypeScript-only (getters), not outputs.
        expect(outputs).to.not.have.any.keys("userPool", "webClient", "domain", "resourceServer", "machineClient");
        expect(schema.resources[token("KongOidcRoute")].properties).to.have.all.keys("url", "routeName", "pluginNames", "authMethods");
        expect(schema.resources[token("KongProxyCache")].properties).to.have.all.keys("pluginName");
    });
});

describe("the README's programs in other languages (examples/package)", function () {
    this.timeout(120000);
    let schema: PackageSchema;
    const yamlText = readFileSync(path.join(EXAMPLES, "Pulumi.yaml"), "utf8");
    const pythonText = readFileSync(path.join(EXAMPLES, "__main__.py"), "utf8");
    before(async () => {
        schema = await loadPackageSchema();
    });

    it("the YAML program uses only the schema's resources, properties and outputs, with their types", () => {
        const resources = yamlResources(yamlText);
        expect(resources.map((r) => `${r.variable} ${r.type}`)).to.deep.equal([
            "idp kong-cognito:index:CognitoIdp",
            "oidcroute kong-cognito:index:KongOidcRoute",
            "sampleroute kong-cognito:index:KongOidcRoute",
        ]);
        expect(checkProgram(schema, resources)).to.deep.equal([]);
    });

    it("the Python program does too", () => {
        const resources = pythonResources(pythonText);
        expect(resources.map((r) => `${r.variable} ${r.type}`)).to.deep.equal([
            "idp kong-cognito:index:CognitoIdp",
            "api kong-cognito:index:KongOidcRoute",
            "app kong-cognito:index:KongOidcRoute",
        ]);
        expect(checkProgram(schema, resources)).to.deep.equal([]);
    });

    it("finds a misspelled property, a missing required one, a wrong output, a wrong type and a bad enum value", () => {
        const broken = yamlText
            .replace("domainPrefix: kongidp-yaml", "domainPrefx: kongidp-yaml")
            .replace("clientId: ${idp.machineClientId}", "clientId: ${idp.machineClient}")
            .replace("scopes: ${idp.browserScopes}", "scopes: ${idp.webClientId}")
            .replace("mode: browser", "mode: web")
            .replace("ttlSeconds: 30", "ttlSeconds: thirty");
        const problems = checkProgram(schema, yamlResources(broken));
        expect(problems).to.include.members([
            "idp.domainPrefix: required",
            "oidcroute.oidc.clientId: idp.machineClient is no output of kong-cognito:index:CognitoIdp",
            "sampleroute.oidc.scopes: idp.webClientId is string, the property takes string[]",
            "sampleroute.mode: not a RouteMode (api, browser)",
            "sampleroute.cache.ttlSeconds: takes a number, got string",
        ]);
        expect(problems.some((p) => p.startsWith("idp.domainPrefx: no such property"))).to.equal(true);
        const python = pythonResources(pythonText.replace("kong_cognito.RouteMode.API", "kong_cognito.RouteMode.REST"));
        expect(checkProgram(schema, python)).to.deep.equal(["api.mode: not a RouteMode (api, browser)"]);
    });

    it("is what the README shows", () => {
        const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const [file, text, lang] of [
            ["Pulumi.yaml", yamlText, "yaml"],
            ["__main__.py", pythonText, "python"],
        ]) {
            const block = new RegExp(
                `<!-- example:package/${file} -->\n\`\`\`${lang}\n([\\s\\S]*?)\`\`\`\n<!-- /example:package/${file} -->`,
            ).exec(readme);
            expect(block, `README block <!-- example:package/${file} -->`).to.not.equal(null);
            expect(block![1]).to.equal(text);
        }
    });
});

describe("the components constructed through the component provider, as from Python", function () {
    this.timeout(120000);
    // The provider the schema tests analyzed already: construct() needs the schema too.
    const provider = packageProvider();

    /** construct() as the provider host runs it for a remote component, with the state serialized as it goes back. */
    async function construct(component: string, name: string, inputs: pulumi.Inputs) {
        const result = await provider.construct(name, token(component), inputs, {});
        const state = await rpc.serializeProperties(`construct(${component}, ${name})`, result.state);
        return { urn: await valueOf(result.urn), state };
    }

    let registrations: Registration[];
    let idp: { urn: string; state: Record<string, any> };
    let api: { urn: string; state: Record<string, any> };
    let browser: { urn: string; state: Record<string, any> };
    let cache: { urn: string; state: Record<string, any> };
    before(async () => {
        registrations = await recordAsync(async () => {
            idp = await construct("CognitoIdp", "idp", {
                domainPrefix: "kongidp-py",
                callbackUrls: ["https://kong.example.com/sampleroute"],
                resourceServer: { identifier: "http://kongresource", scopes: [{ name: "scope1", description: "Scope 1" }] },
                machineClient: {},
            });
            // What a Python program passes on: the idp's outputs arrive as Outputs (secrets stay secret).
            const output = <T>(value: T, secret = false) => (secret ? pulumi.secret(value) : pulumi.output(value));
            api = await construct("KongOidcRoute", "oidcroute", {
                namespace: "kong",
                publicBaseUrl: "https://kong.example.com",
                path: "/oidcroute",
                mode: "api",
                upstreamUrl: "http://httpbin.org",
                oidc: {
                    issuer: output(idp.state.discoveryUrl),
                    clientId: output(idp.state.machineClientId),
                    clientSecret: output(unwrap(idp.state.machineClientSecret), true),
                    scopes: output(idp.state.machineScopes),
                    requiredScopes: output(idp.state.machineScopes),
                },
            });
            browser = await construct("KongOidcRoute", "sampleroute", {
                namespace: "kong",
                publicBaseUrl: "https://kong.example.com",
                path: "/sampleroute",
                mode: "browser",
                upstreamUrl: "http://httpbin.org",
                cache: { ttlSeconds: 30 },
                oidc: {
                    issuer: output(idp.state.discoveryUrl),
                    clientId: output(idp.state.webClientId),
                    clientSecret: output(unwrap(idp.state.webClientSecret), true),
                    scopes: output(idp.state.browserScopes),
                    logoutEndpoint: output(idp.state.logoutEndpoint),
                    revocationEndpoint: output(idp.state.revocationEndpoint),
                },
            });
            cache = await construct("KongProxyCache", "shared-cache", { namespace: "kong", ttlSeconds: 60 });
        });
    });

    it("registers each component under its package token, with the children a TypeScript program gets", () => {
        expect(idp.urn).to.match(/::kong-cognito:index:CognitoIdp::idp$/);
        expect(childrenOf(registrations, token("CognitoIdp"), "idp")).to.include.members([
            "aws:cognito/userPool:UserPool idp-pool",
            "aws:cognito/userPoolClient:UserPoolClient idp-machine-client",
            "aws:cognito/userPoolClient:UserPoolClient idp-web-client",
        ]);
        expect(childrenOf(registrations, token("KongOidcRoute"), "oidcroute")).to.include.members([
            `${TYPES.kongPlugin} oidcroute-oidc`,
            `${TYPES.ingress} oidcroute-ingress`,
        ]);
        expect(childrenOf(registrations, token("KongProxyCache"), "shared-cache")).to.deep.equal([
            `${TYPES.kongPlugin} shared-cache-plugin`,
        ]);
    });

    it("returns the outputs the schema declares, the client secrets marked secret", () => {
        expect(idp.state.issuerUrl).to.match(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/);
        expect(rpc.isRpcSecret(idp.state.machineClientSecret)).to.equal(true);
        expect(rpc.isRpcSecret(idp.state.webClientSecret)).to.equal(true);
        expect(rpc.isRpcSecret(idp.state.issuerUrl)).to.equal(false);
        expect(idp.state.browserScopes).to.deep.equal(["openid", "email", "profile"]);
        expect(api.state.url).to.equal("https://kong.example.com/oidcroute");
        expect(api.state.authMethods).to.deep.equal(["bearer", "client_credentials"]);
        expect(browser.state.pluginNames).to.deep.equal(["sampleroute-oidc", "sampleroute-proxycache"]);
        expect(cache.state.pluginName).to.equal("shared-cache");
    });

    it("builds the routes from those outputs: the api route requires the machine scopes, the browser route keeps its secret in a Secret", () => {
        const configOf = (route: string) => {
            const secret = the(registrations, TYPES.secret, `${route}-oidc-config`);
            expect(isSecretValue(secret.inputs.stringData), `${route}-oidc-config is a secret`).to.equal(true);
            return JSON.parse(plainInputs(secret).stringData.config);
        };
        const apiConfig = configOf("oidcroute");
        expect(apiConfig.scopes_required).to.deep.equal(["http://kongresource/scope1"]);
        expect(apiConfig.issuer).to.equal(idp.state.discoveryUrl);
        const browserConfig = configOf("sampleroute");
        expect(browserConfig.client_id).to.deep.equal([idp.state.webClientId]);
        expect(browserConfig.client_secret).to.deep.equal([unwrap(idp.state.webClientSecret)]);
        expect(browserConfig.end_session_endpoint).to.equal(
            `${idp.state.logoutEndpoint}?client_id=${idp.state.webClientId}&logout_uri=https%3A%2F%2Fkong.example.com%2Fsampleroute`,
        );
    });

    it("refuses bad input through the provider with the message a TypeScript program gets", async () => {
        let error: Error | undefined;
        await recordAsync(async () => {
            try {
                await provider.construct(
                    "bad",
                    token("KongOidcRoute"),
                    { publicBaseUrl: "https://kong.example.com", path: "nope", mode: "api", oidc: {} },
                    {},
                );
            } catch (e) {
                error = e as Error;
            }
        });
        expect(error?.message).to.contain('KongOidcRoute "bad"').and.contain("path");
    });
});

/** What an async build registers, once every registration has landed. */
async function recordAsync(build: () => Promise<void>): Promise<Registration[]> {
    const runtime = mockRuntime();
    await runtime.settle();
    runtime.reset();
    await build();
    await runtime.settle();
    return [...runtime.registrations];
}

/** The schema-relevant fields of a property, without its description. */
function pick(property: SchemaProperty): Omit<SchemaProperty, "description"> {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { description, ...rest } = property;
    return rest;
}

function enumValues(schema: PackageSchema, name: string): unknown[] {
    return (schema.types[`kong-cognito:index:${name}`].enum ?? []).map((member) => member.value);
}

/** A secret's value as the provider serialized it. */
function unwrap(value: unknown): unknown {
    return rpc.isRpcSecret(value) ? rpc.unwrapRpcSecret(value) : value;
}
