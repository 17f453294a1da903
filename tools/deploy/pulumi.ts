// deploy's dealings with the Pulumi CLI: finding (or installing) it, whether the stack needs a
// passphrase, opening the stack, and what the engine reports while it runs.
import { EngineEvent, LocalWorkspace, OpMap, PulumiCommand, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const INSTALL_HELP = [
    "Install it (https://www.pulumi.com/docs/iac/download-install/):",
    "  curl -fsSL https://get.pulumi.com | sh            # Linux, macOS",
    "  brew install pulumi/tap/pulumi                    # macOS",
    "  winget install pulumi                             # Windows",
    "or let deploy install the version this project's SDK expects, in ~/.pulumi/versions:",
    "  npm run deploy -- <stack> --install-cli",
].join("\n");

/** A setup problem: printed as one line, exit 2, nothing run. */
export class DeploySetupError extends Error {}

/** Whether the stack's secrets need a passphrase: a stack file with a passphrase salt, or a new stack on a self-managed backend. */
export function needsPassphrase(stackFile: { secretsprovider?: string; encryptionsalt?: string }, backend: string): boolean {
    const provider = stackFile.secretsprovider;
    if (provider !== undefined && !provider.startsWith("passphrase")) {
        return false;
    }
    if (stackFile.encryptionsalt !== undefined || provider !== undefined) {
        return true;
    }
    // Pulumi Cloud (and self-hosted Pulumi services) keep secrets with their own key.
    return !/^https?:\/\//.test(backend);
}

/** The Pulumi CLI: on PATH, else one the installer put in ~/.pulumi/versions; installed when asked. */
export async function findPulumi(install: boolean, log: (line: string) => void): Promise<PulumiCommand> {
    const { version } = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
    const installed = path.join(os.homedir(), ".pulumi", "versions", version);
    const missing = (error: unknown) => /ENOENT/.test(String((error as Error).message ?? error));
    try {
        return await PulumiCommand.get();
    } catch (error) {
        if (!missing(error)) {
            throw new DeploySetupError(`the Pulumi CLI on PATH cannot be used: ${firstLine(error)}`);
        }
    }
    if (existsSync(path.join(installed, "bin", "pulumi"))) {
        return PulumiCommand.get({ root: installed });
    }
    if (!install) {
        throw new DeploySetupError(`the Pulumi CLI is not installed (deploy drives it through the Automation API).\n${INSTALL_HELP}`);
    }
    log(`installing the Pulumi CLI ${version} into ${installed} ...`);
    try {
        return await PulumiCommand.install({ root: installed });
    } catch (error) {
        throw new DeploySetupError(`could not install the Pulumi CLI: ${firstLine(error)}\n${INSTALL_HELP}`);
    }
}

/** The first line worth reading of an error: a CLI error's `error:` line, else its message's first line. */
export function firstLine(error: unknown): string {
    const text = String((error as Error).message ?? error);
    const line = text.split("\n").find((l) => /^\s*error:/.test(l)) ?? text.split("\n").find((l) => l.trim() !== "") ?? text;
    return line.trim().replace(/^error:\s*/, "");
}

/** What the engine said while it ran: the summary and every failed step and error. */
export class EngineReport {
    changes: OpMap | undefined;
    readonly failed: string[] = [];
    readonly errors: string[] = [];

    readonly onEvent = (event: EngineEvent): void => {
        if (event.summaryEvent) {
            this.changes = event.summaryEvent.resourceChanges;
        }
        if (event.resOpFailedEvent) {
            this.failed.push(event.resOpFailedEvent.metadata.urn);
        }
        if (event.diagnosticEvent?.severity === "error") {
            const where = event.diagnosticEvent.urn ? `${shortUrn(event.diagnosticEvent.urn)}: ` : "";
            this.errors.push(`${where}${event.diagnosticEvent.message.trim()}`);
        }
    };
}

/** `type::name` of a URN: what the CLI's progress shows. */
export function shortUrn(urn: string): string {
    const parts = urn.split("::");
    return `${parts[2]?.split("$").pop()} ${parts[3]}`;
}

export function describeChanges(changes: OpMap | undefined): string {
    const entries = Object.entries(changes ?? {}).filter(([op, count]) => op !== "same" && (count ?? 0) > 0);
    const same = changes?.same ?? 0;
    const unchanged = same > 0 ? ` (${same} unchanged)` : "";
    return entries.length === 0 ? `no changes${unchanged}` : `${entries.map(([op, count]) => `${count} ${op}`).join(", ")}${unchanged}`;
}

/** Selects the stack, or creates it when the backend has none of that name. */
export async function openStack(
    options: { readonly stack: string; readonly pulumi: PulumiCommand },
    projectDir: string,
    envVars: Record<string, string>,
    log: (line: string) => void,
): Promise<Stack> {
    const args = { stackName: options.stack, workDir: projectDir };
    const workspace = { pulumiCommand: options.pulumi, envVars };
    try {
        return await LocalWorkspace.selectStack(args, workspace);
    } catch (error) {
        if (!(error instanceof StackNotFoundError)) {
            throw error;
        }
    }
    log(`deploy: creating stack ${options.stack} (its encryptionsalt, if any, goes into Pulumi.${options.stack}.yaml: commit it)`);
    return LocalWorkspace.createStack(args, workspace);
}
