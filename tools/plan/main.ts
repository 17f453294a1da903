// `npm run plan -- <stack> [--json] [--mermaid <file>]`: evaluates the real program (index.ts)
// on Pulumi's mock runtime with the config of Pulumi.<stack>.yaml and shows what `pulumi up`
// would create. Offline: no cloud, no CLI, no account. Never prints a secret.
import { writeFileSync } from "node:fs";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { readStackConfigFile, StackFileRefusedError } from "../shared/stackFiles";

const USAGE = `usage: npm run plan -- <stack> [--json] [--out <file>] [--mermaid <file>] [--config <stack-file>]

Evaluates the program on Pulumi's mock runtime with the config of Pulumi.<stack>.yaml and shows
what \`pulumi up\` would create. Offline; secrets always show as [secret].

  --json              every resource (URN, type, parent, inputs, dependencies) as JSON
  --out <file>        write the plan (tree or JSON) to <file> instead of stdout
  --mermaid <file>    also write a Mermaid graph of components, resources and edges
  --config <file>     read this stack file instead of Pulumi.<stack>.yaml
  -h, --help          print this and exit

Exit status: 0 planned, 1 invalid config (every problem listed), 2 bad arguments or no stack file,
3 refused because a secret would have been printed.`;

const COMMAND = {
    name: "plan",
    usage: USAGE,
    options: {
        json: { type: "boolean" },
        out: { type: "string" },
        mermaid: { type: "string" },
        config: { type: "string" },
    },
    positionals: { min: 1, max: 1 },
} as const;

function fail(message: string, code: number): never {
    process.stderr.write(`${message}\n`);
    process.exit(code);
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const [stack] = parsed.positionals;
    let config: Record<string, string>;
    try {
        config = readStackConfigFile(stack, { stackFile: parsed.values.config });
    } catch (error) {
        if (error instanceof StackFileRefusedError) {
            fail(error.message, 1);
        }
        throw new UsageError((error as Error).message);
    }

    // The Pulumi SDK and the program only now: --help and a refused command line load neither.
    // require(), not import(): the npm scripts run the tools under tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planFailure, planStack } = require("./plan") as typeof import("./plan");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderMermaid, renderTree } = require("./planModel") as typeof import("./planModel");
    process.on("unhandledRejection", (reason) => fail(planFailure(reason), 1));
    const started = process.hrtime.bigint();
    let result: Awaited<ReturnType<typeof planStack>>;
    try {
        result = await planStack(stack, config);
    } catch (error) {
        fail(planFailure(error), 1);
    }
    const { plan, secrets } = result;
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

    const text = parsed.values.json
        ? `${JSON.stringify(plan, null, 2)}\n`
        : `${renderTree(plan)}\nPlanned in ${elapsedMs.toFixed(0)} ms.\n`;
    const mermaid = parsed.values.mermaid !== undefined ? renderMermaid(plan) : undefined;
    // Last line of defence: no secret value may appear in anything this tool writes.
    for (const secret of secrets) {
        if (text.includes(secret) || mermaid?.includes(secret)) {
            fail("refusing to print the plan: a secret value appears outside its secret marker", 3);
        }
    }
    if (mermaid !== undefined) {
        writeFileSync(parsed.values.mermaid!, mermaid);
    }
    if (parsed.values.out !== undefined) {
        writeFileSync(parsed.values.out, text);
    } else {
        process.stdout.write(text);
    }
    return 0;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
