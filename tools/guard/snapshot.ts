// Guard rails against the quiet failures: a committed snapshot of every resource URN and of every
// input whose change replaces a stateful resource (so a refactor cannot silently replace the user
// pool), and a secret audit over inputs, outputs and log lines.
// `npm run guard:update` rewrites the snapshots on purpose.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isSecretValue, Registration, unwrapSecrets } from "../shared/mockRuntime";

export const SNAPSHOT_DIR = path.resolve(__dirname, "..", "..", "guard");

/**
 * Inputs whose change replaces the resource, and what a replacement loses. From the Terraform
 * provider's ForceNew fields behind pulumi-aws, and FACTS.md.
 */
export const REPLACING_INPUTS: Record<string, { inputs: string[]; loses: string }> = {
    "aws:cognito/userPool:UserPool": {
        inputs: ["name", "usernameAttributes", "aliasAttributes", "usernameConfiguration", "schemas"],
        loses: "every user, their passwords and MFA devices; every client id changes",
    },
    "aws:cognito/userPoolClient:UserPoolClient": {
        inputs: ["generateSecret", "userPoolId"],
        loses: "the client id and secret: every caller and Kong config using them breaks",
    },
    "aws:cognito/resourceServer:ResourceServer": {
        inputs: ["identifier", "userPoolId"],
        loses: "its scopes: clients lose them until they are granted again",
    },
    "aws:cognito/userPoolDomain:UserPoolDomain": {
        inputs: ["domain", "userPoolId"],
        loses: "the hosted sign-in URL: token and authorize endpoints move",
    },
};

export interface Snapshot {
    /** Stack-independent URN tails (`<type path>::<name>`), sorted. */
    readonly resources: string[];
    /** For each stateful resource, its replacing inputs; an input from another resource shows as `<- <urn tail>`. */
    readonly replacingInputs: Record<string, Record<string, unknown>>;
    /**
     * The stack's `aws:region`: the AWS provider's region is no resource input, yet changing it
     * replaces every AWS resource. Absent in snapshots written before it was recorded.
     */
    readonly region?: string;
}

/** `urn:pulumi:<stack>::<project>::<type path>::<name>` without stack and project. */
export function urnTail(urn: string): string {
    return urn.split("::").slice(2).join("::");
}

/** The snapshot of a stack's registrations; `config` (the stack's config map) gives its region. */
export function snapshotOf(registrations: readonly Registration[], config: Readonly<Record<string, string>> = {}): Snapshot {
    const replacingInputs: Record<string, Record<string, unknown>> = {};
    for (const r of registrations) {
        const rule = REPLACING_INPUTS[r.type];
        if (!rule) {
            continue;
        }
        const values: Record<string, unknown> = {};
        for (const input of rule.inputs) {
            const sources = r.propertyDependencies[input] ?? [];
            // Ids from other resources are fake offline; what matters is which resource they come from.
            values[input] = sources.length > 0 ? sources.map((u) => `<- ${urnTail(u)}`).sort() : (unwrapSecrets(r.inputs[input]) ?? null);
        }
        replacingInputs[urnTail(r.urn)] = values;
    }
    return {
        resources: registrations.map((r) => urnTail(r.urn)).sort(),
        replacingInputs: Object.fromEntries(Object.entries(replacingInputs).sort(([a], [b]) => a.localeCompare(b))),
        ...(config["aws:region"] !== undefined ? { region: config["aws:region"] } : {}),
    };
}

function typeOfTail(tail: string): string {
    return tail.split("::")[0].split("$").pop()!;
}

/** One thing a deployment of `after` over `before` would lose: what happens, and how to proceed. */
export interface GuardProblem {
    readonly what: string;
    readonly advice: string;
}

/** What would happen to the resources of `before` if `after` were deployed. Empty when nothing is lost. */
export function snapshotProblems(stack: string, before: Snapshot, after: Snapshot): GuardProblem[] {
    const problems: GuardProblem[] = [];
    const update = `npm run guard:update -- ${stack}`;
    if (before.region !== undefined && after.region !== undefined && before.region !== after.region) {
        problems.push({
            what:
                `aws:region changes from "${before.region}" to "${after.region}": pulumi up would REPLACE every AWS resource, ` +
                `creating the user pool anew in ${after.region} and deleting the one in ${before.region} ` +
                `(loses ${REPLACING_INPUTS["aws:cognito/userPool:UserPool"].loses}; with deletion protection the delete fails instead)`,
            advice: `A new region is a new stack; if the move is intended run \`${update}\` and commit the snapshot.`,
        });
    }
    const now = new Set(after.resources);
    for (const tail of before.resources) {
        if (!now.has(tail)) {
            const loses = REPLACING_INPUTS[typeOfTail(tail)]?.loses;
            problems.push({
                what: `${tail} is gone: pulumi up would DELETE it${loses ? ` (loses ${loses})` : ""}`,
                advice:
                    `If it was renamed or moved, add an alias to the new resource (aliases: [{ name: "<old name>", parent: <old parent> }]); ` +
                    `if it is meant to go, run \`${update}\` and commit the snapshot.`,
            });
        }
    }
    for (const [tail, inputs] of Object.entries(before.replacingInputs)) {
        const current = after.replacingInputs[tail];
        if (!current) {
            continue;
        }
        for (const [input, value] of Object.entries(inputs)) {
            if (JSON.stringify(value) !== JSON.stringify(current[input] ?? null)) {
                problems.push({
                    what:
                        `${tail} would be REPLACED: ${input} changes from ${JSON.stringify(value)} to ${JSON.stringify(current[input] ?? null)}, ` +
                        `which loses ${REPLACING_INPUTS[typeOfTail(tail)].loses}`,
                    advice: `Keep the old value, or if the replacement is intended run \`${update}\` and commit the snapshot.`,
                });
            }
        }
    }
    return problems;
}

/** `snapshotProblems` as the lines a test failure shows: what happens, then how to proceed. */
export function compareSnapshots(stack: string, before: Snapshot, after: Snapshot): string[] {
    return snapshotProblems(stack, before, after).map((p) => `${p.what}. ${p.advice}`);
}

export function snapshotPath(stack: string): string {
    return path.join(SNAPSHOT_DIR, `${stack}.json`);
}

export function readSnapshot(stack: string): Snapshot {
    return JSON.parse(readFileSync(snapshotPath(stack), "utf8")) as Snapshot;
}

export function writeSnapshot(stack: string, snapshot: Snapshot): void {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    writeFileSync(snapshotPath(stack), `${JSON.stringify(snapshot, null, 2)}\n`);
}

export interface SecretFinding {
    readonly where: string;
}

/**
 * Where a known secret value appears in plain text: in resource inputs outside a secret marker,
 * in stack outputs that are not secret, or in log lines. Empty when every secret stays secret.
 */
export function auditSecrets(
    secrets: readonly string[],
    registrations: readonly Registration[],
    outputs: Readonly<Record<string, { value: unknown; secret: boolean }>>,
    logLines: readonly string[],
): SecretFinding[] {
    const findings: SecretFinding[] = [];
    const leaks = (text: string) => secrets.some((secret) => text.includes(secret));
    const walk = (value: unknown, where: string): void => {
        if (isSecretValue(value)) {
            return;
        }
        if (typeof value === "string") {
            if (leaks(value)) {
                findings.push({ where });
            }
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${where}[${i}]`));
        } else if (typeof value === "object" && value !== null) {
            for (const [k, v] of Object.entries(value)) {
                walk(v, `${where}.${k}`);
            }
        }
    };
    for (const r of registrations) {
        walk(r.inputs, `${r.name} (${r.type}) input`);
    }
    for (const [name, output] of Object.entries(outputs)) {
        if (!output.secret && leaks(JSON.stringify(output.value) ?? "")) {
            findings.push({ where: `stack output ${name}` });
        }
    }
    logLines.forEach((line, index) => {
        if (leaks(line)) {
            findings.push({ where: `log line ${index + 1}` });
        }
    });
    return findings;
}
