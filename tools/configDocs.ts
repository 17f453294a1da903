// What the config table (stacks/configKeys.ts) says in Pulumi.yaml's `config:` block and in the
// README's configuration table. Pure; `npm run sync:config` writes both, a test compares them.
import { z } from "zod";
import { CONFIG_KEYS, ConfigKeyName, defaultOf } from "../stacks/configKeys";
import { ProjectFile } from "./stackFiles";

/** A key as Pulumi.yaml declares it. */
export interface ConfigDeclaration {
    readonly type: string;
    readonly items?: { readonly type: string };
    readonly default?: unknown;
    readonly description: string;
}

/** The `kong-cognito` keys Pulumi.yaml declares, in table order (lists of objects cannot be declared). */
export function configDeclarations(): Record<string, ConfigDeclaration> {
    const declarations: Record<string, ConfigDeclaration> = {};
    for (const [key, row] of Object.entries(CONFIG_KEYS)) {
        if (!("declaredType" in row)) {
            continue;
        }
        const fallback = defaultOf(key as ConfigKeyName);
        declarations[key] = {
            type: row.declaredType,
            ...(row.declaredType === "array" ? { items: { type: "string" } } : {}),
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
    const rows = Object.entries(CONFIG_KEYS).map(([key, row]) => {
        const fallback = defaultOf(key as ConfigKeyName);
        const optional = row.schema.safeParse(undefined).success;
        const structured = row.schema instanceof z.ZodArray ? "list" : "object";
        const type = "declaredType" in row ? (row.declaredType === "array" ? "string[]" : row.declaredType) : structured;
        const shown =
            "shownDefault" in row
                ? row.shownDefault
                : fallback !== undefined
                  ? `\`${typeof fallback === "string" ? fallback : JSON.stringify(fallback)}\``
                  : optional
                    ? "none"
                    : "required";
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
