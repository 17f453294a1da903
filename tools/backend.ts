// Where the Pulumi state of this project's stacks lives: PULUMI_BACKEND_URL when set, otherwise
// the file backend in a folder of the project (what `npm run deploy` uses by default).
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The project's own state folder: ignored by git, the only record of what a stack owns. */
export const LOCAL_STATE_DIR = ".pulumi-state";

/** deploy's backend: PULUMI_BACKEND_URL, or the project's state folder. */
export function backendUrl(env: NodeJS.ProcessEnv, projectDir: string): { url: string; local: boolean } {
    const given = env.PULUMI_BACKEND_URL;
    if (given) {
        return { url: given, local: false };
    }
    return { url: `file://${path.join(projectDir, LOCAL_STATE_DIR)}`, local: true };
}

/**
 * The backend to read a deployed stack from: PULUMI_BACKEND_URL, else the project's state folder
 * when deploy made one, else undefined (the CLI's own login).
 */
export function deployedBackendUrl(env: NodeJS.ProcessEnv, projectDir: string): string | undefined {
    if (env.PULUMI_BACKEND_URL) {
        return env.PULUMI_BACKEND_URL;
    }
    const local = path.join(projectDir, LOCAL_STATE_DIR);
    return existsSync(local) ? `file://${local}` : undefined;
}
