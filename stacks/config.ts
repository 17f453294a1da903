// From what Pulumi.<stack>.yaml holds under `kong-cognito:` to the components' args, both ways:
// parsing raw config into a StackConfig, building each component's args from it, and naming the
// config key behind a component arg an error reports. Every step reads the table in configKeys.ts.
import { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import type { CognitoIdpArgs } from "../components/cognito/cognitoIdp";
import type { KongJwtConsumerArgs } from "../components/kong/model/consumerModel";
import type { KongGatewayArgs } from "../components/kong/kongGateway";
import { InputIssue, KongCognitoInputError, SECRET_VALUE } from "../components/validation";
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

/** How to read the raw config. */
export interface ParseOptions {
    /**
     * Keys (without the project prefix) whose value came encrypted (`pulumi config set --secret`).
     * Their values never appear in an error, and a credential must come from one of them.
     */
    readonly secretKeys?: readonly string[];
}

/**
 * Parses raw config (what `pulumi config` holds: strings, structured values as JSON) into a
 * StackConfig, with defaults applied. Throws KongCognitoInputError naming each bad key.
 */
export function parseStackConfig(stack: string, raw: Record<string, string>, options: ParseOptions = {}): StackConfig {
    const issues: InputIssue[] = [];
    const data: Record<string, unknown> = {};
    // Stryker disable next-line ArrayDeclaration: the stand-in would hide only the value of a key named "Stryker was here"
    const secretKeys = new Set(options.secretKeys ?? []);
    const shown = (key: string, value: unknown) => (secretKeys.has(key) ? SECRET_VALUE : value);
    for (const [key, value] of Object.entries(raw)) {
        const row = CONFIG_KEYS[key as ConfigKeyName];
        if (row === undefined) {
            issues.push({
                propertyPath: configKey(key),
                value: shown(key, value),
                rule: `is not a kong-cognito setting (known: ${Object.keys(CONFIG_KEYS).join(", ")})`,
            });
            continue;
        }
        if (row.cliType === "string") {
            data[key] = value;
            continue;
        }
        try {
            data[key] = JSON.parse(value);
        } catch {
            // A bare word where a number, flag or list belongs: the schema names what was expected.
            data[key] = value;
        }
        const field = "secretField" in row ? row.secretField : undefined;
        const credential = field !== undefined ? (data[key] as Record<string, unknown> | null)?.[field] : undefined;
        if (credential !== undefined && !secretKeys.has(key)) {
            issues.push({
                propertyPath: configKey(`${key}.${field}`),
                value: SECRET_VALUE,
                rule: `is a credential in plain text: set it encrypted with pulumi config set --secret --path '${configKey(`${key}.${field}`)}' <value>`,
            });
        }
    }
    const parsed = stackConfigSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const key = String(issue.path[0]);
            issues.push({ propertyPath: configKey(formatPath(issue.path)), value: shown(key, issue.input), rule: issue.message });
        }
    }
    if (issues.length > 0 || !parsed.success) {
        throw new StackConfigError(`stack "${stack}" config`, issues, parsed.success ? parsed.data : repaired(data, parsed.error.issues));
    }
    return parsed.data;
}

/**
 * Config errors, with the config the rest of the stack file gives (`checkable`) so the stack's
 * rules can be checked in the same run: every type and rule error of a stack file at once.
 */
export class StackConfigError extends KongCognitoInputError {
    constructor(
        subject: string,
        issues: readonly InputIssue[],
        /** The config with each broken top-level key at its default; undefined when that is not enough to parse. */
        readonly checkable: StackConfig | undefined,
    ) {
        super(subject, issues);
    }
}

/** The config without the top-level keys the schema refused (their defaults apply), if that parses. */
function repaired(data: Record<string, unknown>, schemaIssues: readonly { path: PropertyKey[] }[]): StackConfig | undefined {
    const broken = new Set(schemaIssues.map((issue) => String(issue.path[0])));
    const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !broken.has(key)));
    const again = stackConfigSchema.safeParse(rest);
    return again.success ? again.data : undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join("");
}

/** The components' args of one stack, built from its config by the table. */
export interface StackArgs {
    readonly idp: CognitoIdpArgs;
    /** The Gateway's args, used when the stack creates one (createGateway). */
    readonly gateway: KongGatewayArgs;
    /** The pool's Kong consumer on Kong OSS; its issuer is the stack's user pool. */
    readonly consumer: Omit<KongJwtConsumerArgs, "issuer">;
    /** One per route, in config order; the route's name is its component name. */
    readonly routes: readonly { readonly name: string; readonly args: StackRouteArgs }[];
    readonly sampleApp: SampleAppArgs;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
    if (value === undefined) {
        return;
    }
    // An arg path has at most two parts (ArgPath): `webClient.name`.
    const [head, leaf] = path.split(".");
    if (leaf === undefined) {
        target[head] = value;
        return;
    }
    ((target[head] ??= {}) as Record<string, unknown>)[leaf] = value;
}

/** Builds every component's args from the config: each key goes where its row's feeds say. */
export function stackArgs(config: StackConfig): StackArgs {
    const components: Record<Feed["component"], Record<string, unknown>> = { idp: {}, route: {}, gateway: {}, consumer: {}, sampleApp: {} };
    for (const [key, row] of ROWS) {
        const field = "secretField" in row ? row.secretField : undefined;
        for (const feed of row.feeds as readonly Feed[]) {
            if ("when" in feed && feed.when && !feed.when(config)) {
                continue;
            }
            let value = "derive" in feed && feed.derive ? feed.derive(config) : config[key];
            // Stryker disable next-line ConditionalExpression: without a credential field the lookup is value["undefined"], which no parsed value has
            const credential = field !== undefined ? (value as Record<string, unknown> | undefined)?.[field] : undefined;
            if (credential !== undefined) {
                // Decrypted for the program, secret again from here on: in state, outputs and plugin configs.
                value = { ...(value as object), [field!]: pulumi.secret(credential as string) };
            }
            setPath(components[feed.component], feed.arg, value);
        }
    }
    const idp = components.idp as unknown as CognitoIdpArgs;
    const shared = components.route as unknown as Omit<StackRouteArgs, keyof RouteConfig>;
    return {
        idp,
        gateway: components.gateway as unknown as KongGatewayArgs,
        consumer: components.consumer as Omit<KongJwtConsumerArgs, "issuer">,
        routes: config.routes.map(({ name, ...fields }) => ({ name, args: { ...shared, ...fields } as StackRouteArgs })),
        sampleApp: components.sampleApp as unknown as SampleAppArgs,
    };
}

/** The config key (with the rest of the path) behind a component arg path, if a row feeds it. */
function keyFeeding(component: Feed["component"], propertyPath: string): string | undefined {
    for (const [key, row] of ROWS) {
        const args = [
            ...(row.feeds as readonly Feed[])
                .filter((f) => f.component === component)
                .map((f) => ({ arg: f.arg as string, ownIndices: (f as { ownIndices?: boolean }).ownIndices === true })),
            // Stryker disable next-line ArrayDeclaration: an arg path named "Stryker was here" exists on no component
            ...(component === "idp" && "reportsFor" in row ? row.reportsFor.map((arg) => ({ arg, ownIndices: false })) : []),
        ];
        for (const { arg, ownIndices } of args) {
            if (propertyPath === arg || propertyPath.startsWith(`${arg}.`) || propertyPath.startsWith(`${arg}[`)) {
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

/** Where an error on the created Gateway's arg points in the stack file. */
export function gatewayConfigPath(propertyPath: string): string {
    return keyFeeding("gateway", propertyPath) ?? `KongGateway.${propertyPath}`;
}

/** Where an error on the pool consumer's arg points in the stack file. */
export function consumerConfigPath(propertyPath: string): string {
    return keyFeeding("consumer", propertyPath) ?? `KongJwtConsumer.${propertyPath}`;
}

/** Where an error on a route's arg points in the stack file: a stack-wide key, or the route's own field. */
export function routeConfigPath(routeIndex: number, propertyPath: string): string {
    return keyFeeding("route", propertyPath) ?? configKey(`routes[${routeIndex}].${propertyPath}`);
}

/** Config namespaces a kong-cognito stack reads: its own and its providers'. */
export const KNOWN_NAMESPACES = [PROJECT, "aws", "kubernetes", "kong", "pulumi"] as const;

/** Credentials of the providers' own config that must be encrypted. */
export const SECRET_PROVIDER_KEYS = ["kong:kongAdminToken", "kong:kongAdminPassword", "kong:kongApiKey"] as const;

const AWS_REGIONS: readonly string[] = Object.values(Region);

/**
 * What the whole config map must satisfy beyond kong-cognito's own keys: every namespace known (a
 * typo such as `kong-cogntio:mfa` would otherwise be a setting silently ignored), provider
 * credentials encrypted, and `aws:region` a real region. Values of secret keys are never shown.
 */
export function checkProviderConfig(all: Readonly<Record<string, string>>, secretKeys: readonly string[]): InputIssue[] {
    const issues: InputIssue[] = [];
    const secret = new Set(secretKeys);
    for (const key of Object.keys(all)) {
        // Stryker disable next-line StringLiteral: any stand-in for "no namespace" is unknown and more than 2 edits from every namespace
        const namespace = key.includes(":") ? key.slice(0, key.indexOf(":")) : "";
        if (!(KNOWN_NAMESPACES as readonly string[]).includes(namespace)) {
            const near = KNOWN_NAMESPACES.find((known) => editDistance(known, namespace) <= 2);
            issues.push({
                propertyPath: key,
                value: secret.has(key) ? SECRET_VALUE : all[key],
                rule: `is in no namespace this program reads (${KNOWN_NAMESPACES.join(", ")})${near ? `: did you mean ${near}:${key.slice(namespace.length + 1)}?` : ""}`,
            });
        }
    }
    for (const key of SECRET_PROVIDER_KEYS) {
        if (all[key] !== undefined && !secret.has(key)) {
            issues.push({
                propertyPath: key,
                value: SECRET_VALUE,
                rule: `is a credential in plain text: set it encrypted with pulumi config set --secret ${key} <value>`,
            });
        }
    }
    const region = all["aws:region"];
    if (region !== undefined && !AWS_REGIONS.includes(region)) {
        issues.push({ propertyPath: "aws:region", value: region, rule: "is not an AWS region (such as us-east-1 or eu-west-1)" });
    }
    return issues;
}

/** Levenshtein distance, for "did you mean" on namespaces (a handful of short strings). */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
