// Every command a person runs, learnable from the terminal: --help prints the usage and exits 0,
// a bad option or argument is one line and exit 2, never a stack trace; and both come before the
// command loads the Pulumi SDK, so they take a moment, not the SDK's seconds.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { npmScriptArgs } from "./npmScript";

const ROOT = path.resolve(__dirname, "..");
const TMP = mkdtempSync(path.join(tmpdir(), "kong-cognito-tools-"));
/** Reports the packages of node_modules/@pulumi/ a process loaded. */
const PULUMI_MODULES = path.join(__dirname, "fixtures", "pulumiModules.ts");
const TOOLS = ["plan", "verify", "deploy", "bench", "guard:update", "sync:config", "engine:build", "test:mutation", "test:twice"];
/** What a command's usage must mention besides its synopsis: the options and settings people look up. */
const USAGE_MENTIONS: Record<string, readonly string[]> = {
    plan: ["--json", "--out", "--mermaid", "--config"],
    verify: ["--outputs", "--skip-ttl", "--sign-in", "--session-cookie", "--aws-profile"],
    deploy: ["--yes", "--preview", "--install-cli", "--sign-in", "--session-cookie", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"],
};

let runs = 0;

/**
 * Runs the npm script `name` as `npm run` does, with the preload that reports what it loaded. A child
 * process: its exit status, stdout and stderr, and what it loaded, are the behaviour under test.
 */
function run(name: string, ...args: string[]): { status: number | null; stdout: string; stderr: string; pulumiModules: string[] } {
    const report = path.join(TMP, `run-${++runs}.json`);
    const script = npmScriptArgs(name);
    const entry = script.length - 1;
    const child = spawnSync(process.execPath, [...script.slice(0, entry), "--require", PULUMI_MODULES, script[entry], ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60000,
        env: { ...process.env, PULUMI_MODULES_REPORT: report },
    });
    const pulumiModules = JSON.parse(readFileSync(report, "utf8")) as string[];
    return { status: child.status, stdout: child.stdout, stderr: child.stderr, pulumiModules };
}

describe("the commands", function () {
    this.timeout(120000);

    for (const name of TOOLS) {
        describe(`npm run ${name}`, () => {
            it("prints its usage for --help and exits 0, without loading the Pulumi SDK", () => {
                const help = run(name, "--help");
                expect(help.stderr).to.equal("");
                expect(help.status).to.equal(0);
                expect(help.stdout).to.match(new RegExp(`^usage: npm run ${name}`));
                for (const mention of USAGE_MENTIONS[name] ?? []) {
                    expect(help.stdout, `the usage of ${name}`).to.contain(mention);
                }
                expect(help.pulumiModules).to.deep.equal([]);
            });

            it("refuses an unknown option in one line with exit 2, without loading the Pulumi SDK", () => {
                const bad = run(name, "--frobnicate");
                expect(bad.status).to.equal(2);
                expect(bad.stdout).to.equal("");
                expect(bad.stderr).to.equal(`Unknown option '--frobnicate' (npm run ${name} -- --help)\n`);
                expect(bad.pulumiModules).to.deep.equal([]);
            });
        });
    }

    it("guard:update names the stacks there are for an unknown one, and rewrites nothing", () => {
        const result = run("guard:update", "no-such-stack");
        expect(result.status).to.equal(2);
        expect(result.stderr).to.match(
            /^no stack file Pulumi\.no-such-stack\.yaml \(stacks: [^)]*\) \(npm run guard:update -- --help\)\n$/,
        );
        expect(result.pulumiModules).to.deep.equal([]);
    });

    it("bench refuses a route count that is not a whole number", () => {
        const result = run("bench", "--routes", "many");
        expect(result.status).to.equal(2);
        expect(result.stderr).to.equal("--routes many: must be a whole number of routes, 1 or more (npm run bench -- --help)\n");
        expect(result.pulumiModules).to.deep.equal([]);
    });

    it("test:twice passes a test file whose tests hold no state between them, in both runs", () => {
        const result = run("test:twice", "--seed", "3", "test/fixtures/twice/sound.ts");
        expect(result.stderr).to.equal("");
        expect(result.status).to.equal(0);
        expect(result.stdout).to.contain("test:twice: 0 failing in the first run, 0 failing in the second (--seed 3 replays its order)\n");
    });

    it("test:twice fails a test that passes only once, and names the seed of the order", () => {
        const result = run("test:twice", "--seed", "3", "test/fixtures/twice/leaky.ts");
        expect(result.status).to.equal(1);
        expect(result.stdout).to.contain("test:twice: 0 failing in the first run, 1 failing in the second (--seed 3 replays its order)\n");
        expect(result.stdout).to.contain("sees exactly one call before it");
    });

    it("test:twice refuses a seed that is not a whole number", () => {
        const result = run("test:twice", "--seed", "soon");
        expect(result.status).to.equal(2);
        expect(result.stderr).to.equal("--seed soon: must be a whole number (npm run test:twice -- --help)\n");
    });
});
