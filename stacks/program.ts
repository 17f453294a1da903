// Reads the running stack's `kong-cognito:*` config from the Pulumi runtime.
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, PROJECT, StackConfig } from "./config";

/** The stack's config under the project namespace, parsed and checked. */
export function readStackConfig(): StackConfig {
    const prefix = `${PROJECT}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) {
            raw[key.slice(prefix.length)] = value;
        }
    }
    return parseStackConfig(pulumi.getStack(), raw);
}
