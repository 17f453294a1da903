// The typed stack config: what Pulumi.<stack>.yaml may hold under `kong-cognito:`, its defaults
// (the same as Pulumi.yaml declares), and the parse that turns raw config into a StackConfig.
import { z } from "zod";
import { KongCognitoInputError } from "../components/validation";

export const PROJECT = "kong-cognito";

const routeSchema = z
    .object({
        name: z.string().min(1, "must not be empty"),
        path: z.string().min(1, "must not be empty"),
        mode: z.enum(["api", "browser"]),
        upstreamUrl: z.string().optional(),
        upstreamService: z
            .object({ name: z.string().min(1), port: z.number().int() })
            .strict()
            .optional(),
        host: z.string().optional(),
        tlsSecretName: z.string().optional(),
        stripPath: z.boolean().optional(),
        protocols: z.array(z.string()).optional(),
        authMethods: z.array(z.string()).optional(),
        cache: z
            .object({
                ttlSeconds: z.number().optional(),
                contentTypes: z.array(z.string()).optional(),
                responseCodes: z.array(z.number()).optional(),
                requestMethods: z.array(z.string()).optional(),
                varyHeaders: z.array(z.string()).optional(),
            })
            .strict()
            .optional(),
    })
    .strict();

/** Every key of the stack config with its type and default; Pulumi.yaml declares the same. */
export const stackConfigSchema = z
    .object({
        target: z.enum(["ingress", "admin"]).default("ingress"),
        namespace: z.string().min(1).default("kong"),
        publicBaseUrl: z.string(),
        userPoolName: z.string().min(1).max(128).default("kongpool"),
        domainPrefix: z.string(),
        deletionProtection: z.boolean().default(true),
        protectUserPool: z.boolean().default(true),
        selfSignUp: z.boolean().default(false),
        mfa: z.enum(["OFF", "OPTIONAL", "ON"]).default("OPTIONAL"),
        passwordMinimumLength: z.number().default(12),
        webClientName: z.string().min(1).default("kong-api"),
        machineClientName: z.string().min(1).default("kong-machine"),
        accessTokenValidityMinutes: z.number().default(60),
        idTokenValidityMinutes: z.number().default(60),
        refreshTokenValidityDays: z.number().default(30),
        resourceServerIdentifier: z.string().default("http://kongresource"),
        resourceServerScopes: z.array(z.string()).default(["scope1"]),
        sslVerify: z.boolean().default(true),
        deploySampleApp: z.boolean().default(false),
        sampleAppImage: z.string().min(1).default("mccutchen/go-httpbin:v2.15.0"),
        routes: z.array(routeSchema).min(1, "must declare at least one route"),
    })
    .strict();

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;

/** Keys whose raw config value is a plain string; every other key holds YAML/JSON structure. */
const STRING_KEYS = new Set([
    "target",
    "namespace",
    "publicBaseUrl",
    "userPoolName",
    "domainPrefix",
    "mfa",
    "webClientName",
    "machineClientName",
    "resourceServerIdentifier",
    "sampleAppImage",
]);

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
    const issues: { propertyPath: string; value: unknown; rule: string }[] = [];
    const known = Object.keys(stackConfigSchema.shape);
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (!known.includes(key)) {
            issues.push({ propertyPath: `${PROJECT}:${key}`, value, rule: `is not a kong-cognito setting (known: ${known.join(", ")})` });
            continue;
        }
        if (STRING_KEYS.has(key)) {
            data[key] = value;
            continue;
        }
        try {
            data[key] = JSON.parse(value);
        } catch {
            issues.push({ propertyPath: `${PROJECT}:${key}`, value, rule: "must be YAML/JSON of the documented shape" });
        }
    }
    const parsed = stackConfigSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            issues.push({ propertyPath: `${PROJECT}:${formatPath(issue.path)}`, value: issue.input, rule: issue.message });
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
