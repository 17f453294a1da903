// What verify's checks share: the PASS/FAIL/SKIP runner and bounded HTTP. Nothing here prints a
// secret: callers pass fingerprints (see `fingerprint`).
import { createHash } from "node:crypto";
import { Agent, fetch } from "undici";

/** A check failed: the message is the reason, printed after `FAIL <check>:`. */
export class CheckFailure extends Error {}
/** A check could not run: the message says why, printed after `SKIP <check>:`. */
export class CheckSkipped extends Error {}

/** A short, stable fingerprint: enough to tell tokens apart, useless to an attacker. */
export function fingerprint(secret: string): string {
    return `#${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
}

/** Runs named checks, prints PASS/FAIL/SKIP with the reason, and counts them. */
export class CheckRunner {
    readonly counts = { passed: 0, failed: 0, skipped: 0 };

    constructor(readonly log: (line: string) => void) {}

    /** `body` returns why the check passed, or throws CheckFailure / CheckSkipped. */
    async check(name: string, body: () => Promise<string>): Promise<boolean> {
        try {
            const reason = await body();
            this.counts.passed++;
            this.log(`PASS ${name}: ${reason}`);
            return true;
        } catch (error) {
            if (error instanceof CheckSkipped) {
                this.counts.skipped++;
                this.log(`SKIP ${name}: ${error.message}`);
            } else {
                this.counts.failed++;
                this.log(`FAIL ${name}: ${(error as Error).message}`);
            }
            return false;
        }
    }
}

/**
 * A 2xx answer. fetch gives final answers only (200 to 599, redirects not followed), so every
 * status below 300 is one.
 */
export function isSuccess(status: number): boolean {
    return status < 300;
}

/** A 3xx answer: a browser follows its Location. */
export function isRedirect(status: number): boolean {
    return status >= 300 && status <= 399;
}

/** The answer openid-connect gives a browser without a session: a 302 or 303 to the IdP's authorize endpoint. */
export function sendsToSignIn(response: HttpResponse, authorizeEndpoint: string): boolean {
    return (response.status === 302 || response.status === 303) && response.headers.location?.startsWith(authorizeEndpoint) === true;
}

export interface HttpResponse {
    readonly status: number;
    /** Lower-case names; Set-Cookie is in `setCookies`. */
    readonly headers: Record<string, string>;
    readonly setCookies: string[];
    readonly text: string;
}

export interface RequestInit {
    readonly headers?: Record<string, string>;
    readonly body?: string;
}

/** Upper bound on requests per run, whatever the number of routes or retries. */
const MAX_REQUESTS = 500;

/** Bounded HTTP: a timeout per request, a cap on requests per run, retries only where asked. Never follows redirects. */
export class HttpClient {
    private readonly agent: Agent;
    private made = 0;

    constructor(
        insecure: boolean,
        private readonly timeoutMs: number,
        private readonly attempts: number,
        private readonly sleep: (ms: number) => Promise<void>,
    ) {
        this.agent = new Agent({ connect: { rejectUnauthorized: !insecure }, keepAliveTimeout: 1000 });
    }

    get requests(): number {
        return this.made;
    }

    /** One try: the gateway's answers are what is checked, so they are never retried. */
    async request(method: string, url: string, init: RequestInit = {}): Promise<HttpResponse> {
        if (++this.made > MAX_REQUESTS) {
            throw new CheckFailure(`more than ${MAX_REQUESTS} requests: stopping`);
        }
        try {
            const response = await fetch(url, {
                method,
                headers: init.headers,
                body: init.body,
                redirect: "manual",
                dispatcher: this.agent,
                signal: AbortSignal.timeout(this.timeoutMs),
            });
            const text = await response.text();
            const headers = Object.fromEntries([...response.headers.entries()].filter(([name]) => name !== "set-cookie"));
            return { status: response.status, headers, setCookies: response.headers.getSetCookie(), text };
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            const reason = cause?.code ?? cause?.message ?? (error as Error).message;
            // Origin and path only: a query may carry an authorization code or state.
            throw new CheckFailure(`${method} ${new URL(url).origin}${new URL(url).pathname} failed: ${reason}`);
        }
    }

    /** Requests to Cognito are tried again on network errors and 5xx, a bounded number of times. */
    async requestWithRetry(method: string, url: string, init: RequestInit = {}): Promise<HttpResponse> {
        for (let attempt = 1; ; attempt++) {
            try {
                const response = await this.request(method, url, init);
                if (response.status < 500 || attempt >= this.attempts) {
                    return response;
                }
            } catch (error) {
                if (attempt >= this.attempts) {
                    throw error;
                }
            }
            await this.sleep(200 * attempt);
        }
    }

    close(): Promise<void> {
        return this.agent.close();
    }
}
