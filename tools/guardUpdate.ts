// `npm run guard:update [-- <stack> ...]`: rewrites the committed replacement-guard snapshots
// (guard/<stack>.json) from the program, for every stack file or the ones named. Run it only when
// a deletion or replacement is intended, and commit the result with the change that needs it.
import { buildProgram } from "../stacks/program";
import { snapshotOf, writeSnapshot } from "./guard";
import { installMockRuntime } from "./mockRuntime";
import { readProjectFile, readStackConfigFile, secretKeysOf, stackNames } from "./stackFiles";

async function main(stacks: string[]): Promise<void> {
    const project = readProjectFile().name;
    for (const stack of stacks.length > 0 ? stacks : stackNames()) {
        const config = readStackConfigFile(stack);
        const runtime = await installMockRuntime({ project, stack, config, secretKeys: secretKeysOf(config) });
        buildProgram();
        await runtime.settle();
        const snapshot = snapshotOf(runtime.registrations);
        writeSnapshot(stack, snapshot);
        console.log(
            `guard/${stack}.json: ${snapshot.resources.length} resources, ${Object.keys(snapshot.replacingInputs).length} that a change can replace`,
        );
    }
}

main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
});
