// From what Pulumi.<stack>.yaml holds under `kong-cognito:` to the components' args, both ways:
// parsing raw config into a StackConfig, building each component's args from it, and naming the
// config key behind a component arg an error reports. Every step reads the table in configKeys.ts.
import type { CognitoIdpArgs } from "../components/cognito/cognitoIdp";
import { InputIssue, KongCognitoInputError } from "../components/validation";
import {
    CONFIG_KEYS,
    ConfigKeyName,
    configKey,
    Feed,
    PROJECT,
    RouteConfig,
    StackConfig,
    StackRouteArgs,
    stackConfigSchema,
} from "./configKeys";
import type { SampleAppArgs } from "./sampleApp";

export { PROJECT, RouteConfig, StackConfig, stackConfigSchema };

const ROWS = Object.entries(CONFIG_KEYS) as [ConfigKeyName, (typeof CONFIG_KEYS)[ConfigKeyName]][];

/** The `kong-cognito:*` keys of a full config map (as Pulumi hands it over), without the prefix. */
export function projectConfig(all: Readonly<Record<string, string>>): Record<string, string> {
    const prefix = `${PROJECT}:`;
    return Object.fromEntries(
        Object.entries(all)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

/**
 * Parses raw config (what `pulumi config` holds: strings, structured values as JSON) into a
 * StackConfig, with defaults applied. Throws KongCognitoInputError naming each bad key.
 */
export function parseStackConfig(stack: string, raw: Record<string, string>): StackConfig {
    const issues: InputIssue[] = [];
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        const row = CONFIG_KEYS[key as ConfigKeyName];
        if (row === undefined) {
            issues.push({
                propertyPath: configKey(key),
                value,
                rule: `is not a kong-cognito setting (known: ${Object.keys(CONFIG_KEYS).join(", ")})`,
            });
            continue;
        }
        if ("declaredType" in row && row.declaredType === "string") {
            data[key] = value;
            continue;
        }
        try {
            data[key] = JSON.parse(value);
        } catch {
            issues.push({ propertyPath: configKey(key), value, rule: "must be YAML/JSON of the documented shape" });
        }
    }
    const parsed = stackConfigSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            issues.push({ propertyPath: configKey(formatPath(issue.path)), value: issue.input, rule: issue.message });
        }
    }
    if (issues.length > 0 || !parsed.success) {
        throw new KongCognitoInputError(`stack "${stack}" config`, issues);
    }
    return parsed.data;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join("");
}

/** The components' args of one stack, built from its config by the table. */
export interface StackArgs {
    readonly idp: CognitoIdpArgs;
    /** One per route, in config order; the route's name is its component name. */
    readonly routes: readonly { readonly name: string; readonly args: StackRouteArgs }[];
    readonly sampleApp: SampleAppArgs;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
    const [head, ...rest] = path.split(".");
    if (rest.length === 0) {
        target[head] = value;
        return;
    }
    const child = (target[head] ??= {}) as Record<string, unknown>;
    setPath(child, rest.join("."), value);
}

/** Builds every component's args from the config: each key goes where its row's feeds say. */
export function stackArgs(config: StackConfig): StackArgs {
    const components: Record<Feed["component"], Record<string, unknown>> = { idp: {}, route: {}, sampleApp: {} };
    for (const [key, row] of ROWS) {
        for (const feed of row.feeds as readonly Feed[]) {
            const value = feed.component === "idp" && feed.derive ? feed.derive(config) : config[key];
            setPath(components[feed.component], feed.arg, value);
        }
    }
    const idp = components.idp as unknown as CognitoIdpArgs;
    const shared = components.route as unknown as Omit<StackRouteArgs, keyof RouteConfig>;
    return {
        idp,
        routes: config.routes.map(({ name, ...fields }) => ({ name, args: { ...shared, ...fields } as StackRouteArgs })),
        sampleApp: components.sampleApp as unknown as SampleAppArgs,
    };
}

/** The config key (with the rest of the path) behind a component arg path, if a row feeds it. */
function keyFeeding(component: Feed["component"], propertyPath: string): string | undefined {
    for (const [key, row] of ROWS) {
        const args = [
            ...(row.feeds as readonly Feed[]).filter((f) => f.component === component).map((f) => f.arg as string),
            ...(component === "idp" && "reportsFor" in row ? row.reportsFor : []),
        ];
        for (const arg of args) {
            if (propertyPath === arg || propertyPath.startsWith(`${arg}.`) || propertyPath.startsWith(`${arg}[`)) {
                const ownIndices = (row.feeds as readonly Feed[]).some((f) => f.component === "idp" && f.arg === arg && f.ownIndices);
                return configKey(ownIndices ? key : `${key}${propertyPath.slice(arg.length)}`);
            }
        }
    }
    return undefined;
}

/** Where an error on a CognitoIdp arg points in the stack file. */
export function idpConfigPath(propertyPath: string): string {
    return keyFeeding("idp", propertyPath) ?? `CognitoIdp.${propertyPath}`;
}

/** Where an error on a route's arg points in the stack file: a stack-wide key, or the route's own field. */
export function routeConfigPath(routeIndex: number, propertyPath: string): string {
    return keyFeeding("route", propertyPath) ?? configKey(`routes[${routeIndex}].${propertyPath}`);
}
