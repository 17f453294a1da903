// The error machinery every rule reports through: one error type that names the property, the
// value and the rule, a collector that lists every broken rule at once, and the helpers that check
// Inputs when they are known. The rules themselves live with the system that imposes them.
import * as pulumi from "@pulumi/pulumi";

/** One broken rule: where it is, what was given, what the rule says. */
export interface InputIssue {
    readonly propertyPath: string;
    readonly value: unknown;
    readonly rule: string;
}

/**
 * Thrown before any resource is registered when component args or stack config break a rule.
 * A RunError, so `pulumi up` prints the message without a stack trace.
 */
export class KongCognitoInputError extends pulumi.RunError {
    readonly issues: readonly InputIssue[];

    constructor(subject: string, issues: readonly InputIssue[]) {
        const lines = issues.map((i) => `  - ${i.propertyPath} = ${describeValue(i.value)}: ${i.rule}`);
        super(`${subject}: invalid input\n${lines.join("\n")}`);
        this.name = "KongCognitoInputError";
        this.issues = issues;
    }
}

/** Stands for a value an error must not print: an encrypted config value, a credential. */
export const SECRET_VALUE: unique symbol = Symbol("secret value");

/**
 * Credentials inside a URL (`https://user:password@host`), wherever a string holds one: what
 * follows `://` up to an `@` before any `/`. The scheme before it is kept as it is.
 */
const URL_CREDENTIALS = /:\/\/[^/@\s"]+@/g;

/** Properties whose values an error never prints, inside an object it shows: `password`, `clientSecret`. */
const SECRET_PROPERTY = /(password|secret)$/i;

/**
 * What JSON.stringify prints for a property: an Output or a promise inside an object as what it is
 * (an Output's toJSON would print the SDK's warning instead), a secret property as hidden. It reads
 * the holder's raw value, since JSON.stringify calls toJSON before the replacer.
 */
function shown(this: Record<string, unknown>, key: string, value: unknown): unknown {
    const raw = this[key];
    if (pulumi.Output.isInstance(raw) || raw instanceof Promise) {
        return "(an Output)";
    }
    return raw !== undefined && SECRET_PROPERTY.test(key) ? "(secret, not shown)" : value;
}

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    if (value === SECRET_VALUE) {
        return "(secret, not shown)";
    }
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return "(an Output)";
    }
    return (JSON.stringify(value, shown) ?? String(value)).replace(URL_CREDENTIALS, "://***@");
}

/** Collects issues so a user sees every broken rule at once, then throws them together. */
export class Issues {
    private readonly found: InputIssue[] = [];

    constructor(readonly subject: string) {}

    add(propertyPath: string, value: unknown, rule: string): void {
        this.push({ propertyPath, value, rule });
    }

    private push(issue: InputIssue): void {
        const same = this.found.some(
            (f) =>
                f.propertyPath === issue.propertyPath && f.rule === issue.rule && JSON.stringify(f.value) === JSON.stringify(issue.value),
        );
        if (!same) {
            this.found.push(issue);
        }
    }

    /**
     * Records the issues another check threw, so one error lists everything; `rename` maps their
     * property paths into this subject's terms (a component arg to a config key).
     */
    merge(error: unknown, rename: (propertyPath: string) => string = (p) => p): void {
        if (!(error instanceof KongCognitoInputError)) {
            throw error;
        }
        for (const issue of error.issues) {
            this.push({ ...issue, propertyPath: rename(issue.propertyPath) });
        }
    }

    /** Runs a check that may throw KongCognitoInputError and keeps its issues. */
    collect<T>(check: () => T, rename?: (propertyPath: string) => string): T | undefined {
        try {
            return check();
        } catch (error) {
            this.merge(error, rename);
            return undefined;
        }
    }

    /** The issues found so far, for a caller that reports rather than throws (the policy pack). */
    get all(): readonly InputIssue[] {
        return this.found;
    }

    throwIfAny(): void {
        if (this.found.length > 0) {
            throw new KongCognitoInputError(this.subject, this.found);
        }
    }

    /** Throws what was found, for a caller that cannot go on without the values that broke a rule. */
    stop(): never {
        this.throwIfAny();
        throw new Error(`${this.subject}: stopped without naming a broken rule`);
    }
}

/** The issues one check finds, for callers that report rather than throw (the policy pack). */
export function issuesOf(check: (issues: Issues) => void): readonly InputIssue[] {
    // Stryker disable next-line StringLiteral: the subject names a thrown error, and these issues are returned, never thrown
    const issues = new Issues("check");
    check(issues);
    return issues.all;
}

/** True for values known while the program is evaluated (not Outputs or Promises). */
export function isPlain<T>(value: pulumi.Input<T> | undefined): value is T {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * An Input checked now when it is known, else once it resolves (the deployment then fails with the
 * same message, the way AWS CDK leaves unresolved tokens to deploy time).
 */
export function checkInputWhenKnown<T>(
    issues: Issues,
    propertyPath: string,
    input: pulumi.Input<T>,
    check: (issues: Issues, path: string, value: T) => void,
): pulumi.Input<T> {
    if (isPlain(input)) {
        check(issues, propertyPath, input);
        return input;
    }
    return pulumi.output(input).apply((value) => {
        const later = new Issues(issues.subject);
        check(later, propertyPath, value as T);
        later.throwIfAny();
        return value;
    }) as pulumi.Output<T>;
}

/** `checkInputWhenKnown` for each element of a list, as `<propertyPath>[<index>]`. */
export function checkInputsWhenKnown<T>(
    issues: Issues,
    propertyPath: string,
    inputs: readonly pulumi.Input<T>[],
    check: (issues: Issues, path: string, value: T) => void,
): pulumi.Input<T>[] {
    return inputs.map((input, index) => checkInputWhenKnown(issues, `${propertyPath}[${index}]`, input, check));
}

/**
 * Resolves a component's args (defaults applied, every rule checked) once per evaluation. A stack
 * resolves all its components before it registers anything, so bad input leaves nothing behind;
 * the constructors then find the same args already resolved. A hit needs the same component name
 * and the same value (`===`) in every property the resolution reads, so it can never return the
 * resolution of other args: resolution is a pure function of exactly those properties.
 */
export class ResolvedOnce<A extends object, R> {
    private readonly last = new Map<string, { args: A; resolved: R }>();
    /** Every instance's `last`. */
    private static readonly remembered = new Set<Map<string, unknown>>();

    /**
     * Forgets every resolution remembered so far. For test runners that change the code between
     * runs in one process (mutation testing), where a resolution remembered under one version of
     * the code would stand in for another's.
     */
    static forgetAll(): void {
        for (const last of ResolvedOnce.remembered) {
            last.clear();
        }
    }

    /**
     * @param resolve the pure resolution, throwing KongCognitoInputError on bad input
     * @param ignored properties the resolution does not read (they may differ between calls)
     */
    constructor(
        private readonly resolve: (name: string, args: A) => R,
        // Stryker disable next-line ArrayDeclaration: a mutant ignores a property named "Stryker was here", which no args type has
        private readonly ignored: readonly string[] = [],
    ) {
        ResolvedOnce.remembered.add(this.last);
    }

    get(name: string, args: A): R {
        const hit = this.last.get(name);
        if (hit && this.sameInputs(hit.args, args)) {
            return hit.resolved;
        }
        const resolved = this.resolve(name, args);
        this.last.set(name, { args, resolved });
        return resolved;
    }

    private sameInputs(a: A, b: A): boolean {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const key of keys) {
            if (!this.ignored.includes(key) && (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) {
                return false;
            }
        }
        return true;
    }
}
