// `npm run guard:update [-- <stack> ...]`: rewrites the committed replacement-guard snapshots
// (guard/<stack>.json) from the program, for every stack file or the ones named, and prints what
// each rewrite accepts. Run it when a stack file changed on purpose (a fork's own values, an
// intended replacement), read what it prints, and commit the result with the change.
import { existsSync } from "node:fs";
import { buildProgram } from "../../stacks/program";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { readSnapshot, Snapshot, snapshotOf, snapshotPath, snapshotProblems, writeSnapshot } from "./snapshot";
import { installMockRuntime } from "../shared/mockRuntime";
import { readProjectFile, readStackConfigFile, secretKeysOf, stackNames } from "../shared/stackFiles";

const USAGE = `usage: npm run guard:update [-- <stack> ...]

Rewrites guard/<stack>.json, the snapshot \`npm test\` compares each stack against so that no
change deletes or replaces the user pool, a client, the resource server or the domain unnoticed.
Without a stack, every Pulumi.<stack>.yaml is done. Prints, per stack, the deletions and
replacements the new snapshot accepts: read them before you commit it.

  -h, --help   print this and exit`;

/** What writing `after` over `before` accepts, one line each; empty when only resources were added. */
function accepted(stack: string, before: Snapshot | undefined, after: Snapshot): string[] {
    if (before === undefined) {
        return [`new snapshot: ${after.resources.length} resources`];
    }
    const added = after.resources.filter((tail) => !before.resources.includes(tail)).length;
    const lines = snapshotProblems(stack, before, after).map((problem) => problem.what);
    if (added > 0) {
        lines.push(`${added} resource${added === 1 ? "" : "s"} added`);
    }
    if (before.region === undefined && after.region !== undefined) {
        lines.push(`aws:region ${after.region} recorded`);
    }
    return lines;
}

async function update(stack: string): Promise<void> {
    const config = readStackConfigFile(stack);
    const runtime = await installMockRuntime({ project: readProjectFile().name, stack, config, secretKeys: secretKeysOf(config) });
    runtime.reset();
    buildProgram();
    await runtime.settle();
    const snapshot = snapshotOf(runtime.registrations, config);
    const before = existsSync(snapshotPath(stack)) ? readSnapshot(stack) : undefined;
    const changes = accepted(stack, before, snapshot);
    writeSnapshot(stack, snapshot);
    const summary = `${snapshot.resources.length} resources, ${Object.keys(snapshot.replacingInputs).length} that a change can replace`;
    process.stdout.write(`guard/${stack}.json: ${summary}${changes.length === 0 ? "; unchanged" : ""}\n`);
    for (const line of changes) {
        process.stdout.write(`  accepted: ${line}\n`);
    }
}

const COMMAND = { name: "guard:update", usage: USAGE, options: {}, positionals: { min: 0, max: Infinity } } as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const known = stackNames();
    const unknown = parsed.positionals.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) {
        throw new UsageError(`no stack file Pulumi.${unknown[0]}.yaml (stacks: ${known.join(", ") || "none"})`);
    }
    for (const stack of parsed.positionals.length > 0 ? parsed.positionals : known) {
        await update(stack);
    }
    return 0;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
