// Where the Pulumi state of this project's stacks lives: the backend the Pulumi CLI itself would use
// (PULUMI_BACKEND_URL, Pulumi.yaml's `backend.url`, then the one `pulumi login` chose), and the file
// backend in a folder of the project only when there is none, or when asked for.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

/** The project's own state folder: ignored by git, the only record of what a stack owns. */
export const LOCAL_STATE_DIR = ".pulumi-state";

/** Pulumi Cloud, where the CLI logs in when PULUMI_ACCESS_TOKEN is set and nothing else is chosen. */
export const PULUMI_CLOUD_URL = "https://api.pulumi.com";

export interface Backend {
    readonly url: string;
    /** The project's state folder. */
    readonly local: boolean;
    /** Why this one, as deploy prints it. */
    readonly source: string;
}

/**
 * The credentials file `pulumi login` writes (pulumi/pulumi sdk/go/common/workspace/creds.go
 * getCredsFilePath): PULUMI_CREDENTIALS_PATH, else PULUMI_HOME, else ~/.pulumi.
 */
export function credentialsFile(env: NodeJS.ProcessEnv): string {
    const folder = env.PULUMI_CREDENTIALS_PATH || env.PULUMI_HOME || path.join(env.HOME || homedir(), ".pulumi");
    return path.join(folder, "credentials.json");
}

/** The backend the CLI is logged in to (`current` of the credentials file), if any. */
export function loggedInBackend(env: NodeJS.ProcessEnv): string | undefined {
    const file = credentialsFile(env);
    if (!existsSync(file)) {
        return undefined;
    }
    try {
        const current = (JSON.parse(readFileSync(file, "utf8")) as { current?: unknown }).current;
        return typeof current === "string" && current !== "" ? current : undefined;
    } catch {
        return undefined;
    }
}

/** Pulumi.yaml's `backend.url`, if the project sets one. */
function projectBackend(projectDir: string): string | undefined {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!existsSync(file)) {
        return undefined;
    }
    const url = (parse(readFileSync(file, "utf8")) as { backend?: { url?: unknown } } | null)?.backend?.url;
    return typeof url === "string" && url !== "" ? url : undefined;
}

function localBackend(projectDir: string, source: string): Backend {
    return { url: `file://${path.join(projectDir, LOCAL_STATE_DIR)}`, local: true, source };
}

/**
 * The backend the Pulumi CLI would use for this project, in its order (pulumi/pulumi
 * pkg/workspace/creds.go GetCurrentCloudURL): PULUMI_BACKEND_URL, Pulumi.yaml's `backend.url`, the
 * credentials file's `current`; with none of them, Pulumi Cloud when PULUMI_ACCESS_TOKEN is set,
 * else the project's state folder. `local` asks for the project's state folder whatever the CLI uses.
 */
export function backendUrl(env: NodeJS.ProcessEnv, projectDir: string, options: { local?: boolean } = {}): Backend {
    if (options.local) {
        return localBackend(projectDir, "asked for with --local-backend");
    }
    if (env.PULUMI_BACKEND_URL) {
        return { url: env.PULUMI_BACKEND_URL, local: false, source: "PULUMI_BACKEND_URL" };
    }
    const project = projectBackend(projectDir);
    if (project !== undefined) {
        return { url: project, local: false, source: "Pulumi.yaml backend.url" };
    }
    const loggedIn = loggedInBackend(env);
    if (loggedIn !== undefined) {
        return { url: loggedIn, local: loggedIn === localBackend(projectDir, "").url, source: "the backend pulumi login chose" };
    }
    if (env.PULUMI_ACCESS_TOKEN) {
        return { url: PULUMI_CLOUD_URL, local: false, source: "PULUMI_ACCESS_TOKEN, not logged in" };
    }
    return localBackend(projectDir, "not logged in to any backend");
}

/**
 * The backend to read a deployed stack from, as deploy chose it without --local-backend; the
 * project's state folder only when deploy made one. Undefined: the CLI's own choice.
 */
export function deployedBackendUrl(env: NodeJS.ProcessEnv, projectDir: string): string | undefined {
    const backend = backendUrl(env, projectDir);
    if (!backend.local) {
        return backend.url;
    }
    return existsSync(path.join(projectDir, LOCAL_STATE_DIR)) ? backend.url : undefined;
}
