// `npm run plan`: the plan model as pure functions, the command itself run as users run it (one
// process per plan) on the seed's stack files, and what it shows for other stack files, planned in
// this process the way the command plans.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planFailure, resolveOutputs } from "../tools/plan/plan";
import { buildPlan, Plan, PlannedResource, longestChain, redact, renderMermaid, renderTree, SECRET_MARKER } from "../tools/plan/planModel";
import { SECRET_SIG, SIG_KEY } from "../tools/shared/mockRuntime";
import { readProjectFile, readStackConfigFile, stackNames } from "../tools/shared/stackFiles";
import { evaluateProgram, seedStackFile } from "./harness";
import { npmScriptArgs } from "./npmScript";
import { mockRuntime } from "./setup";

const ROOT = path.resolve(__dirname, "..");
const TMP = mkdtempSync(path.join(tmpdir(), "kong-cognito-plan-"));

// A child process, as `npm run plan` runs it: the command's exit status, stdout and stderr are the
// behaviour under test.
function plan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const child = spawnSync(process.execPath, [...npmScriptArgs("plan"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60000,
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function resource(name: string, deps: string[], options: { custom?: boolean; parent?: string } = {}): PlannedResource {
    return {
        urn: name,
        type: options.custom === false ? "kong-cognito:index:Thing" : "test:index:Thing",
        name,
        parent: options.parent ?? null,
        custom: options.custom ?? true,
        protect: false,
        inputs: {},
        dependsOn: [],
        propertyDependencies: {},
        dependencies: deps,
    };
}

describe("plan model", () => {
    it("replaces secrets, however deep, by the marker", () => {
        const secret = { [SIG_KEY]: SECRET_SIG, value: "hunter2-hunter2" };
        expect(redact({ a: secret, b: [1, { c: secret }], d: "plain" })).to.deep.equal({
            a: SECRET_MARKER,
            b: [1, { c: SECRET_MARKER }],
            d: "plain",
        });
    });

    it("finds the longest chain of custom resources", () => {
        const resources = [
            resource("pool", []),
            resource("client", ["pool"]),
            resource("secret", ["client"]),
            resource("domain", ["pool"]),
        ];
        expect(longestChain(resources)).to.deep.equal({ depth: 3, urns: ["pool", "client", "secret"] });
    });

    it("counts a dependency on a component as one on its custom children, and components as free", () => {
        const resources = [
            resource("app", ["base"], { custom: false }),
            resource("base", []),
            resource("deployment", [], { parent: "app" }),
            resource("ingress", ["app"]),
        ];
        expect(longestChain(resources)).to.deep.equal({ depth: 3, urns: ["base", "deployment", "ingress"] });
    });

    it("draws components as subgraphs and edges from what is needed to what needs it", () => {
        const model: Plan = {
            project: "p",
            stack: "s",
            resourceCount: 3,
            customResourceCount: 2,
            resources: [
                resource("route", [], { custom: false }),
                resource("plugin", [], { parent: "route" }),
                resource("ingress", ["plugin"], { parent: "route" }),
            ],
            edges: [{ from: "ingress", to: "plugin", kind: "dependsOn" }],
            longestChain: { depth: 2, urns: ["plugin", "ingress"] },
            outputs: {},
        };
        expect(renderMermaid(model)).to.equal(
            [
                "flowchart LR",
                '    subgraph r0["route (Thing)"]',
                '        r1["plugin<br/><small>Thing</small>"]',
                '        r2["ingress<br/><small>Thing</small>"]',
                "    end",
                "    r1 -.-> r2",
                "",
            ].join("\n"),
        );
    });
});

describe("npm run plan", function () {
    this.timeout(90000);
    let devJson: Plan;
    let devJsonText: string;
    let devMermaid: string;
    before(() => {
        const mermaidFile = path.join(TMP, "dev.mmd");
        const result = plan("dev", "--config", seedStackFile("dev"), "--json", "--mermaid", mermaidFile);
        expect(result.stderr).to.equal("");
        expect(result.status).to.equal(0);
        devJsonText = result.stdout;
        devJson = JSON.parse(result.stdout);
        devMermaid = readFileSync(mermaidFile, "utf8");
    });

    it("lists every resource of the dev stack with URN, type, name, parent, inputs and dependencies", () => {
        expect(devJson.resourceCount).to.equal(21);
        expect(devJson.customResourceCount).to.equal(16);
        const pool = devJson.resources.find((r) => r.name === "cognito-pool")!;
        expect(pool.urn).to.equal(
            "urn:pulumi:dev::kong-cognito::kong-cognito:index:CognitoIdp$aws:cognito/userPool:UserPool::cognito-pool",
        );
        expect(pool.parent).to.equal("urn:pulumi:dev::kong-cognito::kong-cognito:index:CognitoIdp::cognito");
        expect(pool.inputs).to.deep.include({ name: "kongpool", usernameAttributes: ["email"] });
        const client = devJson.resources.find((r) => r.name === "cognito-machine-client")!;
        expect(client.propertyDependencies.allowedOauthScopes).to.deep.equal([
            devJson.resources.find((r) => r.name === "cognito-resource-server")!.urn,
        ]);
    });

    it("shows the fail-closed edges: each Ingress waits for its auth plugin and the plugin's Secret", () => {
        const urn = (name: string) => devJson.resources.find((r) => r.name === name)!.urn;
        for (const route of ["oidcroute", "sampleroute"]) {
            const from = urn(`${route}-ingress`);
            const targets = devJson.edges.filter((e) => e.from === from).map((e) => e.to);
            expect(targets, route).to.include.members([urn(`${route}-oidc`), urn(`${route}-oidc-config`)]);
        }
        expect(devJson.edges).to.deep.include({ from: urn("sampleroute-ingress"), to: urn("sampleroute-oidc-config"), kind: "dependsOn" });
    });

    it("gives the longest dependency chain: pool, resource server, machine client, Secret, plugin, Ingress", () => {
        const names = devJson.longestChain.urns.map((u) => devJson.resources.find((r) => r.urn === u)!.name);
        expect(names).to.deep.equal([
            "cognito-pool",
            "cognito-resource-server",
            "cognito-machine-client",
            "oidcroute-oidc-config",
            "oidcroute-oidc",
            "oidcroute-ingress",
        ]);
        expect(devJson.longestChain.depth).to.equal(6);
    });

    it("never prints a secret: plugin configs and client secrets show the marker", () => {
        expect(devJsonText).to.not.match(/mock-secret-/);
        expect(devMermaid).to.not.match(/mock-secret-/);
        const secret = devJson.resources.find((r) => r.name === "oidcroute-oidc-config")!;
        expect(secret.inputs.stringData).to.equal(SECRET_MARKER);
        expect(devJson.outputs.webClientSecret).to.equal(SECRET_MARKER);
        expect(devJson.outputs.machineClientSecret).to.equal(SECRET_MARKER);
        expect(devJson.outputs.tokenEndpoint).to.equal("https://kongidp-dev.auth.us-east-1.amazoncognito.com/oauth2/token");
    });

    it("writes a Mermaid graph with a subgraph per component and the dependency edges", () => {
        expect(devMermaid.startsWith("flowchart LR\n")).to.equal(true);
        expect(devMermaid.match(/subgraph /g)).to.have.lengthOf(5);
        expect(devMermaid.match(/-->|-\.->/g)).to.have.lengthOf(devJson.edges.length);
    });

    it("is the graph the README embeds (the seed's dev stack)", () => {
        const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
        const embedded = /<!-- plan:dev -->\n```mermaid\n([\s\S]*?)```\n<!-- \/plan:dev -->/.exec(readme);
        expect(embedded, "README section between <!-- plan:dev --> markers").to.not.equal(null);
        expect(embedded![1]).to.equal(devMermaid);
    });

    it("writes the prod tree to --out, leaving stdout for messages (npm prints its banner there), with the settings a reviewer checks", () => {
        const file = path.join(TMP, "prod.txt");
        const result = plan("prod", "--config", seedStackFile("prod"), "--out", file);
        expect(result.stderr).to.equal("");
        expect(result.status).to.equal(0);
        expect(result.stdout).to.equal("");
        const tree = readFileSync(file, "utf8");
        expect(tree).to.contain('Plan of stack "prod" (project kong-cognito)');
        expect(tree).to.match(/cognito-pool {2}\(aws:cognito\/userPool:UserPool\)\n.*deletionProtection=ACTIVE.*protect=true/);
        expect(tree).to.contain("plugin=proxy-cache");
        expect(tree).to.contain('"cache_ttl":30');
        expect(tree).to.contain("stringData=[secret]");
        expect(tree).to.contain("externalName=web.web.svc.cluster.local");
        expect(tree).to.contain("sampleroute-session-secret  (random:index/randomBytes:RandomBytes)");
        expect(tree).to.contain('allowedOauthScopes=["openid","email","profile"]  explicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"]');
        expect(tree).to.contain("Resources: 19 (15 to create, 4 components)");
        expect(tree).to.match(/\nPlanned in \d+ ms\.\n$/);
        expect(tree).to.not.match(/mock-secret-/);
    });

    it("exits 1 with the validation message a pulumi up would show", () => {
        const file = path.join(TMP, "Pulumi.bad.yaml");
        const dev = readFileSync(seedStackFile("dev"), "utf8");
        writeFileSync(file, dev.replace("kongidp-dev", "my-cognito-login"));
        const result = plan("bad", "--config", file);
        expect(result.status).to.equal(1);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.equal(
            'stack "bad": invalid input\n  - kong-cognito:domainPrefix = "my-cognito-login": must not contain "cognito" (AWS rejects such prefixes)\n',
        );
    });

    it("stops where the Pulumi CLI would, with its message, before the program runs", () => {
        const file = path.join(TMP, "Pulumi.typo.yaml");
        writeFileSync(
            file,
            readFileSync(seedStackFile("dev"), "utf8").replace(
                /^config:\n( +)/m,
                "config:\n$1kong-cognito:refreshTokenValidityDays: thirty\n$1",
            ),
        );
        const result = plan("typo", "--config", file);
        expect(result.status).to.equal(1);
        expect(result.stderr).to.equal(
            "the Pulumi CLI refuses Pulumi.typo.yaml before the program runs:\n" +
                "  Stack 'typo' with configuration key 'refreshTokenValidityDays' must be of type 'integer'\n",
        );
    });

    it("exits 2 for a stack without a stack file, naming the stacks there are", () => {
        const result = plan("no-such-stack");
        expect(result.status).to.equal(2);
        expect(result.stderr).to.contain(`no stack file Pulumi.no-such-stack.yaml (stacks: ${stackNames().join(", ")})`);
    });
});

/**
 * What `npm run plan` makes of a stack file, made in this process as the command makes it: the
 * stack file read, the program evaluated on the mock runtime with its config, the outputs resolved
 * and the tree rendered; or, when the program refuses the config, the message plan prints for it;
 * and what the program logged besides. The command's own wiring (stdout, stderr, exit status) is
 * tested above, in child processes.
 */
async function planInProcess(stack: string, file: string): Promise<{ tree?: string; failure?: string; logged: string[] }> {
    const config = readStackConfigFile(stack, { stackFile: file });
    let evaluated: Awaited<ReturnType<typeof evaluateProgram>>;
    try {
        evaluated = await evaluateProgram(config);
    } catch (error) {
        return { failure: planFailure(error), logged: [] };
    }
    const outputs = await resolveOutputs(evaluated.outputs);
    await mockRuntime().settle();
    const plan = buildPlan(readProjectFile().name, stack, mockRuntime().registrations, outputs);
    return { tree: renderTree(plan), logged: evaluated.logLines.filter((line) => line !== "") };
}

describe("what npm run plan shows for a stack file", () => {
    it("reads encrypted values inside structured keys as pulumi up does: secret, and no parse error", async () => {
        const file = path.join(TMP, "Pulumi.redis.yaml");
        const dev = readFileSync(seedStackFile("dev"), "utf8");
        writeFileSync(
            file,
            dev.replace(
                "config:\n",
                "config:\n  kong-cognito:redis:\n    host: redis.kong.svc.cluster.local\n    tls: true\n    password:\n      secure: v1:AAAAplaceholder\n",
            ),
        );
        const result = await planInProcess("redis", file);
        expect(result.logged).to.deep.equal([]);
        expect(result.failure).to.equal(undefined);
        expect(result.tree).to.contain("plugin=proxy-cache-advanced");
        expect(result.tree).to.contain("configFrom=");
        expect(result.tree).to.not.contain("AAAAplaceholder");
    });

    it("refuses a Kong admin token in plain text, naming the command that encrypts it", async () => {
        const file = path.join(TMP, "Pulumi.plain.yaml");
        const admin = readFileSync(seedStackFile("admin"), "utf8");
        writeFileSync(file, admin.replace(/kong:kongAdminToken:\n\s+secure: \S+/, "kong:kongAdminToken: tok-in-plain-text"));
        const result = await planInProcess("plain", file);
        expect(result.tree).to.equal(undefined);
        expect(result.failure).to.contain("pulumi config set --secret kong:kongAdminToken <value>");
        expect(result.failure).to.not.contain("tok-in-plain-text");
    });

    it("plans the gateway fixture: the Gateway, each seed route as an HTTPRoute on it, the grant to the web namespace", async () => {
        const result = await planInProcess("gateway", seedStackFile("gateway"));
        expect(result.logged).to.deep.equal([]);
        expect(result.failure).to.equal(undefined);
        expect(result.tree).to.contain('listeners=["HTTPS kong.dev.example.com:443"]');
        expect(result.tree).to.contain(
            'name=oidcroute  namespace=kong  gateway=["kong-gateway/kong"]  path=/oidcroute  backend=oidcroute-upstream:80  plugins=oidcroute-oidc  stripPath=true',
        );
        expect(result.tree).to.contain("backend=web/web:80  plugins=sampleroute-oidc,sampleroute-proxycache");
        expect(result.tree).to.match(
            /sampleroute-httproute → sampleroute-oidc-config \[dependsOn\], sampleroute-backend-grant \[dependsOn\], gateway-gateway/,
        );
        expect(result.tree).to.not.contain("Ingress");
    });

    for (const target of ["ingress", "gateway", "admin"]) {
        it(`plans the Kong OSS fixture on the ${target} target, saying what each route does not check`, async () => {
            const file = path.join(TMP, `Pulumi.oss-${target}.yaml`);
            const admin = target === "admin" ? "\n  kong:kongAdminUri: http://localhost:8001" : "";
            writeFileSync(
                file,
                readFileSync(seedStackFile("oss"), "utf8").replace(
                    "kong-cognito:kongEdition: oss",
                    `kong-cognito:kongEdition: oss\n  kong-cognito:target: ${target}${admin}`,
                ),
            );
            const result = await planInProcess("oss", file);
            expect(result.logged).to.deep.equal([]);
            expect(result.failure).to.equal(undefined);
            expect(result.tree).to.contain("jwksUrl=https://cognito-idp.us-east-1.amazonaws.com/");
            expect(result.tree).to.match(/name=(oidcroute-)?jwt .*"key_claim_name":"kid"/);
            expect(result.tree).to.match(/"claims_to_verify":\["exp"\]/);
            expect(result.tree).to.not.contain("openid-connect");
            for (const route of ["oidcroute", "sampleroute"]) {
                expect(result.tree).to.contain(
                    `Route ${route} (Kong OSS, jwt plugin):\n  checks: signature by a signing key of the user pool`,
                );
                expect(result.tree).to.contain("  does NOT check: scopes; the client the token was issued to (client_id)");
            }
        });
    }

    it("plans a stack of API routes only, without a web client", async () => {
        const file = path.join(TMP, "Pulumi.api.yaml");
        writeFileSync(
            file,
            [
                "config:",
                "  aws:region: eu-west-1",
                "  kong-cognito:publicBaseUrl: https://api.example.com",
                "  kong-cognito:domainPrefix: orders-api-login",
                "  kong-cognito:routes:",
                "    - name: orders",
                "      path: /orders",
                "      mode: api",
                "      upstreamUrl: https://orders.internal.example.com",
                "",
            ].join("\n"),
        );
        const result = await planInProcess("api", file);
        expect(result.logged).to.deep.equal([]);
        expect(result.failure).to.equal(undefined);
        expect(result.tree).to.contain("cognito-machine-client");
        expect(result.tree).to.not.contain("cognito-web-client");
    });

    it("reports every type error and every rule error of a stack file in one run", async () => {
        const file = path.join(TMP, "Pulumi.mixed.yaml");
        writeFileSync(
            file,
            [
                "config:",
                "  aws:region: us-east-1",
                "  kong-cognito:publicBaseUrl: http://kong.example.com",
                "  kong-cognito:domainPrefix: my-cognito-login",
                "  kong-cognito:accessTokenValidityMinutes: 1",
                "  kong-cognito:mfa: SOMETIMES",
                "  kong-cognito:routes:",
                "    - name: api",
                "      path: /api",
                "      mode: api",
                "      upstreamUrl: http://httpbin.org",
                "      cache:",
                "        ttlSeconds: 0",
                "",
            ].join("\n"),
        );
        const result = await planInProcess("mixed", file);
        expect(result.tree).to.equal(undefined);
        expect(
            result
                .failure!.split("\n")
                .filter((l) => l.startsWith("  - "))
                .map((l) => l.split(" = ")[0])
                .sort(),
        ).to.deep.equal([
            "  - kong-cognito:accessTokenValidityMinutes",
            "  - kong-cognito:domainPrefix",
            "  - kong-cognito:mfa",
            "  - kong-cognito:publicBaseUrl",
            "  - kong-cognito:routes[0].cache.ttlSeconds",
        ]);
        expect(result.failure).to.contain('kong-cognito:mfa = "SOMETIMES": Invalid option: expected one of');
    });
});
