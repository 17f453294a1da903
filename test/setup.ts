// Root hooks: Pulumi's mock runtime is process-global, so it is installed once, here.
import { installMockRuntime, MockRuntime } from "../tools/shared/mockRuntime";

let runtime: MockRuntime | undefined;

/** The process's mock runtime; tests reset it before each stack they build. */
export function mockRuntime(): MockRuntime {
    if (!runtime) {
        throw new Error("mock runtime not installed: test/setup.ts must be required first");
    }
    return runtime;
}

export const mochaHooks = {
    async beforeAll(): Promise<void> {
        runtime = await installMockRuntime({ project: "kong-cognito", stack: "test", config: { "aws:region": "us-east-1" } });
    },
};
