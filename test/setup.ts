// Root hooks: Pulumi's mock runtime is process-global, so it is installed once, here.
import type { Context, Runnable, Suite } from "mocha";
import { installMockRuntime, MockRuntime } from "../tools/shared/mockRuntime";

let runtime: MockRuntime | undefined;

/** The process's mock runtime; tests reset it before each stack they build. */
export function mockRuntime(): MockRuntime {
    if (!runtime) {
        throw new Error("mock runtime not installed: test/setup.ts must be required first");
    }
    return runtime;
}

/**
 * What StrykerJS's instrumented code records (its `__stryker__` global): the mutants each test
 * reaches, under the id of the test running. Its mocha runner names the running test in a root
 * beforeEach only, so code a suite's `before` hook runs is credited to whichever test ran last,
 * often in another file; a mutant reached only there is then run against that test alone, the
 * hook that reaches it never runs, and it "survives" whatever the suite asserts.
 */
interface StrykerCoverage {
    currentTestId?: string;
    mutantCoverage?: { perTest: Record<string, Record<string, number>> };
}

/** The id under which the code run between two tests (after and before hooks) is recorded. */
const BETWEEN_TESTS = "(between tests)";

function strykerCoverage(): StrykerCoverage | undefined {
    return (globalThis as { __stryker__?: StrykerCoverage }).__stryker__;
}

function testsUnder(suite: Suite): string[] {
    return [...suite.tests.map((test) => test.fullTitle()), ...suite.suites.flatMap(testsUnder)];
}

function ancestors(runnable: Runnable | undefined): Suite[] {
    const suites: Suite[] = [];
    for (let suite = runnable?.parent; suite && !suite.root; suite = suite.parent) {
        suites.push(suite);
    }
    return suites;
}

/**
 * Credits what ran between the previous test and this one to every test of the outermost suite
 * this test enters (whose `before` hooks just ran), or to this test when it enters none.
 */
function creditCodeBetweenTests(test: Runnable | undefined, previous: Runnable | undefined): void {
    const perTest = strykerCoverage()?.mutantCoverage?.perTest;
    const between = perTest?.[BETWEEN_TESTS];
    if (!perTest || !between || !test) {
        return;
    }
    delete perTest[BETWEEN_TESTS];
    const left = new Set(ancestors(previous));
    const entered = ancestors(test).filter((suite) => !left.has(suite));
    const credited = entered.length > 0 ? testsUnder(entered[entered.length - 1]) : [test.fullTitle()];
    for (const id of credited) {
        const covered = (perTest[id] ??= {});
        for (const [mutant, hits] of Object.entries(between)) {
            covered[mutant] = (covered[mutant] ?? 0) + hits;
        }
    }
}

let previousTest: Runnable | undefined;

export const mochaHooks = {
    async beforeAll(): Promise<void> {
        runtime = await installMockRuntime({ project: "kong-cognito", stack: "test", config: { "aws:region": "us-east-1" } });
    },
    beforeEach(this: Context): void {
        creditCodeBetweenTests(this.currentTest, previousTest);
        // Each test resolves its components afresh: under mutation testing the code differs between
        // runs, and a resolution remembered under another mutant would hide this one. Required here,
        // not imported: StrykerJS activates a mutant of code that runs when a module loads after it
        // has loaded this file, so a module this file imported would never run such a mutant.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require("../components/validation") as typeof import("../components/validation")).ResolvedOnce.forgetAll();
    },
    afterEach(this: Context): void {
        previousTest = this.currentTest;
        const stryker = strykerCoverage();
        if (stryker?.mutantCoverage) {
            stryker.currentTestId = BETWEEN_TESTS;
        }
    },
    afterAll(): void {
        // What ran after the last test (after hooks) belongs to no test: Stryker would warn of an
        // unknown test id "(between tests)".
        delete strykerCoverage()?.mutantCoverage?.perTest[BETWEEN_TESTS];
    },
};
