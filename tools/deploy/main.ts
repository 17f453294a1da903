// `npm run deploy -- <stack>`: from a stack file to a verified deployment in one command. Runs
// `pulumi up` for the stack through Pulumi's Automation API (on the backend the CLI uses, the
// project's file backend only when there is none; the stack created on first use), streams the
// CLI's progress, waits until the gateway serves the routes, then runs verify on the stack's
// outputs. Exit status says which step failed.
import { CommandError, OpMap, PulumiCommand, UpResult } from "@pulumi/pulumi/automation";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { read } from "read";
import { parse as parseYaml } from "yaml";
import { backendUrl, LOCAL_STATE_DIR } from "../shared/backend";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { PROJECT_DIR, stackNames } from "../shared/stackFiles";
import { runVerify } from "../verify/main";
import { checkVerifyFlags, parseOutputs, VERIFY_FLAGS, VerifyFlags, VerifyOptions, verifyOptionsFrom } from "../verify/options";
import { waitForGateway } from "./gateway";
import { DeploySetupError, describeChanges, EngineReport, findPulumi, firstLine, needsPassphrase, openStack, shortUrn } from "./pulumi";

/** Exit statuses: what failed. */
export const EXIT = { ok: 0, verifyFailed: 1, setup: 2, pulumiFailed: 3 } as const;

const USAGE = `usage: npm run deploy -- <stack> [--yes] [--preview] [--install-cli] [--local-backend] [--wait-seconds <s>]
                                [verify's options: --sign-in, --session-cookie, --skip-ttl, ...]

From Pulumi.<stack>.yaml to a checked deployment: runs \`pulumi up\` for the stack through Pulumi's
Automation API, streaming its progress, then waits until the gateway serves the routes and runs
\`npm run verify\` on the stack's outputs (see \`npm run verify -- --help\`).

  --yes              deploy without asking; needed when no terminal is attached (CI). On a
                     terminal, deploy previews first and asks before it changes anything.
  --preview          only preview the changes; change nothing, verify nothing
  --install-cli      install the Pulumi CLI (Automation API's installer) when none is found
  --local-backend    keep the state in ${LOCAL_STATE_DIR}/ of this project, whatever backend the CLI is
                     logged in to
  --wait-seconds <s> how long to wait for the gateway to serve the new routes (default 120)
  --sign-in, --session-cookie <cookie>, --aws-profile <name>, --skip-ttl, --insecure,
  --timeout-ms <ms>  passed to verify
  -h, --help         this text

State: the backend the Pulumi CLI uses: PULUMI_BACKEND_URL when set (Pulumi Cloud, s3://...,
file://...), else Pulumi.yaml's backend.url, else the one \`pulumi login\` chose. Only when there
is none (or with --local-backend) the file backend in ${LOCAL_STATE_DIR}/ of this project: it is
ignored by git and is the only record of what the stack owns, so back it up. Deploy prints which
backend it uses and why.
Secrets: with a passphrase (file and S3 backends), PULUMI_CONFIG_PASSPHRASE or
PULUMI_CONFIG_PASSPHRASE_FILE, or asked for on a terminal. The first deploy of a stack creates it
and writes its encryptionsalt into Pulumi.<stack>.yaml: commit that.
Credentials: the usual AWS chain and kubectl context, as for \`pulumi up\`.

Exit status: 0 deployed and every check passed, 1 a verify check failed, 2 nothing was run
(usage, no Pulumi CLI, no passphrase, no such stack file), 3 the Pulumi CLI failed (pulumi up,
preview, or opening the stack: a wrong passphrase, an unreachable backend).`;

export interface DeployOptions {
    readonly stack: string;
    /** The Pulumi CLI to drive. */
    readonly pulumi: PulumiCommand;
    /** The Pulumi project. @default this repository */
    readonly projectDir?: string;
    /** Only preview. */
    readonly preview?: boolean;
    /** Deploy without asking. Without it, `confirm` is asked after a preview. */
    readonly yes?: boolean;
    /** Asks the person at the terminal; undefined without one. */
    readonly terminal?: Terminal;
    /** The environment to read the backend (PULUMI_BACKEND_URL, the CLI's login) and the passphrase from. @default process.env */
    readonly env?: NodeJS.ProcessEnv;
    /** Keep the state in the project's folder even when the CLI is logged in to another backend. */
    readonly localBackend?: boolean;
    /** Verify's flags. */
    readonly verify?: VerifyFlags;
    /** Tests: options verify gets on top of the flags' (a fake clock, users). */
    readonly verifyOverrides?: Partial<VerifyOptions>;
    /** How long to wait for the gateway to serve the routes. @default 120000 */
    readonly waitMs?: number;
    /** Deploy's own lines. @default stdout */
    readonly log?: (line: string) => void;
    /** The CLI's streamed output. @default stdout */
    readonly write?: (text: string) => void;
    readonly sleep?: (ms: number) => Promise<void>;
}

export interface Terminal {
    confirm(question: string): Promise<boolean>;
    passphrase(prompt: string): Promise<string>;
}

export interface DeployResult {
    readonly code: number;
    /** What the engine reported: changes by operation, and the resources whose step failed. */
    readonly changes?: OpMap;
    readonly failedResources: string[];
}

export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const write = options.write ?? ((text: string) => process.stdout.write(text));
    const env = options.env ?? process.env;
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const stackPath = path.join(projectDir, `Pulumi.${options.stack}.yaml`);
    if (!existsSync(stackPath)) {
        const known = stackNames(projectDir);
        throw new DeploySetupError(
            `no Pulumi.${options.stack}.yaml in the project (stacks: ${known.join(", ") || "none"}); a new environment is one more stack file`,
        );
    }
    const stackFile = (parseYaml(readFileSync(stackPath, "utf8")) ?? {}) as {
        secretsprovider?: string;
        encryptionsalt?: string;
        config?: Record<string, unknown>;
    };
    const backend = backendUrl(env, projectDir, { local: options.localBackend });
    const envVars: Record<string, string> = { PULUMI_BACKEND_URL: backend.url, PULUMI_SKIP_UPDATE_CHECK: "true" };
    for (const name of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"]) {
        if (env[name] !== undefined) {
            envVars[name] = env[name]!;
        }
    }
    if (
        needsPassphrase(stackFile, backend.url) &&
        envVars.PULUMI_CONFIG_PASSPHRASE === undefined &&
        !envVars.PULUMI_CONFIG_PASSPHRASE_FILE
    ) {
        if (!options.terminal) {
            throw new DeploySetupError(
                `the stack's secrets are encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)`,
            );
        }
        envVars.PULUMI_CONFIG_PASSPHRASE = await options.terminal.passphrase(`Passphrase for the secrets of stack ${options.stack}: `);
    }
    if (backend.local) {
        mkdirSync(path.join(projectDir, LOCAL_STATE_DIR), { recursive: true });
    }
    const where = backend.local ? `${LOCAL_STATE_DIR}/ (local file backend)` : backend.url;
    log(`deploy: stack ${options.stack}, state in ${where} (${backend.source})`);

    const stack = await openStack(options, projectDir, envVars, log);
    const failed = (what: string, error: unknown, report: EngineReport): DeployResult => {
        log(`deploy: ${what} failed${report.errors.length > 0 ? ":" : `: ${firstLine(error)}`}`);
        for (const line of report.errors) {
            log(`  ${line}`);
        }
        const resources = report.failed.map(shortUrn);
        if (resources.length > 0) {
            log(`  failed: ${resources.join(", ")}`);
        }
        return { code: EXIT.pulumiFailed, changes: report.changes, failedResources: resources };
    };

    if (options.preview || !options.yes) {
        const preview = new EngineReport();
        try {
            await stack.preview({ onOutput: write, onEvent: preview.onEvent, color: "never" });
        } catch (error) {
            return failed("pulumi preview", error, preview);
        }
        log(`deploy: preview of ${options.stack}: ${describeChanges(preview.changes)}`);
        if (options.preview) {
            return { code: EXIT.ok, changes: preview.changes, failedResources: [] };
        }
        const replaces = (preview.changes?.replace ?? 0) + (preview.changes?.delete ?? 0);
        const question = `Deploy these changes to ${options.stack}${replaces > 0 ? ` (${replaces} to replace or delete: read them above)` : ""}? [y/N] `;
        if (!options.terminal || !(await options.terminal.confirm(question))) {
            log("deploy: nothing changed");
            return { code: EXIT.ok, changes: preview.changes, failedResources: [] };
        }
    }

    const up = new EngineReport();
    let result: UpResult;
    try {
        result = await stack.up({ onOutput: write, onEvent: up.onEvent, color: "never" });
    } catch (error) {
        return failed("pulumi up", error, up);
    }
    log(`deploy: pulumi up of ${options.stack} done: ${describeChanges(up.changes)}`);

    let verifyOptions: VerifyOptions;
    try {
        const values = parseOutputs(Object.fromEntries(Object.entries(result.outputs).map(([key, output]) => [key, output.value])));
        const awsProfile = stackFile.config?.["aws:profile"];
        verifyOptions = {
            ...verifyOptionsFrom(options.verify ?? {}, values, typeof awsProfile === "string" ? { awsProfile } : {}),
            ...options.verifyOverrides,
        };
    } catch (error) {
        log(`deploy: the stack's outputs cannot be verified: ${firstLine(error)}`);
        return { code: EXIT.verifyFailed, changes: up.changes, failedResources: [] };
    }
    await waitForGateway(verifyOptions.outputs, { insecure: options.verify?.insecure, waitMs: options.waitMs, sleep: options.sleep }, log);
    log(`deploy: verifying ${options.stack}`);
    const summary = await runVerify({ log, ...verifyOptions });
    if (summary.failed > 0) {
        log(`deploy: ${options.stack} is deployed, but ${summary.failed} verify check(s) failed (FAIL lines above)`);
        return { code: EXIT.verifyFailed, changes: up.changes, failedResources: [] };
    }
    log(`deploy: ${options.stack} deployed and verified`);
    return { code: EXIT.ok, changes: up.changes, failedResources: [] };
}

/** The person at the terminal, through `read` (hidden input for the passphrase); prompts on stderr, so stdout can be piped. */
const TERMINAL: Terminal = {
    confirm: async (question) => /^y(es)?$/i.test((await read({ prompt: question, output: process.stderr })).trim()),
    passphrase: async (prompt) => {
        const value = await read({ prompt, silent: true, replace: "", output: process.stderr });
        // The Enter of hidden input is not echoed either.
        process.stderr.write("\n");
        if (value === "") {
            throw new DeploySetupError("an empty passphrase: set PULUMI_CONFIG_PASSPHRASE to use one on purpose");
        }
        return value;
    },
};

const COMMAND = {
    name: "deploy",
    usage: USAGE,
    options: {
        yes: { type: "boolean", short: "y" },
        preview: { type: "boolean" },
        "install-cli": { type: "boolean" },
        "local-backend": { type: "boolean" },
        "wait-seconds": { type: "string" },
        ...VERIFY_FLAGS,
    },
    positionals: { min: 1, max: 1 },
} as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const { values, positionals } = parsed;
    checkVerifyFlags(values);
    const wait = values["wait-seconds"];
    if (wait !== undefined && !(Number.isInteger(Number(wait)) && Number(wait) >= 0)) {
        throw new UsageError(`--wait-seconds ${wait}: must be a whole number of seconds`);
    }
    if (values.preview) {
        const unused = ["wait-seconds", ...Object.keys(VERIFY_FLAGS)].filter((flag) => values[flag as keyof typeof values] !== undefined);
        if (unused.length > 0) {
            throw new UsageError(`--preview changes and verifies nothing: --${unused[0]} does not apply`);
        }
    }
    const terminal = process.stdin.isTTY ? TERMINAL : undefined;
    if (!values.yes && !values.preview && !terminal) {
        throw new UsageError("no terminal to confirm on: pass --yes to deploy without asking (or --preview)");
    }
    const log = (line: string) => process.stdout.write(`${line}\n`);
    try {
        const pulumi = await findPulumi(values["install-cli"] ?? false, log);
        const result = await runDeploy({
            stack: positionals[0],
            pulumi,
            preview: values.preview,
            yes: values.yes,
            localBackend: values["local-backend"],
            terminal,
            verify: values,
            waitMs: wait === undefined ? undefined : Number(wait) * 1000,
        });
        return result.code;
    } catch (error) {
        if (error instanceof DeploySetupError) {
            process.stderr.write(`deploy: ${error.message}\n`);
            return EXIT.setup;
        }
        if (error instanceof CommandError) {
            process.stderr.write(`deploy: the Pulumi CLI failed: ${firstLine(error)}\n`);
            return EXIT.pulumiFailed;
        }
        throw error;
    }
}

if (require.main === module) {
    runCommand(COMMAND, () => main(process.argv.slice(2)), EXIT.setup);
}
