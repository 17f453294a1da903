// verify's flags, which deploy passes on: their parseArgs options and the checks of their values.
// Light (no SDK, no schema library), so that both commands refuse a bad command line before they
// load what does the work.
import { existsSync } from "node:fs";
import { UsageError } from "../shared/cli";

/** The flags of verify that deploy passes on: parseArgs options. */
export const VERIFY_FLAGS = {
    "skip-ttl": { type: "boolean" },
    insecure: { type: "boolean" },
    "timeout-ms": { type: "string" },
    "sign-in": { type: "boolean" },
    "session-cookie": { type: "string", multiple: true },
    "aws-profile": { type: "string" },
} as const;

export interface VerifyFlags {
    readonly "skip-ttl"?: boolean;
    readonly insecure?: boolean;
    readonly "timeout-ms"?: string;
    readonly "sign-in"?: boolean;
    readonly "session-cookie"?: string[];
    readonly "aws-profile"?: string;
}

/** Checks the flags' values before anything runs: a bad one is a UsageError naming it. */
export function checkVerifyFlags(values: VerifyFlags): void {
    const timeoutMs = values["timeout-ms"];
    if (timeoutMs !== undefined && !(Number.isInteger(Number(timeoutMs)) && Number(timeoutMs) > 0)) {
        throw new UsageError(`--timeout-ms ${timeoutMs}: must be a positive whole number of milliseconds`);
    }
    if (values["sign-in"] && values["session-cookie"]) {
        throw new UsageError("--sign-in and --session-cookie: give one of them (temporary users, or a browser's session)");
    }
    if (values["aws-profile"] !== undefined && !values["sign-in"]) {
        throw new UsageError("--aws-profile: only --sign-in uses AWS credentials");
    }
    // Before anything runs: deploy reads the cookies only after pulumi up.
    for (const value of values["session-cookie"] ?? []) {
        if (value.startsWith("@") && !existsSync(value.slice(1))) {
            throw new UsageError(`--session-cookie ${value}: no such file`);
        }
    }
}
