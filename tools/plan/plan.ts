// Plans one stack in this process: the real program (index.ts) on Pulumi's mock runtime with the
// stack's config, its registrations and outputs turned into a Plan. `npm run plan` and the
// benchmark load it only once their command line is parsed: it loads the Pulumi SDK.
import * as pulumi from "@pulumi/pulumi";
import { KongCognitoInputError } from "../../components/validation";
import { installMockRuntime } from "../shared/mockRuntime";
import { readProjectFile, secretKeysOf } from "../shared/stackFiles";
import { buildPlan, isPublicCredentialSecret, Plan, SECRET_MARKER, secretStrings } from "./planModel";

/** Resolves the program's exports, secrets replaced by the marker. */
export async function resolveOutputs(exports: Record<string, unknown>): Promise<Record<string, unknown>> {
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

/** What plan prints for an error of the program, thrown or rejected: invalid input as pulumi up shows it, else the trace. */
export function planFailure(error: unknown): string {
    return error instanceof KongCognitoInputError ? error.message : `plan failed: ${(error as Error)?.stack ?? error}`;
}
