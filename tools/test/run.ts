// `npm test`: type-check and lint, format check, build, API check and the mocha suite, as many at
// once as the machine has cores (the API check needs the build; the suite starts once the first
// three passed, one worker per core), each phase's output printed whole when it ends with the time
// it took, so a slow phase is visible. Exit status: the first failing phase's.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";

interface Phase {
    readonly name: string;
    readonly command: string;
    readonly args: readonly string[];
    /** Phases that must have passed first. */
    readonly after?: readonly string[];
    /** Print its output as it comes (the suite's, which CI reads), not when it ends. */
    readonly stream?: boolean;
}

const ROOT = path.resolve(__dirname, "..", "..");
const npx = (...args: string[]) => ({ command: "npx", args: ["--no-install", ...args] });

/**
 * The suite's files (test/**\/*.test.ts), those that start child processes first: mocha --parallel
 * hands files to its workers in the order given, and the long files, started first, then end
 * beside the short ones instead of one worker running the last long file alone.
 */
function suiteFiles(): string[] {
    const files = readdirSync(path.join(ROOT, "test"), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".test.ts"))
        .map((file) => path.join("test", file))
        .sort();
    const startsProcesses = (file: string) => readFileSync(path.join(ROOT, file), "utf8").includes('from "node:child_process"');
    return [...files.filter(startsProcesses), ...files.filter((file) => !startsProcesses(file))];
}

// Started in this order as slots free up: on two cores the build comes before the format check, so
// the API check, which needs it, starts while the format check runs instead of when the suite does.
// The type-check and the lint share one TypeScript program (tools/test/typecheckLint.ts): `tsc --noEmit`
// and `eslint .` would each build their own, most of either's time.
const PHASES: readonly Phase[] = [
    { name: "type-check+lint", command: process.execPath, args: ["--require", "tsx/cjs", "tools/test/typecheckLint.ts"] },
    { name: "build", command: "npm", args: ["run", "-s", "build"] },
    { name: "format", ...npx("prettier", "--check", "**/*.ts") },
    { name: "api", command: "npm", args: ["run", "-s", "check:api"], after: ["build"] },
    // Every test file runs in a worker of its own (mocha --parallel), one worker per core. test:files is
    // mocha with the suite's requires and timeout on the files named: here all of them, in suiteFiles' order.
    {
        name: "mocha",
        command: "npm",
        args: [
            "run",
            "-s",
            "test:files",
            "--",
            "--parallel",
            "--jobs",
            String(Math.max(2, availableParallelism())),
            "--no-color",
            ...suiteFiles(),
        ],
        after: ["type-check+lint", "format", "build"],
        stream: true,
    },
];

interface Result {
    readonly name: string;
    readonly code: number;
    readonly seconds: number;
}

function runPhase(phase: Phase): Promise<Result> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(phase.command, [...phase.args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0" } });
        let output = "";
        const take = (chunk: Buffer) => {
            if (phase.stream) {
                process.stdout.write(chunk);
            } else {
                output += chunk.toString();
            }
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("close", (code, signal) => {
            const seconds = (Date.now() - started) / 1000;
            const status = code ?? (signal ? 1 : 0);
            if (!phase.stream && (status !== 0 || output.trim() !== "")) {
                process.stdout.write(`\n--- ${phase.name} ---\n${output.trimEnd()}\n`);
            }
            process.stdout.write(`test: ${phase.name} ${status === 0 ? "passed" : `FAILED (exit ${status})`} in ${seconds.toFixed(1)} s\n`);
            resolve({ name: phase.name, code: status, seconds });
        });
    });
}

/** Runs the phases, `slots` at a time, each once what it needs has passed; stops starting new ones after a failure. */
async function runPhases(phases: readonly Phase[], slots: number): Promise<Result[]> {
    const results = new Map<string, Result>();
    const waiting = [...phases];
    const running = new Map<string, Promise<Result>>();
    let failed = false;
    while (waiting.length > 0 || running.size > 0) {
        const ready = waiting.filter((p) => (p.after ?? []).every((name) => results.get(name)?.code === 0));
        while (!failed && running.size < slots && ready.length > 0) {
            const phase = ready.shift()!;
            waiting.splice(waiting.indexOf(phase), 1);
            running.set(phase.name, runPhase(phase));
        }
        if (running.size === 0) {
            break;
        }
        const done = await Promise.race(running.values());
        running.delete(done.name);
        results.set(done.name, done);
        failed ||= done.code !== 0;
    }
    return [...results.values()];
}

async function main(): Promise<number> {
    const started = Date.now();
    const results = await runPhases(PHASES, Math.max(1, availableParallelism()));
    const total = ((Date.now() - started) / 1000).toFixed(1);
    const timings = results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ");
    const failed = results.find((r) => r.code !== 0);
    const skipped = PHASES.filter((p) => !results.some((r) => r.name === p.name)).map((p) => p.name);
    process.stdout.write(
        `\ntest: ${failed ? "FAILED" : "passed"} in ${total} s (${timings}${skipped.length > 0 ? `; not run: ${skipped.join(", ")}` : ""})\n`,
    );
    return failed ? failed.code : skipped.length > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then((code) => process.exit(code));
}
