// What verify reads and how it runs: the stack outputs it needs (a part of stacks/outputs.ts), its
// options from its flags (flags.ts) and the outputs, and its summary.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { stackOutputsSchema } from "../../stacks/outputs";
import { CognitoUsers, regionOfIssuer, TemporaryUsers } from "./cognitoUsers";
import type { VerifyFlags } from "./flags";

/** The stack outputs verify reads: a part of the stack's one declaration (stacks/outputs.ts). */
const outputsSchema = stackOutputsSchema.pick({
    issuerUrl: true,
    discoveryUrl: true,
    tokenEndpoint: true,
    authorizeEndpoint: true,
    machineClientId: true,
    machineClientSecret: true,
    machineScopes: true,
    routes: true,
    jwtKeyIds: true,
    userPoolId: true,
});
export type VerifyOutputs = z.infer<typeof outputsSchema>;

export interface VerifyOptions {
    readonly outputs: VerifyOutputs;
    /** Do not wait out the cache TTL. */
    readonly skipTtl?: boolean;
    /** Do not verify TLS certificates. */
    readonly insecure?: boolean;
    /** Per-request timeout. @default 10000 */
    readonly timeoutMs?: number;
    /** Attempts for requests to Cognito (network errors and 5xx). @default 3 */
    readonly attempts?: number;
    /** Where lines go. @default stdout */
    readonly log?: (line: string) => void;
    /** Waits; tests may shorten it. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Browser routes: sign in through the hosted UI as two temporary users made with these (`--sign-in`). */
    readonly users?: TemporaryUsers;
    /** Browser routes: `Cookie` header values from signed-in browsers, one per user (`--session-cookie`). Secret. */
    readonly sessionCookies?: readonly string[];
}

export interface VerifySummary {
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    /** Requests made, to show they stay bounded. */
    readonly requests: number;
}

/** Parses and checks a stack-output document; throws naming what is missing. */
export function parseOutputs(json: unknown): VerifyOutputs {
    const parsed = outputsSchema.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        throw new Error(`stack outputs are not what verify needs (${problems})`);
    }
    return parsed.data;
}

/** The run's options from the flags and the stack's outputs; throws (a plain Error) for what it cannot read. */
export function verifyOptionsFrom(values: VerifyFlags, outputs: VerifyOutputs, defaults: { awsProfile?: string } = {}): VerifyOptions {
    const cookies = values["session-cookie"]?.map((value) =>
        value.startsWith("@")
            ? readFileSync(value.slice(1), "utf8")
                  .trim()
                  .replace(/^cookie:\s*/i, "")
            : value,
    );
    let users: TemporaryUsers | undefined;
    if (values["sign-in"]) {
        const region = regionOfIssuer(outputs.issuerUrl) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        if (!region) {
            throw new Error(`--sign-in: cannot tell the user pool's region from its issuer ${outputs.issuerUrl}: set AWS_REGION`);
        }
        const profile = values["aws-profile"] ?? defaults.awsProfile;
        users = new CognitoUsers({ userPoolId: outputs.userPoolId, region, ...(profile ? { profile } : {}) });
    }
    return {
        outputs,
        skipTtl: values["skip-ttl"],
        insecure: values.insecure,
        timeoutMs: values["timeout-ms"] === undefined ? undefined : Number(values["timeout-ms"]),
        users,
        sessionCookies: cookies,
    };
}
