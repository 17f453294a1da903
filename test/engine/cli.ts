// The real Pulumi CLI for the engine tests: where it is, and a scratch project on a local file
// backend with the passphrase secrets provider, so nothing reaches a cloud or asks a question.
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { ENGINE_BIN } from "../../tools/engine/build";

/** The folder holding the built `pulumi` (PULUMI_ENGINE_BIN, else the engine build's folder). */
export function engineBinDir(): string {
    return process.env.PULUMI_ENGINE_BIN ?? ENGINE_BIN;
}

/** The real CLI, or a failure that says how to get one. */
export function pulumiCli(): string {
    const cli = path.join(engineBinDir(), "pulumi");
    if (!existsSync(cli)) {
        throw new Error(`no Pulumi CLI at ${cli}: run npm run engine:build (or set PULUMI_ENGINE_BIN to a folder holding pulumi)`);
    }
    return cli;
}

/**
 * The passphrase of the engine tests' stacks, and of the test values the seed fixtures hold
 * encrypted (test/fixtures/seed): the CLI opens those files as it would a user's.
 */
export const PASSPHRASE = "kong-cognito-test-fixtures";

/** A scratch project folder with its own Pulumi home and file backend. */
export class ScratchProject {
    readonly dir: string;
    private readonly home: string;
    private readonly state: string;

    constructor(label: string) {
        this.dir = mkdtempSync(path.join(tmpdir(), `kong-cognito-${label}-`));
        this.home = path.join(this.dir, ".pulumi-home");
        this.state = path.join(this.dir, ".pulumi-state");
        mkdirSync(this.state);
    }

    env(): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PATH: `${engineBinDir()}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: this.home,
            PULUMI_BACKEND_URL: `file://${this.state}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
        };
    }

    pulumi(...args: string[]): SpawnSyncReturns<string> {
        return spawnSync(pulumiCli(), [...args, "--non-interactive"], { cwd: this.dir, env: this.env(), encoding: "utf8" });
    }

    write(file: string, content: string | object): void {
        writeFileSync(path.join(this.dir, file), typeof content === "string" ? content : stringify(content));
    }
}
