// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
// `<namespace>:<key>` to a string, structured values as JSON, project defaults filled in.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, parse, parseDocument } from "yaml";
import { cliConfigRefusals, rewriteShorthand, stackConfigKey } from "./cliConfig";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

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

/** A stack file the Pulumi CLI refuses before the program runs, with the CLI's messages. */
export class StackFileRefusedError extends Error {
    constructor(
        readonly file: string,
        readonly refusals: readonly string[],
        /** Who refuses it: the Pulumi CLI, or kong-cognito for what the program cannot see. */
        readonly by: "the Pulumi CLI" | "kong-cognito" = "the Pulumi CLI",
    ) {
        super(`${by} refuses ${file} before the program runs:\n  ${refusals.join("\n  ")}`);
        this.name = "StackFileRefusedError";
    }
}

/**
 * Values of string keys that YAML read as a number written otherwise (`3.10` is the number 3.1):
 * the CLI hands the program "3.1", which it cannot tell from a 3.1 the user meant, so only the
 * stack file shows the mistake.
 */
export function unquotedNumberErrors(project: ProjectFile, stackFileText: string): string[] {
    const projectName = project.name;
    const config = parseDocument(stackFileText).get("config");
    if (!isMap(config)) {
        return [];
    }
    const errors: string[] = [];
    for (const pair of config.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const full = key !== undefined ? stackConfigKey(projectName, key) : undefined;
        const declared = full?.startsWith(`${projectName}:`) ? project.config[full.slice(projectName.length + 1)] : undefined;
        const value = pair.value;
        if (declared?.type !== "string" || !isScalar(value) || typeof value.value !== "number" || value.source === undefined) {
            continue;
        }
        const text = value.source;
        if (text !== String(value.value)) {
            errors.push(`${full}: YAML reads the unquoted ${text} as the number ${value.value}; quote it: "${text}"`);
        }
    }
    return errors;
}

/** A stack file's text and its `config:` map as YAML reads it. */
function readStackFile(file: string): { readonly text: string; readonly config: Record<string, unknown> } {
    const text = readFileSync(file, "utf8");
    return { text, config: ((parse(text) ?? {}) as { config?: Record<string, unknown> }).config ?? {} };
}

/**
 * What the Pulumi CLI says of Pulumi.yaml and a stack file before `pulumi preview/up` runs the
 * program (tools/shared/cliConfig.ts); empty when it runs it.
 */
export function cliConfigErrors(stack: string, options: { dir?: string; stackFile?: string } = {}): string[] {
    const dir = options.dir ?? PROJECT_DIR;
    const project = readProjectFile(dir);
    const stackFile = options.stackFile ?? path.join(dir, `Pulumi.${stack}.yaml`);
    return cliConfigRefusals(stack, project.name, project.config, readStackFile(stackFile).config);
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
 * the stack file is missing, or when the Pulumi CLI would refuse it (cliConfigErrors).
 */
export function readStackConfigFile(stack: string, options: { dir?: string; stackFile?: string } = {}): Record<string, string> {
    const dir = options.dir ?? PROJECT_DIR;
    const project = readProjectFile(dir);
    const file = options.stackFile ?? path.join(dir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
        const name = options.stackFile ?? `Pulumi.${stack}.yaml`;
        throw new Error(`no stack file ${name} (stacks: ${stackNames(dir).join(", ") || "none"})`);
    }
    const stackFile = readStackFile(file);
    const refused = cliConfigRefusals(stack, project.name, project.config, stackFile.config);
    if (refused.length > 0) {
        throw new StackFileRefusedError(path.basename(file), refused);
    }
    const misread = unquotedNumberErrors(project, stackFile.text);
    if (misread.length > 0) {
        throw new StackFileRefusedError(path.basename(file), misread, "kong-cognito");
    }
    const config: Record<string, string> = {};
    // Pulumi.yaml's values and defaults, its `key: value` shorthand read as the CLI reads it.
    for (const [key, declaration] of Object.entries(rewriteShorthand(project.name, project.config))) {
        const value = declaration.value ?? declaration.default;
        if (value !== undefined) {
            config[stackConfigKey(project.name, key)!] = asConfigString(value);
        }
    }
    for (const [key, value] of Object.entries(stackFile.config)) {
        // Encrypted values need the stack's passphrase; offline they are a placeholder, and the key
        // is secret as on `pulumi up` (secretKeysOf). The CLI has parsed every key by now.
        config[stackConfigKey(project.name, key)!] = asConfigString(withPlaceholders(value));
    }
    return config;
}
