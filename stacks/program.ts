// Reads the running stack's config from the Pulumi runtime, checks all of it (kong-cognito's keys,
// the providers' keys it relies on, which values came encrypted) and builds the stack.
import * as pulumi from "@pulumi/pulumi";
import { Issues } from "../components/validation";
import { checkProviderConfig, parseStackConfig, projectConfig, StackConfig, StackConfigError } from "./config";
import { PROJECT } from "./configKeys";
import { BuildOptions, buildStack, KongAdminConnection, StackOutputs, validateStack } from "./stack";

/**
 * The config keys whose values came encrypted. The language host lists them for the program
 * (`pulumi config set --secret`, also with `--path`, marks the top-level key); the SDK reads the
 * list in `runtime.isConfigSecret`, which it does not export in its typings.
 */
export function configSecretKeys(all: Readonly<Record<string, string>>): string[] {
    const runtime = pulumi.runtime as unknown as { isConfigSecret: (key: string) => boolean };
    return Object.keys(all).filter((key) => runtime.isConfigSecret(key));
}

/**
 * The stack's config under the project namespace, parsed and checked with the rest of the config
 * map. When keys have the wrong type, the stack's rules are still checked on the rest (those keys
 * at their defaults), so one run reports every problem of the stack file.
 */
export function readStackConfig(options: BuildOptions = {}): StackConfig {
    const all = pulumi.runtime.allConfig();
    const secretKeys = configSecretKeys(all);
    const issues = new Issues(`stack "${pulumi.getStack()}" config`);
    for (const issue of checkProviderConfig(all, secretKeys)) {
        issues.add(issue.propertyPath, issue.value, issue.rule);
    }
    const prefix = `${PROJECT}:`;
    let config: StackConfig | undefined;
    try {
        config = parseStackConfig(pulumi.getStack(), projectConfig(all), {
            // Stryker disable next-line MethodExpression: another namespace's key, cut after "kong-cognito:"'s length, names no kong-cognito key
            secretKeys: secretKeys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
        });
    } catch (error) {
        issues.merge(error);
        const checkable = error instanceof StackConfigError ? error.checkable : undefined;
        if (checkable !== undefined) {
            issues.collect(() => validateStack(pulumi.getStack(), checkable, options));
        }
    }
    issues.throwIfAny();
    return config!;
}

/**
 * The Admin API connection of the `admin` target, from the kong provider's own config keys
 * (`kong:kongAdminUri`, secret `kong:kongAdminToken`). Undefined when no URI is set.
 */
export function readKongAdminConnection(): KongAdminConnection | undefined {
    const kong = new pulumi.Config("kong");
    const adminUri = kong.get("kongAdminUri");
    if (adminUri === undefined) {
        return undefined;
    }
    return { adminUri, adminToken: kong.getSecret("kongAdminToken") };
}

/** The program: the running stack's config in, its graph registered, its outputs back. */
export function buildProgram(): StackOutputs {
    const options = { kongAdmin: readKongAdminConnection() };
    return buildStack(pulumi.getStack(), readStackConfig(options), options);
}
