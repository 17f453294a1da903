// Reads the running stack's config from the Pulumi runtime, checks all of it (kong-cognito's keys,
// the providers' keys it relies on, which values came encrypted) and builds the stack.
import * as pulumi from "@pulumi/pulumi";
import { Issues } from "../components/validation";
import { checkProviderConfig, parseStackConfig, projectConfig, StackConfig } from "./config";
import { PROJECT } from "./configKeys";
import { buildStack, KongAdminConnection, StackOutputs } from "./stack";

/**
 * The config keys whose values came encrypted. The language host lists them for the program
 * (`pulumi config set --secret`, also with `--path`, marks the top-level key); the SDK reads the
 * list in `runtime.isConfigSecret`, which it does not export in its typings.
 */
export function configSecretKeys(all: Readonly<Record<string, string>>): string[] {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    return Object.keys(all).filter((key) => runtime.isConfigSecret?.(key) ?? false);
}

/** The stack's config under the project namespace, parsed and checked with the rest of the config map. */
export function readStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const secretKeys = configSecretKeys(all);
    const issues = new Issues(`stack "${pulumi.getStack()}" config`);
    for (const issue of checkProviderConfig(all, secretKeys)) {
        issues.add(issue.propertyPath, issue.value, issue.rule);
    }
    const prefix = `${PROJECT}:`;
    const config = issues.collect(() =>
        parseStackConfig(pulumi.getStack(), projectConfig(all), {
            secretKeys: secretKeys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
        }),
    );
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
    return buildStack(pulumi.getStack(), readStackConfig(), { kongAdmin: readKongAdminConnection() });
}
