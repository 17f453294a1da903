// `npm run test:twice [-- --seed <n>] [<test file>...]`: the mocha suite twice in one process, the
// second time in a shuffled order (the files, the suites in each and the tests in each suite), as
// StrykerJS reruns tests in one process for every mutant and `mocha --parallel` hands the files
// to its workers in any order. A test that passes in `npm test` but fails here leans on state
// another test left (a module-level cache, a global, a server not closed) or on running first.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Mocha from "mocha";
import { glob } from "glob";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";

const ROOT = path.resolve(__dirname, "..", "..");

const COMMAND = {
    name: "test:twice",
    usage: `usage: npm run test:twice [-- --seed <n>] [-- <test file>...]

Runs the mocha suite (every test file of .mocharc.json, or the files given) twice in this one
process: first in the usual order, then shuffled (files, suites and tests) with a seed it prints.
Fails when either run has a failing test: a test that passes once but not here depends on what
ran before it.

  --seed <n>   the shuffle's seed, to replay an order a run printed (default: the time)
  -h, --help   print this and exit`,
    options: { seed: { type: "string" } },
    positionals: { min: 0, max: Number.MAX_SAFE_INTEGER },
} as const;

/** mulberry32: a small seeded generator, so a failing order can be replayed from its seed. */
function generator(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function shuffle<T>(items: T[], random: () => number): void {
    for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
    }
}

/** Shuffles the suites and tests of `suite` and of every suite below it, in place. */
function shuffleSuite(suite: Mocha.Suite, random: () => number): void {
    shuffle(suite.suites, random);
    shuffle(suite.tests, random);
    for (const child of suite.suites) {
        shuffleSuite(child, random);
    }
}

function run(mocha: Mocha): Promise<number> {
    return new Promise((resolve) => mocha.run(resolve));
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const seed = parsed.values.seed === undefined ? Date.now() % 2 ** 31 : Number(parsed.values.seed);
    if (!Number.isInteger(seed) || seed < 0) {
        throw new UsageError(`--seed ${parsed.values.seed}: must be a whole number`);
    }
    const config = JSON.parse(readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as {
        require: string[];
        spec: string[];
        timeout: number;
    };
    const mocha = new Mocha({ timeout: config.timeout, reporter: "dot", color: false });
    // The config's --require modules, as mocha loads them: tsx is loaded already (this runs under
    // it); a module's `mochaHooks` are root hooks.
    for (const entry of config.require.filter((r) => r !== "tsx/cjs")) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(path.resolve(ROOT, entry)) as { mochaHooks?: Mocha.RootHookObject };
        if (module.mochaHooks) {
            mocha.rootHooks(module.mochaHooks);
        }
    }
    const files =
        parsed.positionals.length > 0 ? parsed.positionals : (await Promise.all(config.spec.map((s) => glob(s, { cwd: ROOT })))).flat();
    for (const file of files.sort()) {
        mocha.addFile(path.resolve(ROOT, file));
    }
    mocha.cleanReferencesAfterRun(false);
    await mocha.loadFilesAsync();

    process.stdout.write(`test:twice: run 1 of 2, ${files.length} files in the usual order\n`);
    const first = await run(mocha);
    process.stdout.write(`\ntest:twice: run 2 of 2, shuffled with --seed ${seed}\n`);
    shuffleSuite(mocha.suite, generator(seed));
    const second = await run(mocha);
    process.stdout.write(
        `\ntest:twice: ${first} failing in the first run, ${second} failing in the second (--seed ${seed} replays its order)\n`,
    );
    return first + second === 0 ? 0 : 1;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
