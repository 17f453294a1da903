// Pulumi's mock runtime with a recorder: fake but plausible provider answers for the types
// kong-cognito registers, and every registration request as the engine would receive it
// (parent, dependsOn, property dependencies, protect, secret markers) with the outputs each
// component registers, which Pulumi's `Mocks` interface alone never shows. Used by the tests and
// by `npm run plan`.
import * as pulumi from "@pulumi/pulumi";
import { fakeState } from "../../testing/mocks";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";

/** The mock monitor's registerResource and registerResourceOutputs, as `pulumi.runtime.getMonitor()` returns them under `setMocks`. */
interface RecordableMonitor {
    registerResource(req: RegisterResourceRequest, callback: (err: unknown, resp?: RegisterResourceResponse) => void): void;
    registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: (err: unknown, resp?: unknown) => void): void;
}

/**
 * The one SDK internal used here: waiting for every registration under way, which the SDK's public
 * API offers only as part of `disconnect` (which closes the monitor). Pinned by the @pulumi/pulumi
 * range in package.json.
 */
interface SdkSettings {
    waitForRPCs(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as SdkSettings;

/** The serialized marker Pulumi puts around a secret value. */
export const SECRET_SIG = pulumi.runtime.specialSecretSig;
export const SIG_KEY = pulumi.runtime.specialSigKey;
/** The serialized form of a value unknown during a preview. */
export const UNKNOWN_VALUE = pulumi.runtime.unknownValue;

/** One resource registration, as sent to the engine. */
export interface Registration {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent ("" for none). */
    readonly parent: string;
    /** Inputs as serialized for the engine: secrets keep their marker objects. */
    readonly inputs: Record<string, unknown>;
    /** URNs of every resource this one waits for (dependsOn plus property dependencies). */
    readonly dependencies: readonly string[];
    /** URNs of resources each input property came from. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** URNs given explicitly by `dependsOn` (dependencies not explained by any property). */
    readonly explicitDependencies: readonly string[];
    readonly protect: boolean;
    readonly provider: string;
    readonly version: string;
    readonly additionalSecretOutputs: readonly string[];
}

export interface MockRuntime {
    /** Registrations in the order they reached the monitor. */
    readonly registrations: Registration[];
    /**
     * What each component's `registerOutputs` sent, by URN: the outputs the engine keeps in the
     * state, serialized as it receives them (secrets keep their marker objects).
     */
    readonly registeredOutputs: Map<string, Record<string, unknown>>;
    /** Resolves once every registration under way has reached the monitor. */
    settle(): Promise<void>;
    /** Forgets what was recorded (the next stack starts clean). */
    reset(): void;
}

export interface MockRuntimeOptions {
    readonly project: string;
    readonly stack: string;
    /** Config as `pulumi config` holds it: `<namespace>:<key>` to string (structured values as JSON). */
    readonly config?: Record<string, string>;
    /** Keys of `config` that are secret (`pulumi config set --secret`). */
    readonly secretKeys?: string[];
    readonly preview?: boolean;
}

/**
 * Installs Pulumi's mocks with the given project, stack and config, and records every
 * registration. Config must be set before the program reads it (FACTS: Pulumi SDK mocks).
 */
export async function installMockRuntime(options: MockRuntimeOptions): Promise<MockRuntime> {
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
    const region = options.config?.["aws:region"] ?? "us-east-1";
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => fakeState(args, region),
            call: (args) => args.inputs,
        },
        options.project,
        options.stack,
        options.preview ?? false,
    );

    const registrations: Registration[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor | undefined;
    if (monitor === undefined) {
        throw new Error("setMocks installed no resource monitor");
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const dependencies: string[] = req.getDependenciesList();
        const fromProperties = new Set(Object.values(propertyDependencies).flat());
        return register(req, (err, resp) => {
            if (!err && resp) {
                registrations.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent(),
                    inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    dependencies,
                    propertyDependencies,
                    explicitDependencies: dependencies.filter((d) => !fromProperties.has(d)),
                    protect: req.getProtect() ?? false,
                    provider: req.getProvider(),
                    version: req.getVersion(),
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                });
            }
            callback(err, resp);
        });
    };

    const registeredOutputs = new Map<string, Record<string, unknown>>();
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) =>
        registerOutputs(req, (err, resp) => {
            if (!err) {
                registeredOutputs.set(req.getUrn(), (req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
            }
            callback(err, resp);
        });

    return {
        registrations,
        registeredOutputs,
        settle: async () => {
            await settings.waitForRPCs();
        },
        reset: () => {
            registrations.length = 0;
            registeredOutputs.clear();
        },
    };
}

/** True when a serialized input value is a Pulumi secret. */
export function isSecretValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The plain value of a serialized input, secrets unwrapped (for assertions, never for printing). */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        if (isSecretValue(value)) {
            return unwrapSecrets((value as { value: unknown }).value);
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}
