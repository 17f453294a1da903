// `npm run deploy` against a stand-in `pulumi` executable (test/fixtures/pulumi-standin) that
// records each call and streams engine events to the Automation API, and the loopback stand-ins
// of Cognito and Kong that verify checks: the real Automation API and verify, no cloud.
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { backendUrl } from "../tools/shared/backend";
import { DeployOptions, DeployResult, runDeploy } from "../tools/deploy/deploy";
import { EXIT } from "../tools/deploy/exit";
import { DeploySetupError, findPulumi, needsPassphrase } from "../tools/deploy/pulumi";
import { npmScriptArgs } from "./npmScript";
import { CLIENT_SECRET, Servers, startWorld, World } from "./verifyWorld";

const ROOT = path.resolve(__dirname, "..");
const STANDIN = path.join(__dirname, "fixtures", "pulumi-standin");

interface Call {
    args: string[];
    cwd: string;
    backend: string | null;
    passphrase: boolean;
}

interface Run {
    result: DeployResult;
    lines: string[];
    /** What the CLI printed, streamed. */
    output: string;
    /** The stand-in CLI's calls after `version`. */
    calls: Call[];
    project: string;
}

/** A project directory of its own: the repository's Pulumi.yaml and dev stack file. */
function newProject(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "kong-cognito-deploy-"));
    copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    return dir;
}

describe("npm run deploy", function () {
    this.timeout(60000);
    let pulumi: PulumiCommand;
    let servers: Servers | undefined;
    const saved: Record<string, string | undefined> = {};
    /** Sets environment variables the stand-in CLI (a child process) reads, restored after each test. */
    const setEnv = (vars: Record<string, string>) => {
        for (const [name, value] of Object.entries(vars)) {
            if (!(name in saved)) {
                saved[name] = process.env[name];
            }
            process.env[name] = value;
        }
    };

    before(async () => {
        pulumi = await PulumiCommand.get({ root: STANDIN });
    });

    afterEach(async () => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
            delete saved[name];
        }
        await servers?.close();
        servers = undefined;
    });

    async function deploy(
        world: World,
        options: Partial<DeployOptions> = {},
        project = newProject(),
        prepare: (servers: Servers) => void = () => undefined,
    ): Promise<Run> {
        servers = await startWorld(world);
        prepare(servers);
        const state = path.join(project, ".standin-state");
        const log = path.join(project, "calls.jsonl");
        const outputs = path.join(project, "outputs.json");
        mkdirSync(state, { recursive: true });
        writeFileSync(outputs, JSON.stringify(servers.outputs));
        writeFileSync(log, "");
        setEnv({ STANDIN_LOG: log, STANDIN_STATE: state, STANDIN_OUTPUTS: outputs });
        const lines: string[] = [];
        let output = "";
        const clock = servers.clock;
        const result = await runDeploy({
            stack: "dev",
            pulumi,
            projectDir: project,
            yes: true,
            log: (line) => lines.push(line),
            write: (text) => (output += text),
            sleep: async (ms) => {
                clock.offsetMs += ms;
            },
            verify: { "skip-ttl": true },
            verifyOverrides: {
                timeoutMs: 3000,
                sleep: async (ms) => {
                    clock.offsetMs += ms;
                },
            },
            ...options,
            // A Pulumi home of its own: logged in to no backend unless the test writes its credentials.
            env: {
                PULUMI_HOME: path.join(project, ".pulumi-home"),
                ...(options.env ?? { PULUMI_CONFIG_PASSPHRASE: "a-long-test-passphrase" }),
            },
        });
        const calls = readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as Call);
        return { result, lines, output, calls, project };
    }

    const commands = (run: Run) => run.calls.map((c) => (c.args[0] === "stack" ? `stack ${c.args[1]}` : c.args[0]));

    /** The first deploy of a new project with the defaults, which several tests look at or start from: made once. */
    let firstDeploy: Promise<Run> | undefined;
    const deployOnce = () => (firstDeploy ??= deploy({}));
    /** A project of its own, deployed once (a copy of the first deploy's): its stack exists. */
    const deployedProject = async () => {
        const { project } = await deployOnce();
        // Its world served that deploy only (when this test was the first to ask for it).
        await servers?.close();
        servers = undefined;
        const copy = mkdtempSync(path.join(tmpdir(), "kong-cognito-deploy-"));
        cpSync(project, copy, { recursive: true });
        return copy;
    };

    it("creates the stack on first use, runs pulumi up on the local file backend with the passphrase, streams it, and verifies", async () => {
        const run = await deployOnce();
        expect(run.result.code).to.equal(EXIT.ok);
        expect(commands(run)).to.deep.equal(["stack select", "stack init", "up", "stack output", "stack output", "stack history"]);
        const up = run.calls[2];
        expect(up.args.slice(0, 3)).to.deep.equal(["up", "--yes", "--skip-preview"]);
        expect(up.args).to.include.members(["--stack", "dev", "--non-interactive"]);
        // The Automation API's event server: engine events come back over it.
        expect(up.args[up.args.indexOf("--event-log") + 1]).to.match(/^tcp:\/\/127\.0\.0\.1:\d+$/);
        for (const call of run.calls) {
            expect(call.backend).to.equal(`file://${path.join(run.project, ".pulumi-state")}`);
            expect(call.passphrase).to.equal(true);
            expect(call.cwd).to.equal(run.project);
        }
        expect(existsSync(path.join(run.project, ".pulumi-state"))).to.equal(true);
        expect(run.output).to.contain("Updating (dev):");
        expect(run.result.changes).to.deep.equal({ create: 4 });
        expect(run.lines).to.include("deploy: stack dev, state in .pulumi-state/ (local file backend) (not logged in to any backend)");
        expect(run.lines.find((l) => l.startsWith("deploy: creating stack dev"))).to.not.equal(undefined);
        expect(run.lines).to.include("deploy: pulumi up of dev done: 4 create");
        expect(run.lines).to.include("PASS oidcroute without a token: 401");
        expect(run.lines).to.include(
            "SKIP sampleroute with a session: needs a signed-in session: pass --sign-in (temporary users) or --session-cookie",
        );
        expect(run.lines[run.lines.length - 1]).to.equal("deploy: dev deployed and verified");
        expect(run.lines.join("\n") + run.output).to.not.contain(CLIENT_SECRET);
    });

    it("selects the stack the second time, without creating it", async () => {
        const again = await deploy({}, {}, await deployedProject());
        expect(again.result.code).to.equal(EXIT.ok);
        expect(commands(again)).to.deep.equal(["stack select", "up", "stack output", "stack output", "stack history"]);
        expect(again.lines.some((l) => l.startsWith("deploy: creating stack"))).to.equal(false);
    });

    it("--sign-in: signs temporary users in on the browser route after the deploy, with the AWS SDK's usual settings", async () => {
        const run = await deploy({}, { verify: { "skip-ttl": true, "sign-in": true } }, newProject(), (world) =>
            // What a CI runner sets for the SDK: endpoint (here the stand-in's), region, credentials.
            setEnv({
                AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: world.adminEndpoint,
                AWS_REGION: "us-east-1",
                AWS_ACCESS_KEY_ID: "AKIDDEPLOYTEST",
                AWS_SECRET_ACCESS_KEY: "not-a-real-secret",
                AWS_PROFILE: "",
            }),
        );
        expect(run.result.code, run.lines.join("\n")).to.equal(EXIT.ok);
        expect(run.lines.filter((l) => /^PASS sampleroute sign-in \(user [12]\)/.test(l))).to.have.length(2);
        expect(run.lines).to.include("PASS sampleroute cache: Miss, Hit (Age 0); TTL wait skipped");
        expect(run.lines.find((l) => l.startsWith("PASS sampleroute logout"))).to.not.equal(undefined);
        expect(run.lines.find((l) => l.startsWith("PASS temporary users deleted"))).to.not.equal(undefined);
        expect([...servers!.users.keys()]).to.deep.equal([]);
    });

    it("exits 3 and names the failed resource and the engine's error when pulumi up fails, and verifies nothing", async () => {
        setEnv({ STANDIN_FAIL: "up" });
        const run = await deploy({});
        expect(run.result.code).to.equal(EXIT.pulumiFailed);
        expect(run.result.failedResources).to.deep.equal(["aws:cognito/userPoolDomain:UserPoolDomain cognito-domain"]);
        expect(run.lines).to.include("deploy: pulumi up failed:");
        expect(run.lines).to.include(
            "  aws:cognito/userPoolDomain:UserPoolDomain cognito-domain: creating Cognito User Pool Domain (kongidp-dev): " +
                "InvalidParameterException: Domain already associated with another user pool.",
        );
        expect(run.lines).to.include("  failed: aws:cognito/userPoolDomain:UserPoolDomain cognito-domain");
        expect(commands(run)).to.deep.equal(["stack select", "stack init", "up"]);
        expect(servers!.hits.gateway).to.equal(0);
    });

    it("exits 1 and says so when the deploy worked but a verify check failed", async () => {
        const run = await deploy({ open: true });
        expect(run.result.code).to.equal(EXIT.verifyFailed);
        expect(run.lines).to.include(
            "FAIL oidcroute without a token: answered 200 without a token, expected 401 (the route is OPEN: check the KongPlugin's events and KIC's log)",
        );
        expect(run.lines[run.lines.length - 1]).to.equal("deploy: dev is deployed, but 2 verify check(s) failed (FAIL lines above)");
    });

    it("waits while the gateway answers Kong's 404 (routes not published yet), then verifies", async () => {
        const run = await deploy({ unpublishedFor: 5 });
        expect(run.result.code, run.lines.join("\n")).to.equal(EXIT.ok);
        expect(run.lines).to.include("deploy: waiting for 3 of 5 endpoints (KIC publishes routes, Cognito's domain resolves)...");
        // 3 routes answer 404 in the first round, 2 in the second: two waits of 5 s on the fake clock.
        expect(servers!.clock.offsetMs).to.equal(10000);
    });

    it("verifies anyway after --wait-seconds when a route is never published, and the 404 fails verify", async () => {
        const run = await deploy({ unpublishedFor: 1000 }, { waitMs: 10000 });
        const gateway = new URL(servers!.outputs.routes[0].url).host;
        expect(run.lines).to.include(
            `deploy: still not served after 10 s: ${gateway}/oidcroute, ${gateway}/cachedroute, ${gateway}/sampleroute; verifying anyway`,
        );
        expect(run.result.code).to.equal(EXIT.verifyFailed);
        expect(run.lines).to.include("FAIL oidcroute without a token: answered 404 without a token, expected 401");
    });

    it("waits for the hosted domain to resolve (any answer will do), and names it when it never does", async () => {
        const run = await deploy({ tokenDown: true }, { waitMs: 5000 });
        const hosted = new URL(servers!.outputs.tokenEndpoint).host;
        expect(run.lines).to.include(`deploy: still not served after 5 s: ${hosted}/oauth2/token; verifying anyway`);
        expect(run.result.code).to.equal(EXIT.verifyFailed);
    });

    it("--preview previews only: no up, no verify", async () => {
        const run = await deploy({}, { preview: true });
        expect(run.result.code).to.equal(EXIT.ok);
        expect(commands(run)).to.deep.equal(["stack select", "stack init", "preview"]);
        expect(run.output).to.contain("Previewing update (dev):");
        expect(run.lines).to.include("deploy: preview of dev: 4 create");
        expect(servers!.hits.gateway).to.equal(0);
    });

    it("on a terminal, without --yes: previews, asks, and deploys only on yes", async () => {
        const asked: string[] = [];
        const terminal = (answer: boolean) => ({
            confirm: async (question: string) => {
                asked.push(question);
                return answer;
            },
            passphrase: async () => "unused",
        });
        const no = await deploy({}, { yes: false, terminal: terminal(false) });
        expect(no.result.code).to.equal(EXIT.ok);
        expect(commands(no)).to.deep.equal(["stack select", "stack init", "preview"]);
        expect(no.lines[no.lines.length - 1]).to.equal("deploy: nothing changed");
        expect(asked).to.deep.equal(["Deploy these changes to dev? [y/N] "]);
        await servers!.close();
        const yes = await deploy({}, { yes: false, terminal: terminal(true) });
        expect(commands(yes)).to.deep.equal([
            "stack select",
            "stack init",
            "preview",
            "up",
            "stack output",
            "stack output",
            "stack history",
        ]);
        expect(yes.result.code).to.equal(EXIT.ok);
    });

    it("asks for the passphrase on a terminal when none is set, and refuses without one", async () => {
        const asked: string[] = [];
        const run = await deploy(
            {},
            {
                env: {},
                terminal: {
                    confirm: async () => true,
                    passphrase: async (prompt) => {
                        asked.push(prompt);
                        return "typed-passphrase";
                    },
                },
            },
        );
        expect(asked).to.deep.equal(["Passphrase for the secrets of stack dev: "]);
        // Every call after `version` got the typed passphrase (and there were calls: select, init, up, ...).
        expect(run.calls.map((c) => c.passphrase)).to.deep.equal([true, true, true, true, true, true]);
        await servers!.close();
        let refused: unknown;
        await deploy({}, { env: {} }).catch((error: unknown) => (refused = error));
        expect(refused).to.be.instanceOf(DeploySetupError);
        expect((refused as Error).message).to.equal(
            "the stack's secrets are encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)",
        );
    });

    it("uses the backend the CLI is logged in to, not a second, empty local stack; the project's folder only when asked", async () => {
        const project = newProject();
        mkdirSync(path.join(project, ".pulumi-home"));
        writeFileSync(path.join(project, ".pulumi-home", "credentials.json"), JSON.stringify({ current: "s3://team-state/kong-cognito" }));
        const loggedIn = await deploy({}, {}, project);
        expect(loggedIn.calls.map((c) => c.backend)).to.deep.equal(Array(6).fill("s3://team-state/kong-cognito"));
        expect(existsSync(path.join(project, ".pulumi-state"))).to.equal(false);
        expect(loggedIn.lines).to.include("deploy: stack dev, state in s3://team-state/kong-cognito (the backend pulumi login chose)");
        await servers!.close();
        const local = await deploy({}, { localBackend: true }, project);
        expect(local.calls.length).to.be.greaterThan(0);
        expect(local.calls.map((c) => c.backend)).to.deep.equal(
            Array(local.calls.length).fill(`file://${path.join(project, ".pulumi-state")}`),
        );
        expect(local.lines).to.include("deploy: stack dev, state in .pulumi-state/ (local file backend) (asked for with --local-backend)");
    });

    it("uses Pulumi.yaml's backend.url, and Pulumi Cloud for PULUMI_ACCESS_TOKEN without a login, as the CLI does", () => {
        const project = newProject();
        const env = { PULUMI_HOME: path.join(project, ".pulumi-home") };
        expect(backendUrl({ ...env, PULUMI_ACCESS_TOKEN: "pul-x" }, project)).to.deep.equal({
            url: "https://api.pulumi.com",
            local: false,
            source: "PULUMI_ACCESS_TOKEN, not logged in",
        });
        writeFileSync(
            path.join(project, "Pulumi.yaml"),
            `${readFileSync(path.join(project, "Pulumi.yaml"), "utf8")}\nbackend:\n  url: gs://team-state\n`,
        );
        expect(backendUrl(env, project).url).to.equal("gs://team-state");
        expect(backendUrl({ ...env, PULUMI_BACKEND_URL: "s3://other" }, project).url).to.equal("s3://other");
        expect(backendUrl({ PULUMI_CREDENTIALS_PATH: path.join(project, "none") }, project, { local: true }).local).to.equal(true);
    });

    it("uses PULUMI_BACKEND_URL when set: no local state folder; no passphrase for Pulumi Cloud", async () => {
        const s3 = await deploy({}, { env: { PULUMI_BACKEND_URL: "s3://team-state/kong-cognito", PULUMI_CONFIG_PASSPHRASE: "p" } });
        expect(s3.calls.map((c) => c.backend)).to.deep.equal(Array(6).fill("s3://team-state/kong-cognito"));
        expect(existsSync(path.join(s3.project, ".pulumi-state"))).to.equal(false);
        expect(s3.lines).to.include("deploy: stack dev, state in s3://team-state/kong-cognito (PULUMI_BACKEND_URL)");
        await servers!.close();
        const cloud = await deploy({}, { env: { PULUMI_BACKEND_URL: "https://api.pulumi.com" } });
        expect(cloud.result.code).to.equal(EXIT.ok);
        expect(cloud.calls.map((c) => c.passphrase)).to.deep.equal([false, false, false, false, false, false]);
    });

    it("refuses a stack without a stack file, naming the stacks there are", async () => {
        let refused: unknown;
        await deploy({}, { stack: "staging" }).catch((error: unknown) => (refused = error));
        expect((refused as Error).message).to.equal(
            "no Pulumi.staging.yaml in the project (stacks: dev); a new environment is one more stack file",
        );
    });

    it("a second deploy with nothing to change says so", async () => {
        const project = await deployedProject();
        setEnv({ STANDIN_UNCHANGED: "1" });
        const again = await deploy({}, {}, project);
        expect(again.lines).to.include("deploy: pulumi up of dev done: no changes (4 unchanged)");
    });

    it("needs a passphrase for a passphrase stack or a new stack on a self-managed backend, not for a KMS key or Pulumi Cloud", () => {
        const file = "file:///srv/state";
        expect(needsPassphrase({}, file)).to.equal(true);
        expect(needsPassphrase({}, "s3://bucket/state")).to.equal(true);
        expect(needsPassphrase({ encryptionsalt: "v1:abc" }, "https://api.pulumi.com")).to.equal(true);
        expect(needsPassphrase({}, "https://api.pulumi.com")).to.equal(false);
        expect(needsPassphrase({ secretsprovider: "awskms://alias/pulumi?region=us-east-1" }, file)).to.equal(false);
        expect(needsPassphrase({ secretsprovider: "passphrase" }, "https://api.pulumi.com")).to.equal(true);
    });

    it("finds a CLI the installer put in ~/.pulumi/versions/<SDK version> when none is on PATH", async () => {
        const home = mkdtempSync(path.join(tmpdir(), "kong-cognito-home-"));
        const { version } = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
        const root = path.join(home, ".pulumi", "versions", version);
        mkdirSync(path.join(root, "bin"), { recursive: true });
        copyFileSync(path.join(STANDIN, "bin", "pulumi"), path.join(root, "bin", "pulumi"));
        chmodSync(path.join(root, "bin", "pulumi"), 0o755);
        setEnv({ HOME: home, PATH: path.dirname(process.execPath) });
        const found = await findPulumi(false, () => undefined);
        expect(found.command).to.equal(path.join(root, "bin", "pulumi"));
        expect(found.version?.toString()).to.equal("3.210.0");
    });

    describe("the command", () => {
        const node = path.dirname(process.execPath);
        // A child process: exit status and stderr, PATH and HOME without a CLI, stdin without a terminal
        // are the behaviour under test. As `npm run deploy` runs it.
        const run = (env: Record<string, string>, ...args: string[]) => {
            const child = spawnSync(process.execPath, [...npmScriptArgs("deploy"), ...args], {
                cwd: ROOT,
                encoding: "utf8",
                timeout: 60000,
                env: { ...process.env, ...env },
            });
            return { status: child.status, stdout: child.stdout, stderr: child.stderr };
        };

        it("without the Pulumi CLI: says how to install it, exit 2, no stack trace", () => {
            const home = mkdtempSync(path.join(tmpdir(), "kong-cognito-home-"));
            const child = run({ PATH: node, HOME: home }, "dev", "--yes");
            expect(child.status).to.equal(2);
            expect(child.stderr).to.contain("deploy: the Pulumi CLI is not installed (deploy drives it through the Automation API).");
            expect(child.stderr).to.contain("curl -fsSL https://get.pulumi.com | sh");
            expect(child.stderr).to.contain("npm run deploy -- <stack> --install-cli");
            expect(child.stderr).to.not.match(/^\s+at /m);
        });

        it("refuses options --preview would ignore, and a --session-cookie file that is not there, before anything runs", () => {
            const bin = { PATH: `${path.join(STANDIN, "bin")}:${node}` };
            const preview = run(bin, "dev", "--preview", "--sign-in");
            expect(preview.status).to.equal(2);
            expect(preview.stderr).to.equal(
                "--preview changes and verifies nothing: --sign-in does not apply (npm run deploy -- --help)\n",
            );
            const cookie = run(bin, "dev", "--yes", "--session-cookie", "@no-such-cookie.txt");
            expect(cookie.status).to.equal(2);
            expect(cookie.stderr).to.equal("--session-cookie @no-such-cookie.txt: no such file (npm run deploy -- --help)\n");
        });

        it("without a terminal and without --yes: one line, exit 2, nothing run", () => {
            const child = run({ PATH: `${path.join(STANDIN, "bin")}:${node}` }, "dev");
            expect(child.status).to.equal(2);
            expect(child.stderr).to.equal(
                "no terminal to confirm on: pass --yes to deploy without asking (or --preview) (npm run deploy -- --help)\n",
            );
        });
    });
});
