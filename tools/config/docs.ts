// What the config table (stacks/configKeys.ts) says in Pulumi.yaml's `config:` block and in the
// README's configuration table. Pure; `npm run sync:config` writes both, a test compares them.
import { CONFIG_KEYS, ConfigKey, ConfigKeyName, defaultOf } from "../../stacks/configKeys";
import { ProjectFile } from "../shared/stackFiles";

/** A key as Pulumi.yaml declares it. */
export interface ConfigDeclaration {
    readonly type: string;
    readonly items?: { readonly type: string };
    readonly default?: unknown;
    readonly description: string;
}

/** Whether the program refuses a stack without the key (it has no default and is not optional). */
export function isRequired(key: ConfigKeyName): boolean {
    return !CONFIG_KEYS[key].schema.safeParse(undefined).success;
}

/**
 * The `kong-cognito` keys Pulumi.yaml declares, in table order: the keys with a default, and the
 * required ones. The Pulumi CLI requires every declared key of the project's namespace that has no
 * default (pulumi/pulumi workspace/config.go mergeConfig), so an optional key without one (a
 * target's own keys, redis) is not declared: the program checks its type (stacks/configKeys.ts).
 */
export function configDeclarations(): Record<string, ConfigDeclaration> {
    const declarations: Record<string, ConfigDeclaration> = {};
    for (const [key, row] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, ConfigKey][]) {
        const fallback = defaultOf(key);
        if (fallback === undefined && !isRequired(key)) {
            continue;
        }
        declarations[key] = {
            type: row.cliType,
            ...(row.cliItems !== undefined ? { items: { type: row.cliItems } } : {}),
            ...(fallback !== undefined ? { default: fallback } : {}),
            description: row.description,
        };
    }
    return declarations;
}

export const TABLE_START = "<!-- config:keys -->";
export const TABLE_END = "<!-- /config:keys -->";

/** Markdown table cell text: pipes escaped, `<placeholders>` shown rather than read as HTML. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/</g, "&lt;");
}

/**
 * The README's configuration table, markers included. `aws:region` is the AWS provider's key; its
 * default is the value Pulumi.yaml sets for the project.
 */
export function configTable(project: ProjectFile): string {
    const region = (project.config["aws:region"]?.value as string | undefined) ?? "us-east-1";
    const rows = (Object.entries(CONFIG_KEYS) as [ConfigKeyName, ConfigKey][]).map(([key, row]) => {
        const fallback = defaultOf(key);
        const type = row.cliType !== "array" ? row.cliType : row.cliItems === "string" ? "string[]" : "list";
        const shown =
            row.shownDefault ??
            (fallback !== undefined
                ? `\`${typeof fallback === "string" ? fallback : JSON.stringify(fallback)}\``
                : isRequired(key)
                  ? "required"
                  : "none");
        return `| \`${key}\` | ${type} | ${cell(shown)} | ${cell(row.description)} |`;
    });
    return [
        TABLE_START,
        "| Key | Type | Default | Meaning |",
        "|---|---|---|---|",
        `| \`aws:region\` | string | \`${region}\` | AWS region of the pool (the AWS provider's own key) |`,
        ...rows,
        TABLE_END,
    ].join("\n");
}

/** The text between the markers of `text` replaced by `table`; throws when the markers are missing. */
export function replaceTable(text: string, table: string): string {
    const start = text.indexOf(TABLE_START);
    const end = text.indexOf(TABLE_END);
    if (start < 0 || end < start) {
        throw new Error(`the README has no ${TABLE_START} ... ${TABLE_END} block`);
    }
    return text.slice(0, start) + table + text.slice(end + TABLE_END.length);
}
