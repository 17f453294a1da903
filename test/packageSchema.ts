// The package schema `pulumi package add` generates SDKs from: the component provider's own
// getSchema(), which runs the SDK's analyzer on this project. Computed once per process.
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as library from "../components";

export interface SchemaProperty {
    readonly type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
    readonly $ref?: string;
    readonly items?: SchemaProperty;
    readonly additionalProperties?: SchemaProperty;
    readonly description?: string;
    readonly optional?: boolean;
    readonly plain?: boolean;
}

export interface SchemaResource {
    readonly isComponent: boolean;
    readonly description?: string;
    readonly inputProperties: Record<string, SchemaProperty>;
    readonly requiredInputs: string[];
    readonly properties: Record<string, SchemaProperty>;
    readonly required: string[];
}

export interface SchemaType {
    readonly type: string;
    readonly properties?: Record<string, SchemaProperty>;
    readonly required?: string[];
    readonly enum?: { name: string; value: string | number; description?: string }[];
}

export interface PackageSchema {
    readonly name: string;
    readonly version: string;
    readonly resources: Record<string, SchemaResource>;
    readonly types: Record<string, SchemaType>;
    readonly dependencies: unknown[];
}

let provider: ComponentProvider | undefined;

/**
 * The component provider of this project, one per process: its first getSchema() or construct()
 * runs the analyzer (a TypeScript program of the whole project, several seconds), later ones reuse it.
 */
export function packageProvider(): ComponentProvider {
    provider ??= new ComponentProvider({
        components: getPulumiComponents(library),
        dirname: path.resolve(__dirname, ".."),
        name: "kong-cognito",
    });
    return provider;
}

export async function loadPackageSchema(): Promise<PackageSchema> {
    return JSON.parse(await packageProvider().getSchema()) as PackageSchema;
}
