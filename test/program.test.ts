// The Pulumi program (index.ts) and the package entry, as `pulumi up` and an importing project see them.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { checkProviderConfig } from "../stacks/config";
import { stackOutputsSchema } from "../stacks/outputs";
import { readStackConfig } from "../stacks/program";
import { loadProgram, record, resolve, seedConfig, TYPES } from "./harness";

const ROOT = path.resolve(__dirname, "..");

describe("the program", () => {
    it("builds the stack from the runtime config and exports its outputs, secrets kept secret", async () => {
        const previous = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig(seedConfig("dev"));
        try {
            const { result: program, registrations } = await record(() =>
                loadProgram<Record<string, pulumi.Output<string>>>(path.join(ROOT, "index")),
            );
            expect(registrations.filter((r) => r.type === TYPES.ingress)).to.have.lengthOf(2);
            // Every output the stack declares, so `npm run verify` finds on a real stack what it reads.
            expect(Object.keys(program).sort()).to.deep.equal(Object.keys(stackOutputsSchema.shape).sort());
            expect(await pulumi.isSecret(program.webClientSecret)).to.equal(true);
            expect(await pulumi.isSecret(program.machineClientSecret)).to.equal(true);
            expect(await resolve(program.hostedUiUrl)).to.equal("https://kongidp-dev.auth.us-east-1.amazoncognito.com");
        } finally {
            pulumi.runtime.setAllConfig(previous);
        }
    });
});

describe("the config map beyond kong-cognito's keys", () => {
    const base = { "aws:region": "us-east-1", "kong-cognito:domainPrefix": "kongidp" };

    it("refuses a key in a namespace the program does not read, suggesting the one meant", () => {
        expect(checkProviderConfig({ ...base, "kong-cogntio:mfa": "ON" }, [])).to.deep.equal([
            {
                propertyPath: "kong-cogntio:mfa",
                value: "ON",
                rule: "is in no namespace this program reads (kong-cognito, aws, kubernetes, kong, pulumi): did you mean kong-cognito:mfa?",
            },
        ]);
    });

    it("refuses the Kong admin token in plain text, naming the command that encrypts it, without printing it", () => {
        const [issue] = checkProviderConfig({ ...base, "kong:kongAdminToken": "tok-123" }, []);
        expect(issue.propertyPath).to.equal("kong:kongAdminToken");
        expect(issue.rule).to.equal(
            "is a credential in plain text: set it encrypted with pulumi config set --secret kong:kongAdminToken <value>",
        );
        expect(JSON.stringify(issue)).to.not.contain("tok-123");
        expect(checkProviderConfig({ ...base, "kong:kongAdminToken": "tok-123" }, ["kong:kongAdminToken"])).to.deep.equal([]);
    });

    it("refuses a region AWS does not have", () => {
        expect(checkProviderConfig({ ...base, "aws:region": "us-east-7" }, []).map((i) => i.rule)).to.deep.equal([
            "is not an AWS region (such as us-east-1 or eu-west-1)",
        ]);
        expect(checkProviderConfig({ ...base, "aws:region": "eu-central-2" }, [])).to.deep.equal([]);
    });

    it("reports them with kong-cognito's own errors in one run", () => {
        const previous = pulumi.runtime.allConfig();
        pulumi.runtime.setAllConfig({ ...seedConfig("dev"), "aws:region": "mars-1", "kong-cognito:mfa": "SOMETIMES" });
        try {
            expect(() => readStackConfig()).to.throw(/aws:region = "mars-1"[\s\S]*kong-cognito:mfa = "SOMETIMES"/);
        } finally {
            pulumi.runtime.setAllConfig(previous);
        }
    });
});

/** Every value the package entry exported before the library was laid out by system (types have no runtime name). */
const EXPORTED_BEFORE_THE_REDESIGN = [
    "CognitoIdp",
    "COGNITO_IDP_TYPE",
    "REQUIRED_USER_ATTRIBUTES",
    "resolveCognitoIdpArgs",
    "KongOidcRoute",
    "KONG_OIDC_ROUTE_TYPE",
    "resolveKongOidcRouteArgs",
    "KongProxyCache",
    "KONG_PROXY_CACHE_TYPE",
    "resolveProxyCacheSettings",
    "resolveKongProxyCacheArgs",
    "DEFAULT_AUTH_METHODS",
    "OIDC_AUTH_METHODS",
    "PROXY_CACHE_DEFAULTS",
    "cacheVaryHeaders",
    "openIdConnectConfig",
    "parseUpstreamUrl",
    "proxyCacheConfig",
    "KongCognitoInputError",
];

describe("the package entry", () => {
    it("still exports every value it exported before the redesign", () => {
        const entry = require("../components") as Record<string, unknown>;
        expect(EXPORTED_BEFORE_THE_REDESIGN.filter((name) => entry[name] === undefined)).to.deep.equal([]);
    });

    it("exports the components and registers nothing when imported (no Pulumi engine needed)", () => {
        const script =
            "const m = require('./components'); console.log(['CognitoIdp','KongOidcRoute','KongProxyCache'].map(k => typeof m[k]).join(','))";
        // A child process: this one has the mock runtime installed (test/setup.ts), a consumer's has none.
        const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30000 });
        expect(child.stderr).to.equal("");
        expect(child.status).to.equal(0);
        expect(child.stdout.trim()).to.equal("function,function,function");
    });
});
