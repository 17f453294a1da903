// The Pulumi CLI's checks of config before a program runs, taken whole from pulumi/pulumi v3.248.0
// (sdk/go/common/workspace/project.go: RewriteShorthandConfigValues, Project.Validate, ValidateConfigValue,
// the `configTypeDeclaration` of project.json; workspace/config.go: mergeConfig, validateStackConfigValue;
// resource/config/{key,object}.go: how a stack file's values become strings). Messages are the CLI's own,
// in the order it reports them: the CLI stops at the first, these go on to what it would say next.
// `npm run test:engine` runs the real CLI on the same cases (test/cliConfigCases.ts).
//
// Not emulated: decrypting `secure:` values (their type is checked by the real CLI only), ESC
// environments (`environment:` in a stack file), and YAML corner cases where gopkg.in/yaml.v3 and the
// `yaml` package read a scalar differently (`1_000`, YAML 1.1 octals).

/** A config key's declaration in Pulumi.yaml, after the CLI's shorthand rewrite. */
export interface CliConfigDeclaration {
    readonly type?: unknown;
    readonly items?: unknown;
    readonly description?: unknown;
    readonly secret?: unknown;
    readonly default?: unknown;
    readonly value?: unknown;
}

interface ItemsType {
    readonly type: string;
    readonly items?: ItemsType;
}

/** project.json `simpleConfigType`. */
const CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
/** project.json `configTypeDeclaration`: `additionalProperties: false`. */
const DECLARATION_FIELDS = ["type", "items", "description", "secret", "default", "value"];

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Go's isPrimitiveValue after yaml.v3 decoding: string, int, bool (a float is not). */
function isPrimitive(value: unknown): boolean {
    return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
}

/** config.ParseKey: `<namespace>:<name>` or the old `<namespace>:config:<name>`. */
export function parseConfigKey(key: string): { namespace: string; name: string } | undefined {
    const parts = key.split(":");
    if (parts.length === 2) {
        return { namespace: parts[0], name: parts[1] };
    }
    if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") {
        return { namespace: parts[0], name: parts[2] };
    }
    return undefined;
}

/**
 * A stack file's key as the CLI hands it to the program: `<namespace>:<name>`, a key without a
 * namespace being the project's (stackConfigNamespacedWithProject, workspace/loaders.go).
 * Undefined for a key the CLI cannot parse.
 */
export function stackConfigKey(projectName: string, key: string): string | undefined {
    const parsed = key.includes(":") ? parseConfigKey(key) : { namespace: projectName, name: key };
    return parsed && `${parsed.namespace}:${parsed.name}`;
}

/** workspace.parseConfigKey: a key without a namespace is the project's. */
function namespaceOf(projectName: string, key: string): string | undefined {
    return key.includes(":") ? parseConfigKey(key)?.namespace : projectName;
}

function isProjectNamespaced(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** RewriteShorthandConfigValues: `key: value` is a default for the project's keys, a value for others. */
export function rewriteShorthand(projectName: string, config: Record<string, unknown>): Record<string, CliConfigDeclaration> {
    const declarations: Record<string, CliConfigDeclaration> = {};
    for (const [key, value] of Object.entries(config)) {
        if (isPrimitive(value) || Array.isArray(value)) {
            declarations[key] = isProjectNamespaced(projectName, key) ? { default: value } : { value };
        } else {
            declarations[key] = value as CliConfigDeclaration;
        }
    }
    return declarations;
}

/** InferFullTypeName. */
function fullTypeName(type: string, items: ItemsType | undefined): string {
    return items !== undefined ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/** strconv.Atoi: an optional sign and decimal digits, within a 64-bit int. */
function goAtoi(text: string): boolean {
    if (!/^[+-]?[0-9]+$/.test(text)) {
        return false;
    }
    const n = BigInt(text);
    return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** ValidateConfigValue: whether a value (a stack's string, or parsed JSON of a structured one) has the type. */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            // YAML ints, whole floats, and strings that parse as integers.
            return typeof value === "number" ? Number.isInteger(value) : typeof value === "string" && goAtoi(value);
        case "boolean":
            // The literal strings only: "True" or "yes" from a stack file are refused.
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isMap(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => validateConfigValue(items.type, items.items, item));
    }
}

/** A value's JSON Schema type name, as the CLI's schema validator names it in its messages. */
function jsonTypeOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    return typeof value === "number" && Number.isInteger(value) ? "integer" : typeof value === "number" ? "number" : typeof value;
}

const TYPE_ENUM = `value must be one of ${CONFIG_TYPES.map((t) => `"${t}"`).join(", ")}`;

/**
 * project.json's `configItemsType`: `type` required, and `items` required when `type` is `array`
 * (an if/then whose `if` also holds when `type` is absent). Messages as the CLI lists them.
 */
function itemsTypeErrors(location: string, items: unknown): string[] {
    if (!isMap(items)) {
        return [`${location}: expected object, but got ${jsonTypeOf(items)}`];
    }
    const errors: string[] = [];
    if (items.type === undefined) {
        errors.push(`${location}: missing properties: 'type'`);
    } else if (typeof items.type !== "string" || !(CONFIG_TYPES as readonly string[]).includes(items.type)) {
        errors.push(`${location}/type: ${TYPE_ENUM}`);
    }
    if ((items.type === undefined || items.type === "array") && items.items === undefined) {
        errors.push(`${location}: missing properties: 'items'`);
    }
    if (items.items !== undefined) {
        errors.push(...itemsTypeErrors(`${location}/items`, items.items));
    }
    return errors;
}

/**
 * What the CLI says of Pulumi.yaml's `config:` block: the schema of each declaration (project.json),
 * then Project.Validate. Empty when the CLI accepts it.
 */
export function projectConfigErrors(projectName: string, rawConfig: Record<string, unknown>): string[] {
    const errors: string[] = [];
    const config = rewriteShorthand(projectName, rawConfig);
    for (const [key, declaration] of Object.entries(config)) {
        const location = `#/config/${key}`;
        if (!isMap(declaration)) {
            // A float or null: none of the `oneOf` string, integer, boolean, array, configTypeDeclaration.
            errors.push(`${location}: oneOf failed`);
            continue;
        }
        for (const field of Object.keys(declaration)) {
            if (!DECLARATION_FIELDS.includes(field)) {
                errors.push(`${location}: additionalProperties '${field}' not allowed`);
            }
        }
        if (declaration.type !== undefined && !(CONFIG_TYPES as readonly string[]).includes(declaration.type as string)) {
            errors.push(`${location}/type: ${TYPE_ENUM}`);
        }
        if (declaration.items !== undefined) {
            errors.push(...itemsTypeErrors(`${location}/items`, declaration.items));
        }
        if (declaration.description !== undefined && typeof declaration.description !== "string") {
            errors.push(`${location}/description: expected string, but got ${jsonTypeOf(declaration.description)}`);
        }
        if (declaration.secret !== undefined && typeof declaration.secret !== "boolean") {
            errors.push(`${location}/secret: expected boolean, but got ${jsonTypeOf(declaration.secret)}`);
        }
    }
    if (errors.length > 0) {
        return errors;
    }
    // Project.Validate.
    for (const [key, declaration] of Object.entries(config)) {
        const typed = declaration.type !== undefined;
        const type = declaration.type as string;
        const items = declaration.items as ItemsType | undefined;
        if (declaration.default !== undefined && declaration.value !== undefined) {
            errors.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        } else if (isProjectNamespaced(projectName, key)) {
            if (typed && type === "array" && items === undefined) {
                errors.push(
                    `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
                );
            } else if (typed && declaration.default !== undefined && !validateConfigValue(type, items, declaration.default)) {
                errors.push(
                    `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(type, items)}'`,
                );
            }
        } else if (typed) {
            errors.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        } else if (declaration.default !== undefined) {
            errors.push(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. ` +
                    "Did you mean to use the 'value' attribute instead of 'default'?",
            );
        } else if (declaration.value === undefined) {
            errors.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
    }
    return errors;
}

/** A stack's config value as the CLI holds it (config.Value): a string, or JSON of a structured value. */
interface StackValue {
    readonly text: string;
    readonly secure: boolean;
    readonly object: boolean;
}

function isSecure(value: unknown): value is { secure: string } {
    return isMap(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function containsSecure(value: unknown): boolean {
    if (isSecure(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsSecure);
    }
    return isMap(value) && Object.values(value).some(containsSecure);
}

/** object.MarshalString: a bool or number as its JSON text, a string as is, anything else as JSON. */
function stackValueOf(raw: unknown): StackValue {
    if (isSecure(raw)) {
        return { text: raw.secure, secure: true, object: false };
    }
    if (typeof raw === "string") {
        return { text: raw, secure: false, object: false };
    }
    if (typeof raw === "boolean" || typeof raw === "number") {
        return { text: JSON.stringify(raw), secure: false, object: false };
    }
    return { text: JSON.stringify(raw ?? null), secure: containsSecure(raw), object: true };
}

/** createConfigValue: how a Pulumi.yaml default becomes a config value. */
function defaultValueOf(value: unknown): StackValue {
    if (isPrimitive(value)) {
        return { text: String(value), secure: false, object: false };
    }
    return { text: JSON.stringify(value), secure: false, object: true };
}

function formatMissingKeys(keys: string[]): string {
    if (keys.length === 1) {
        return `'${keys[0]}'`;
    }
    const sorted = [...keys].sort();
    return sorted
        .map((key, i) => (i === sorted.length - 1 ? `and '${key}'` : i === sorted.length - 2 ? `'${key}' ` : `'${key}', `))
        .join("");
}

/**
 * What `pulumi preview/up/refresh/destroy` say of a stack's config before the program runs
 * (mergeConfig, then validateStackConfigValues), given Pulumi.yaml's `config:` block and the stack
 * file's `config:` map as YAML decodes them. Empty when the CLI runs the program.
 */
export function stackConfigErrors(
    stackName: string,
    projectName: string,
    rawProjectConfig: Record<string, unknown>,
    stackConfig: Record<string, unknown>,
): string[] {
    const errors: string[] = [];
    const values = new Map<string, StackValue>();
    for (const [key, raw] of Object.entries(stackConfig)) {
        const full = stackConfigKey(projectName, key);
        if (full === undefined) {
            errors.push(`could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`);
            continue;
        }
        values.set(full, stackValueOf(raw));
    }
    if (errors.length > 0) {
        return errors;
    }
    const config = rewriteShorthand(projectName, rawProjectConfig);
    const keys = Object.keys(config).sort();
    const fullKey = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);
    const missing = keys.filter((key) => {
        const declaration = config[key];
        return (
            !values.has(fullKey(key)) &&
            declaration.value === undefined &&
            declaration.default === undefined &&
            namespaceOf(projectName, key) === projectName
        );
    });
    if (missing.length > 0) {
        const plural = missing.length > 1 ? "values" : "value";
        return [`Stack '${stackName}' is missing configuration ${plural} ${formatMissingKeys(missing)}`];
    }
    for (const key of keys) {
        const declaration = config[key];
        const fallback = declaration.default ?? declaration.value;
        const value = values.get(fullKey(key)) ?? (fallback !== undefined ? defaultValueOf(fallback) : undefined);
        if (declaration.type === undefined || value === undefined) {
            continue;
        }
        if (declaration.secret === true && !value.secure) {
            errors.push(`Stack '${stackName}' with configuration key '${key}' must be encrypted as it's secret`);
            continue;
        }
        if (value.secure) {
            // Its plaintext needs the stack's passphrase: only the real CLI checks its type.
            continue;
        }
        const content = value.object ? JSON.parse(value.text) : value.text;
        const type = declaration.type as string;
        const items = declaration.items as ItemsType | undefined;
        if (!validateConfigValue(type, items, content)) {
            errors.push(`Stack '${stackName}' with configuration key '${key}' must be of type '${fullTypeName(type, items)}'`);
        }
    }
    return errors;
}

/** Everything the CLI says of Pulumi.yaml's config and a stack's before the program runs: Pulumi.yaml first. */
export function cliConfigRefusals(
    stackName: string,
    projectName: string,
    rawProjectConfig: Record<string, unknown>,
    stackConfig: Record<string, unknown>,
): string[] {
    const projectErrors = projectConfigErrors(projectName, rawProjectConfig);
    return projectErrors.length > 0 ? projectErrors : stackConfigErrors(stackName, projectName, rawProjectConfig, stackConfig);
}
