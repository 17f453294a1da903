// `npm run plan -- <stack> [--json] [--mermaid <file>]`: evaluates the real program (index.ts)
// on Pulumi's mock runtime with the config of Pulumi.<stack>.yaml and shows what `pulumi up`
// would create. Offline: no cloud, no CLI, no account. Never prints a secret.
import { writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { KongCognitoInputError } from "../../components/validation";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { installMockRuntime } from "../shared/mockRuntime";
import { buildPlan, isPublicCredentialSecret, Plan, renderMermaid, renderTree, SECRET_MARKER, secretStrings } from "./planModel";
import { readProjectFile, readStackConfigFile, secretKeysOf, StackFileRefusedError } from "../shared/stackFiles";

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

/** Resolves the program's exports, secrets replaced by the marker. */
async function resolveOutputs(exports: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exports)) {
        const output: pulumi.Output<unknown> = pulumi.output(value);
        const secret = await pulumi.isSecret(output);
        result[key] = secret ? SECRET_MARKER : await new Promise((resolve) => output.apply(resolve));
    }
    return result;
}

/**
 * Plans one stack in this process. The program module is evaluated once per process (Node
 * caches it), so call this once; the CLI and the benchmark run one process per plan.
 */
export async function planStack(stack: string, config: Record<string, string>): Promise<{ plan: Plan; secrets: string[] }> {
    // Every Pulumi promise captures a stack trace (debuggablePromise, kept only for leak reports),
    // and every resource its call sites: mapping each through source maps, and formatting the
    // promises' traces at all, costs more than the rest of the plan together. Resources still get
    // their call sites (the SDK raises the limit for them); errors thrown while the program is
    // evaluated carry their message without frames.
    process.setSourceMapsEnabled(false);
    const traceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        const project = readProjectFile().name;
        const runtime = await installMockRuntime({ project, stack, config, secretKeys: secretKeysOf(config) });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require("../../index") as Record<string, unknown>;
        await runtime.settle();
        const outputs = await resolveOutputs(program);
        await runtime.settle();
        const secrets = runtime.registrations.filter((r) => !isPublicCredentialSecret(r)).flatMap((r) => secretStrings(r.inputs));
        return { plan: buildPlan(project, stack, runtime.registrations, outputs), secrets };
    } finally {
        Error.stackTraceLimit = traceLimit;
    }
}

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

    const started = process.hrtime.bigint();
    let result: Awaited<ReturnType<typeof planStack>>;
    try {
        result = await planStack(stack, config);
    } catch (error) {
        if (error instanceof KongCognitoInputError) {
            fail(error.message, 1);
        }
        fail(`plan failed: ${(error as Error).stack ?? error}`, 1);
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

if (require.main === module) {
    process.on("unhandledRejection", (reason) => {
        const message = reason instanceof KongCognitoInputError ? reason.message : `plan failed: ${(reason as Error)?.stack ?? reason}`;
        fail(message, 1);
    });
    runCommand(COMMAND, () => main(process.argv.slice(2)));
}
