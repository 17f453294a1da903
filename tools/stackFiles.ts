// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
// `<namespace>:<key>` to a string, structured values as JSON, project defaults filled in.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What an encrypted (`secure:`) stack config value reads as offline. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The keys of a config map that hold encrypted values, for `setAllConfig(config, secretKeys)`. */
export function secretKeysOf(config: Record<string, string>): string[] {
    return Object.keys(config).filter((key) => config[key] === SECRET_PLACEHOLDER);
}

interface ProjectConfigDeclaration {
    type?: string;
    default?: unknown;
    value?: unknown;
    description?: string;
    items?: { type: string };
}

export interface ProjectFile {
    name: string;
    config: Record<string, ProjectConfigDeclaration>;
}

export function readProjectFile(dir = PROJECT_DIR): ProjectFile {
    const project = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    return { ...project, config: project.config ?? {} };
}

function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The stacks that have a Pulumi.<stack>.yaml. */
export function stackNames(dir = PROJECT_DIR): string[] {
    return readdirSync(dir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * The config a program of this project sees on `pulumi up --stack <stack>`: project-level values
 * and defaults, overridden by the stack file (`stackFile`, or Pulumi.<stack>.yaml). Throws if
 * the stack file is missing.
 */
export function readStackConfigFile(stack: string, options: { dir?: string; stackFile?: string } = {}): Record<string, string> {
    const dir = options.dir ?? PROJECT_DIR;
    const project = readProjectFile(dir);
    const file = options.stackFile ?? path.join(dir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
        const name = options.stackFile ?? `Pulumi.${stack}.yaml`;
        throw new Error(`no stack file ${name} (stacks: ${stackNames(dir).join(", ") || "none"})`);
    }
    const stackFile = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(project.config)) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        const value = declaration?.value ?? declaration?.default;
        if (value !== undefined) {
            config[fullKey] = asConfigString(value);
        }
    }
    for (const [key, value] of Object.entries(stackFile.config ?? {})) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            // Encrypted values need the stack's passphrase; offline they are a placeholder, still secret.
            config[key] = SECRET_PLACEHOLDER;
            continue;
        }
        config[key] = asConfigString(value);
    }
    return config;
}
