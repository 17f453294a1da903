// Reads the running stack's `kong-cognito:*` config from the Pulumi runtime.
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, projectConfig, StackConfig } from "./config";
import { buildStack, KongAdminConnection, StackOutputs } from "./stack";

/** The stack's config under the project namespace, parsed and checked. */
export function readStackConfig(): StackConfig {
    return parseStackConfig(pulumi.getStack(), projectConfig(pulumi.runtime.allConfig()));
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
