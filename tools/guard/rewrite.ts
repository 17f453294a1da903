// guard:update's work: one stack's replacement-guard snapshot rewritten from the program, on Pulumi's
// mock runtime with the stack's config, and what the new snapshot accepts printed. The command loads
// it once its command line is parsed.
import { existsSync } from "node:fs";
import { buildProgram } from "../../stacks/program";
import { installMockRuntime } from "../shared/mockRuntime";
import { readProjectFile, readStackConfigFile, secretKeysOf } from "../shared/stackFiles";
import { readSnapshot, Snapshot, snapshotOf, snapshotPath, snapshotProblems, writeSnapshot } from "./snapshot";

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

/** Rewrites guard/<stack>.json from the program on the stack's config, and prints what the rewrite accepts. */
export async function rewriteSnapshot(stack: string): Promise<void> {
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
