// Input validation shared by the components and the stacks: one error type that names the
// property, the value and the rule, and the Cognito/Kong rules that more than one place checks.
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

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    return JSON.stringify(value);
}

/** Collects issues so a user sees every broken rule at once, then throws them together. */
export class Issues {
    private readonly found: InputIssue[] = [];

    constructor(private readonly subject: string) {}

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
}

/** True for values known while the program is evaluated (not Outputs or Promises). */
export function isPlain<T>(value: pulumi.Input<T> | undefined): value is T {
    return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

const LOCALHOST_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Cognito callback and sign-out URLs: absolute, no fragment, HTTPS except http://localhost,
 * 1-1024 characters (CreateUserPoolClient, CallbackURLs).
 */
export function checkCallbackUrl(issues: Issues, propertyPath: string, url: string): void {
    if (url.length < 1 || url.length > 1024) {
        issues.add(propertyPath, url, "must be 1-1024 characters long (Cognito CallbackURLs)");
        return;
    }
    checkHttpsUrl(issues, propertyPath, url, { allowPath: true });
}

/**
 * A public URL users and Cognito redirect to: absolute, HTTPS (http only for localhost),
 * no fragment, no credentials.
 */
export function checkHttpsUrl(issues: Issues, propertyPath: string, url: string, options: { allowPath: boolean }): void {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        issues.add(propertyPath, url, "must be an absolute URL such as https://kong.example.com");
        return;
    }
    if (parsed.protocol === "http:" && !LOCALHOST_NAMES.has(parsed.hostname)) {
        issues.add(propertyPath, url, "must use https (http is allowed only for localhost)");
    } else if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
        issues.add(propertyPath, url, "must use https");
    }
    if (parsed.hash !== "" || url.includes("#")) {
        issues.add(propertyPath, url, "must not contain a fragment (#...)");
    }
    if (parsed.username !== "" || parsed.password !== "") {
        issues.add(propertyPath, url, "must not contain credentials");
    }
    if (!options.allowPath && (parsed.pathname !== "/" || parsed.search !== "")) {
        issues.add(propertyPath, url, "must be a base URL without path or query, such as https://kong.example.com");
    }
}

/** Checks the elements of a list that are known now; Outputs are left to `checkWhenKnown`. */
export function checkKnownInputs(
    issues: Issues,
    propertyPath: string,
    inputs: readonly pulumi.Input<string>[],
    check: (issues: Issues, path: string, value: string) => void,
): void {
    inputs.forEach((input, index) => {
        if (isPlain(input)) {
            check(issues, `${propertyPath}[${index}]`, input);
        }
    });
}

/**
 * Checks the elements that are Outputs once they resolve (the deployment fails with the same
 * message); plain elements pass through, already checked by `checkKnownInputs`.
 */
export function checkWhenKnown(
    subject: string,
    propertyPath: string,
    inputs: readonly pulumi.Input<string>[],
    check: (issues: Issues, path: string, value: string) => void,
): pulumi.Output<string>[] {
    return inputs.map((input, index) => {
        if (isPlain(input)) {
            return pulumi.output(input);
        }
        return pulumi.output(input).apply((value) => {
            const issues = new Issues(subject);
            check(issues, `${propertyPath}[${index}]`, value);
            issues.throwIfAny();
            return value;
        });
    });
}
