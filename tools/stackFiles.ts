// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
// `<namespace>:<key>` to a string, structured values as JSON, project defaults filled in.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What an encrypted (`secure:`) stack config value reads as offline. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * The keys of a config map that hold encrypted values, for `setAllConfig(config, secretKeys)`:
 * an encrypted value, or a structured value with one inside (`pulumi config set --secret --path`),
 * as the Pulumi CLI marks them for the program.
 */
export function secretKeysOf(config: Record<string, string>): string[] {
    const nested = JSON.stringify(SECRET_PLACEHOLDER);
    return Object.keys(config).filter((key) => config[key] === SECRET_PLACEHOLDER || config[key].includes(nested));
}

function isEncrypted(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value && Object.keys(value).length === 1;
}

/** A stack file value with every encrypted part (`{secure: ...}`, at any depth) replaced by the placeholder. */
function withPlaceholders(value: unknown): unknown {
    if (isEncrypted(value)) {
        return SECRET_PLACEHOLDER;
    }
    if (Array.isArray(value)) {
        return value.map(withPlaceholders);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v)]));
    }
    return value;
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
        // Encrypted values need the stack's passphrase; offline they are a placeholder, and the key
        // is secret as on `pulumi up` (secretKeysOf).
        config[key] = asConfigString(withPlaceholders(value));
    }
    return config;
}
