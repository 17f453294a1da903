// `npm run verify -- <stack>`: the seed's end-to-end checks against a deployed stack. Gets tokens
// from Cognito, calls each route without and with them, watches the proxy-cache headers, and
// exits non-zero when anything fails. Prints PASS/FAIL/SKIP lines; never a secret.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { Agent, fetch } from "undici";
import { z } from "zod";
import { parseCommandLine, runCommand, UsageError } from "./cli";
import { RouteOutput, stackOutputsSchema } from "../stacks/outputs";

const USAGE = `usage: npm run verify -- <stack> [--outputs <file>] [--skip-ttl] [--insecure] [--timeout-ms <ms>]

Checks a deployed stack end to end: discovery, client_credentials tokens, each route without a
token, with one, and with one signed by another key, and each cached route's X-Cache-Status
sequence; on Kong OSS, also that Kong trusts the keys the user pool publishes now. Run it after
every deploy: the requests without a token are the only proof a route is closed (KIC publishes a
route even when it cannot build its auth plugin). Exit status: 0 all passed, 1 a check failed,
2 the outputs could not be read.

  --outputs <file>   stack outputs as \`pulumi stack output --json --show-secrets\` prints them
                     (default: ask the Pulumi CLI for the stack's outputs)
  --skip-ttl         do not wait out the cache TTL
  --insecure         do not verify TLS certificates (a test gateway only)
  --timeout-ms <ms>  per-request timeout (default 10000)
  -h, --help         this text`;

/** The stack outputs verify reads: a part of the stack's one declaration (stacks/outputs.ts). */
const outputsSchema = stackOutputsSchema.pick({
    issuerUrl: true,
    discoveryUrl: true,
    tokenEndpoint: true,
    authorizeEndpoint: true,
    machineClientId: true,
    machineClientSecret: true,
    machineScopes: true,
    routes: true,
    jwtKeyIds: true,
});
export type VerifyOutputs = z.infer<typeof outputsSchema>;

export interface VerifyOptions {
    readonly outputs: VerifyOutputs;
    /** Do not wait out the cache TTL. */
    readonly skipTtl?: boolean;
    /** Do not verify TLS certificates. */
    readonly insecure?: boolean;
    /** Per-request timeout. @default 10000 */
    readonly timeoutMs?: number;
    /** Attempts for requests to Cognito (network errors and 5xx). @default 3 */
    readonly attempts?: number;
    /** Where lines go. @default stdout */
    readonly log?: (line: string) => void;
    /** Waits; tests may shorten it. */
    readonly sleep?: (ms: number) => Promise<void>;
}

export interface VerifySummary {
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    /** Requests made, to show they stay bounded. */
    readonly requests: number;
}

/** Parses and checks a stack-output document; throws naming what is missing. */
export function parseOutputs(json: unknown): VerifyOutputs {
    const parsed = outputsSchema.safeParse(json);
    if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
        throw new Error(`stack outputs are not what verify needs (${problems})`);
    }
    return parsed.data;
}

/** A short, stable fingerprint: enough to tell tokens apart, useless to an attacker. */
export function fingerprint(secret: string): string {
    return `#${createHash("sha256").update(secret).digest("hex").slice(0, 8)}`;
}

class CheckFailure extends Error {}
class CheckSkipped extends Error {}

interface HttpResponse {
    status: number;
    headers: Record<string, string>;
    text: string;
}

type RequestInit = { headers?: Record<string, string>; body?: string };

/** Upper bound on requests per run, whatever the number of routes or retries. */
const MAX_REQUESTS = 500;

/** Bounded HTTP: a timeout per request, a cap on requests per run, retries only where asked. */
class HttpClient {
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
            return { status: response.status, headers: Object.fromEntries(response.headers.entries()), text };
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            const reason = cause?.code ?? cause?.message ?? (error as Error).message;
            throw new CheckFailure(`${method} ${new URL(url).origin}${new URL(url).pathname} failed: ${reason}`);
        }
    }

    /** Requests to Cognito are tried again on network errors and 5xx, a bounded number of times. */
    async requestWithRetry(method: string, url: string, init: RequestInit = {}): Promise<HttpResponse> {
        let last: unknown;
        for (let attempt = 1; attempt <= this.attempts; attempt++) {
            try {
                const response = await this.request(method, url, init);
                if (response.status < 500 || attempt === this.attempts) {
                    return response;
                }
            } catch (error) {
                last = error;
                if (attempt === this.attempts) {
                    throw error;
                }
            }
            await this.sleep(200 * attempt);
        }
        throw last;
    }

    close(): Promise<void> {
        return this.agent.close();
    }
}

/** Runs named checks, prints PASS/FAIL/SKIP with the reason, and counts them. */
class CheckRunner {
    readonly counts = { passed: 0, failed: 0, skipped: 0 };

    constructor(private readonly log: (line: string) => void) {}

    /** `body` returns why the check passed, or throws CheckFailure / CheckSkipped. */
    async check(name: string, body: () => Promise<string>): Promise<void> {
        try {
            const reason = await body();
            this.counts.passed++;
            this.log(`PASS ${name}: ${reason}`);
        } catch (error) {
            if (error instanceof CheckSkipped) {
                this.counts.skipped++;
                this.log(`SKIP ${name}: ${error.message}`);
            } else {
                this.counts.failed++;
                this.log(`FAIL ${name}: ${(error as Error).message}`);
            }
        }
    }
}

/** What every check group works with. */
interface Context {
    readonly outputs: VerifyOutputs;
    readonly http: HttpClient;
    readonly checks: CheckRunner;
    readonly options: VerifyOptions;
    readonly sleep: (ms: number) => Promise<void>;
}

/** The machine client's tokens from Cognito, and its credentials as HTTP Basic auth. */
interface Tokens {
    readonly basic: string;
    readonly first?: string;
    readonly second?: string;
}

type Jwks = ReturnType<typeof createLocalJWKSet>;

/** The pool's published keys: to verify tokens with, and their ids. */
interface PoolKeys {
    readonly jwks: Jwks;
    readonly keyIds: string[];
}

/** 1. The discovery document answers and names the stack's issuer; returns the pool's keys. */
async function checkDiscovery({ outputs, http, checks }: Context): Promise<PoolKeys | undefined> {
    let keys: PoolKeys | undefined;
    await checks.check("discovery", async () => {
        const response = await http.requestWithRetry("GET", outputs.discoveryUrl);
        if (response.status !== 200) {
            throw new CheckFailure(`${outputs.discoveryUrl} answered ${response.status}`);
        }
        const document = JSON.parse(response.text) as { issuer?: string; jwks_uri?: string };
        if (document.issuer !== outputs.issuerUrl) {
            throw new CheckFailure(`issuer is ${JSON.stringify(document.issuer)}, the stack says ${outputs.issuerUrl}`);
        }
        if (document.jwks_uri) {
            const published = await http.requestWithRetry("GET", document.jwks_uri);
            if (response.status === 200 && published.status === 200) {
                const set = JSON.parse(published.text) as JSONWebKeySet;
                const keyIds = set.keys.filter((k) => k.kty === "RSA" && (k.use ?? "sig") === "sig").flatMap((k) => (k.kid ? [k.kid] : []));
                keys = { jwks: createLocalJWKSet(set), keyIds };
            }
        }
        return `issuer ${document.issuer}`;
    });
    return keys;
}

/** 1b. Kong OSS: Kong trusts the keys the pool publishes now (a rotation needs `pulumi up --refresh`). */
async function checkTrustedKeys({ outputs, checks }: Context, keys: PoolKeys | undefined): Promise<void> {
    const trusted = outputs.jwtKeyIds;
    if (trusted === undefined) {
        return;
    }
    await checks.check("signing keys", async () => {
        if (!keys) {
            throw new CheckSkipped("the pool's keys could not be read (see discovery)");
        }
        const missing = keys.keyIds.filter((kid) => !trusted.includes(kid));
        const stale = trusted.filter((kid) => !keys.keyIds.includes(kid));
        if (missing.length > 0 || stale.length > 0) {
            throw new CheckFailure(
                `the pool publishes ${missing.length} key(s) Kong does not trust and Kong trusts ${stale.length} it no longer ` +
                    "publishes: tokens signed with a new key get 401 until `pulumi up --refresh` reads the JWKS again",
            );
        }
        return `Kong trusts the ${trusted.length} key(s) the pool publishes`;
    });
}

/** 2. client_credentials tokens, as a form post and with HTTP Basic auth, signed by the pool and scoped. */
async function checkTokens({ outputs, http, checks }: Context, keys: PoolKeys | undefined): Promise<Tokens> {
    const jwks = keys?.jwks;
    const scope = outputs.machineScopes.join(" ");
    const basic = `Basic ${Buffer.from(`${outputs.machineClientId}:${outputs.machineClientSecret}`).toString("base64")}`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const requests: [string, () => Promise<HttpResponse>][] = [
        [
            "token (form post)",
            () =>
                http.requestWithRetry("POST", outputs.tokenEndpoint, {
                    headers: form,
                    body: new URLSearchParams({
                        grant_type: "client_credentials",
                        client_id: outputs.machineClientId,
                        client_secret: outputs.machineClientSecret,
                        scope,
                    }).toString(),
                }),
        ],
        [
            "token (HTTP Basic)",
            () =>
                http.requestWithRetry("POST", outputs.tokenEndpoint, {
                    headers: { ...form, authorization: basic },
                    body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
                }),
        ],
    ];
    const tokens: string[] = [];
    for (const [name, request] of requests) {
        await checks.check(name, async () => {
            const response = await request();
            if (response.status !== 200) {
                throw new CheckFailure(`token endpoint answered ${response.status}`);
            }
            const token = (JSON.parse(response.text) as { access_token?: string }).access_token;
            if (!token) {
                throw new CheckFailure("no access_token in the answer");
            }
            const claims = jwks ? (await jwtVerify(token, jwks, { issuer: outputs.issuerUrl })).payload : decodeJwt(token);
            const granted = String(claims.scope ?? "").split(" ");
            const missing = outputs.machineScopes.filter((s) => !granted.includes(s));
            if (missing.length > 0) {
                throw new CheckFailure(`token${fingerprint(token)} lacks scope ${missing.join(", ")}`);
            }
            tokens.push(token);
            return `token${fingerprint(token)} with scope ${granted.join(" ")}${jwks ? ", signature and issuer verified" : ""}`;
        });
    }
    return { basic, first: tokens[0], second: tokens[1] };
}

function needToken(tokens: Tokens): string {
    if (!tokens.first) {
        throw new CheckSkipped("no token from Cognito (see above)");
    }
    return tokens.first;
}

/** 3. A route refuses (or redirects) requests without a token and answers those with one. */
async function checkRouteAuth({ outputs, http, checks }: Context, route: RouteOutput, tokens: Tokens): Promise<void> {
    await checks.check(`${route.name} without a token`, async () => {
        const response = await http.request("GET", route.url);
        if (route.authMethods.includes("authorization_code") && !route.authMethods.includes("bearer")) {
            const location = response.headers.location ?? "";
            if ((response.status === 302 || response.status === 303) && location.startsWith(outputs.authorizeEndpoint)) {
                return `${response.status} to the Cognito sign-in`;
            }
            throw new CheckFailure(`answered ${response.status} instead of redirecting to ${outputs.authorizeEndpoint}`);
        }
        if (response.status !== 401) {
            // The one proof a route is closed: KIC publishes a route even when it cannot build its auth plugin.
            const open = response.status < 300 ? " (the route is OPEN: check the KongPlugin's events and KIC's log)" : "";
            throw new CheckFailure(`answered ${response.status} without a token, expected 401${open}`);
        }
        return "401";
    });
    await checks.check(`${route.name} with a bearer token`, async () => {
        if (!route.authMethods.includes("bearer")) {
            throw new CheckSkipped("the route does not accept bearer tokens");
        }
        const token = needToken(tokens);
        const response = await http.request("GET", route.url, { headers: { authorization: `Bearer ${token}` } });
        if (response.status < 200 || response.status > 299) {
            throw new CheckFailure(`answered ${response.status} with token${fingerprint(token)}`);
        }
        return `${response.status}`;
    });
    await checks.check(`${route.name} with a token signed by another key`, async () => {
        if (!route.authMethods.includes("bearer")) {
            throw new CheckSkipped("the route does not accept bearer tokens");
        }
        const forged = await forge(needToken(tokens));
        const response = await http.request("GET", route.url, { headers: { authorization: `Bearer ${forged}` } });
        if (response.status === 401 || response.status === 403) {
            return `${response.status}`;
        }
        const open = response.status < 300 ? " (the gateway does not verify token signatures)" : "";
        throw new CheckFailure(`answered ${response.status} to the pool's token re-signed by another key, expected 401 or 403${open}`);
    });
    await checks.check(`${route.name} with client credentials`, async () => {
        if (!route.authMethods.includes("client_credentials")) {
            throw new CheckSkipped("the route does not accept client credentials");
        }
        const response = await http.request("GET", route.url, { headers: { authorization: tokens.basic } });
        if (response.status < 200 || response.status > 299) {
            throw new CheckFailure(`answered ${response.status} to the machine client's id and secret`);
        }
        return `${response.status}`;
    });
}

/** The same header (kid included) and claims, signed by a key of nobody's: what an attacker can make. */
async function forge(token: string): Promise<string> {
    const { privateKey } = await generateKeyPair("RS256");
    return new SignJWT(decodeJwt(token)).setProtectedHeader(decodeProtectedHeader(token) as { alg: string }).sign(privateKey);
}

/** 4 and 5. A cached route: Miss, Hit with Age, Miss after the TTL; one token's entry never served to another. */
async function checkRouteCache({ http, checks, options, sleep }: Context, route: RouteOutput, ttl: number, tokens: Tokens): Promise<void> {
    const cacheable = () => {
        if (!route.authMethods.includes("bearer")) {
            throw new CheckSkipped("a browser-only route needs a signed-in session: check X-Cache-Status by hand");
        }
        return needToken(tokens);
    };
    const probe = (token: string, url: string) => http.request("GET", url, { headers: { authorization: `Bearer ${token}` } });
    const unique = () => `${route.url}${route.url.includes("?") ? "&" : "?"}kong-cognito-verify=${randomBytes(6).toString("hex")}`;
    const status = (response: HttpResponse) => response.headers["x-cache-status"] ?? "(none)";
    await checks.check(`${route.name} cache`, async () => {
        const token = cacheable();
        const url = unique();
        const first = await probe(token, url);
        const second = await probe(token, url);
        if (status(first) !== "Miss") {
            throw new CheckFailure(`first request X-Cache-Status ${status(first)}, expected Miss`);
        }
        if (status(second) !== "Hit") {
            throw new CheckFailure(`second request X-Cache-Status ${status(second)}, expected Hit`);
        }
        if (second.headers.age === undefined) {
            throw new CheckFailure("the cache hit has no Age header");
        }
        if (options.skipTtl) {
            return `Miss, Hit (Age ${second.headers.age}); TTL wait skipped`;
        }
        await sleep((ttl + 1) * 1000);
        const after = status(await probe(token, url));
        if (after !== "Miss" && after !== "Refresh") {
            throw new CheckFailure(`after the ${ttl} s TTL X-Cache-Status ${after}, expected Miss`);
        }
        return `Miss, Hit (Age ${second.headers.age}), ${after} after ${ttl + 1} s`;
    });
    await checks.check(`${route.name} cache per token`, async () => {
        const token = cacheable();
        const other = tokens.second;
        if (!other || other === token) {
            throw new CheckSkipped("could not get a second, different token");
        }
        const url = unique();
        await probe(token, url);
        const again = await probe(token, url);
        const theirs = await probe(other, url);
        if ((again.headers["x-cache-status"] ?? "") !== "Hit") {
            throw new CheckSkipped("nothing cached to compare against (see the cache check)");
        }
        if (theirs.headers["x-cache-status"] === "Hit") {
            throw new CheckFailure(
                `the response cached for token${fingerprint(token)} was served to token${fingerprint(other)}: vary the cache key by Authorization`,
            );
        }
        return `token${fingerprint(other)} got its own entry (${theirs.headers["x-cache-status"] ?? "no cache header"})`;
    });
}

export async function runVerify(options: VerifyOptions): Promise<VerifySummary> {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const http = new HttpClient(options.insecure ?? false, options.timeoutMs ?? 10000, options.attempts ?? 3, sleep);
    const checks = new CheckRunner(log);
    const context: Context = { outputs: options.outputs, http, checks, options, sleep };
    try {
        const keys = await checkDiscovery(context);
        await checkTrustedKeys(context, keys);
        const tokens = await checkTokens(context, keys);
        for (const route of options.outputs.routes) {
            log(`route ${route.name}: ${route.url} -> ${route.upstream}`);
            if (route.tokenChecks) {
                log(`route ${route.name}: Kong OSS jwt plugin; does not check ${route.tokenChecks.notChecked.join("; ")}`);
            }
            await checkRouteAuth(context, route, tokens);
            if (route.cacheTtlSeconds !== undefined) {
                await checkRouteCache(context, route, route.cacheTtlSeconds, tokens);
            }
        }
    } finally {
        await http.close();
    }
    const { passed, failed, skipped } = checks.counts;
    log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
    return { ...checks.counts, requests: http.requests };
}

/** Reads the stack's outputs with the Pulumi CLI. */
function readOutputsWithPulumi(stack: string): unknown {
    const child = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], {
        encoding: "utf8",
        timeout: 60000,
    });
    if (child.error) {
        throw new Error(`cannot run the Pulumi CLI (${(child.error as NodeJS.ErrnoException).code}); pass --outputs <file> instead`);
    }
    if (child.status !== 0) {
        throw new Error(`pulumi stack output failed: ${child.stderr.trim()}`);
    }
    return JSON.parse(child.stdout);
}

const COMMAND = {
    name: "verify",
    usage: USAGE,
    options: {
        outputs: { type: "string" },
        "skip-ttl": { type: "boolean" },
        insecure: { type: "boolean" },
        "timeout-ms": { type: "string" },
    },
    positionals: { min: 1, max: 1 },
} as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const { values, positionals } = parsed;
    const timeoutMs = values["timeout-ms"] === undefined ? undefined : Number(values["timeout-ms"]);
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
        throw new UsageError(`--timeout-ms ${values["timeout-ms"]}: must be a positive whole number of milliseconds`);
    }
    let outputs: VerifyOutputs;
    try {
        const json = values.outputs ? JSON.parse(readFileSync(values.outputs, "utf8")) : readOutputsWithPulumi(positionals[0]);
        outputs = parseOutputs(json);
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
    if (values.insecure) {
        process.stderr.write("WARNING: --insecure: TLS certificates are not verified. Use it only against a test gateway.\n");
    }
    const summary = await runVerify({ outputs, skipTtl: values["skip-ttl"], insecure: values.insecure, timeoutMs });
    return summary.failed === 0 ? 0 : 1;
}

if (require.main === module) {
    // An error of verify itself (not a failed check) means the stack could not be checked: 2.
    runCommand(COMMAND, () => main(process.argv.slice(2)), 2);
}
