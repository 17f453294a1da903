// deploy's run: `pulumi up` of one stack through the Automation API on the backend it chose, the
// wait for the gateway, then verify on the stack's outputs; and the person at the terminal.
// `npm run deploy` loads it once the command line is parsed.
import { OpMap, PulumiCommand, UpResult } from "@pulumi/pulumi/automation";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { read } from "read";
import { parse as parseYaml } from "yaml";
import { backendUrl, LOCAL_STATE_DIR } from "../shared/backend";
import { PROJECT_DIR, stackNames } from "../shared/stackFiles";
import type { VerifyFlags } from "../verify/flags";
import { parseOutputs, VerifyOptions, verifyOptionsFrom } from "../verify/options";
import { runVerify } from "../verify/verify";
import { EXIT } from "./exit";
import { waitForGateway } from "./gateway";
import { DeploySetupError, describeChanges, EngineReport, firstLine, needsPassphrase, openStack, shortUrn } from "./pulumi";

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
export const TERMINAL: Terminal = {
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
