// `npm run verify -- <stack>`: the seed's end-to-end checks against a deployed stack. Gets tokens
// from Cognito, calls each route without and with them, watches the proxy-cache headers, and
// exits non-zero when anything fails. Prints PASS/FAIL/SKIP lines; never a secret.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLocalJWKSet, decodeJwt, JSONWebKeySet, jwtVerify } from "jose";
import { Agent, fetch } from "undici";
import { z } from "zod";

const USAGE = "usage: npm run verify -- <stack> [--outputs <file>] [--skip-ttl] [--insecure] [--timeout-ms <ms>]";

/** The stack outputs verify needs (what `pulumi stack output --json --show-secrets` prints). */
const outputsSchema = z.object({
    issuerUrl: z.string(),
    discoveryUrl: z.string(),
    tokenEndpoint: z.string(),
    authorizeEndpoint: z.string(),
    machineClientId: z.string(),
    machineClientSecret: z.string(),
    machineScopes: z.array(z.string()),
    routes: z.array(
        z.object({
            name: z.string(),
            url: z.string(),
            mode: z.string(),
            authMethods: z.array(z.string()),
            cacheTtlSeconds: z.number().optional(),
        }),
    ),
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

/** Upper bound on requests per run, whatever the number of routes or retries. */
const MAX_REQUESTS = 500;

export async function runVerify(options: VerifyOptions): Promise<VerifySummary> {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const timeoutMs = options.timeoutMs ?? 10000;
    const attempts = options.attempts ?? 3;
    const outputs = options.outputs;
    const agent = new Agent({ connect: { rejectUnauthorized: !options.insecure }, keepAliveTimeout: 1000 });
    let requests = 0;
    const counts = { passed: 0, failed: 0, skipped: 0 };

    async function http(
        method: string,
        url: string,
        init: { headers?: Record<string, string>; body?: string } = {},
    ): Promise<HttpResponse> {
        if (++requests > MAX_REQUESTS) {
            throw new CheckFailure(`more than ${MAX_REQUESTS} requests: stopping`);
        }
        try {
            const response = await fetch(url, {
                method,
                headers: init.headers,
                body: init.body,
                redirect: "manual",
                dispatcher: agent,
                signal: AbortSignal.timeout(timeoutMs),
            });
            const text = await response.text();
            return { status: response.status, headers: Object.fromEntries(response.headers.entries()), text };
        } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            const reason = cause?.code ?? cause?.message ?? (error as Error).message;
            throw new CheckFailure(`${method} ${new URL(url).origin}${new URL(url).pathname} failed: ${reason}`);
        }
    }

    /** Requests to Cognito are retried on network errors and 5xx, a bounded number of times. */
    async function httpWithRetry(method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}) {
        let last: unknown;
        for (let attempt = 1; attempt <= attempts; attempt++) {
            try {
                const response = await http(method, url, init);
                if (response.status < 500 || attempt === attempts) {
                    return response;
                }
            } catch (error) {
                last = error;
                if (attempt === attempts) {
                    throw error;
                }
            }
            await sleep(200 * attempt);
        }
        throw last;
    }

    async function check(name: string, body: () => Promise<string>): Promise<void> {
        try {
            const reason = await body();
            counts.passed++;
            log(`PASS ${name}: ${reason}`);
        } catch (error) {
            if (error instanceof CheckSkipped) {
                counts.skipped++;
                log(`SKIP ${name}: ${error.message}`);
            } else {
                counts.failed++;
                log(`FAIL ${name}: ${error instanceof CheckFailure ? error.message : (error as Error).message}`);
            }
        }
    }

    // 1. Discovery
    let jwks: ReturnType<typeof createLocalJWKSet> | undefined;
    await check("discovery", async () => {
        const response = await httpWithRetry("GET", outputs.discoveryUrl);
        if (response.status !== 200) {
            throw new CheckFailure(`${outputs.discoveryUrl} answered ${response.status}`);
        }
        const document = JSON.parse(response.text) as { issuer?: string; jwks_uri?: string };
        if (document.issuer !== outputs.issuerUrl) {
            throw new CheckFailure(`issuer is ${JSON.stringify(document.issuer)}, the stack says ${outputs.issuerUrl}`);
        }
        if (document.jwks_uri) {
            const keys = await httpWithRetry("GET", document.jwks_uri);
            if (keys.status === 200) {
                jwks = createLocalJWKSet(JSON.parse(keys.text) as JSONWebKeySet);
            }
        }
        return `issuer ${document.issuer}`;
    });

    // 2. Tokens from Cognito, as a form post and with HTTP Basic auth.
    const scope = outputs.machineScopes.join(" ");
    const basic = `Basic ${Buffer.from(`${outputs.machineClientId}:${outputs.machineClientSecret}`).toString("base64")}`;
    const tokens: string[] = [];
    const tokenRequests: [string, () => Promise<HttpResponse>][] = [
        [
            "token (form post)",
            () =>
                httpWithRetry("POST", outputs.tokenEndpoint, {
                    headers: { "content-type": "application/x-www-form-urlencoded" },
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
                httpWithRetry("POST", outputs.tokenEndpoint, {
                    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
                    body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
                }),
        ],
    ];
    for (const [name, request] of tokenRequests) {
        await check(name, async () => {
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
    const [tokenA, tokenB] = tokens;
    const needToken = () => {
        if (!tokenA) {
            throw new CheckSkipped("no token from Cognito (see above)");
        }
        return tokenA;
    };

    // 3. Each protected route.
    for (const route of outputs.routes) {
        await check(`${route.name} without a token`, async () => {
            const response = await http("GET", route.url);
            if (route.authMethods.includes("authorization_code") && !route.authMethods.includes("bearer")) {
                const location = response.headers.location ?? "";
                if ((response.status === 302 || response.status === 303) && location.startsWith(outputs.authorizeEndpoint)) {
                    return `${response.status} to the Cognito sign-in`;
                }
                throw new CheckFailure(`answered ${response.status} instead of redirecting to ${outputs.authorizeEndpoint}`);
            }
            if (response.status !== 401) {
                throw new CheckFailure(`answered ${response.status} without a token, expected 401`);
            }
            return "401";
        });
        await check(`${route.name} with a bearer token`, async () => {
            if (!route.authMethods.includes("bearer")) {
                throw new CheckSkipped("the route does not accept bearer tokens");
            }
            const response = await http("GET", route.url, { headers: { authorization: `Bearer ${needToken()}` } });
            if (response.status < 200 || response.status > 299) {
                throw new CheckFailure(`answered ${response.status} with token${fingerprint(tokenA)}`);
            }
            return `${response.status}`;
        });
        await check(`${route.name} with client credentials`, async () => {
            if (!route.authMethods.includes("client_credentials")) {
                throw new CheckSkipped("the route does not accept client credentials");
            }
            const response = await http("GET", route.url, { headers: { authorization: basic } });
            if (response.status < 200 || response.status > 299) {
                throw new CheckFailure(`answered ${response.status} to the machine client's id and secret`);
            }
            return `${response.status}`;
        });

        // 4 and 5. The cache.
        if (route.cacheTtlSeconds === undefined) {
            continue;
        }
        const ttl = route.cacheTtlSeconds;
        const cacheable = () => {
            if (!route.authMethods.includes("bearer")) {
                throw new CheckSkipped("a browser-only route needs a signed-in session: check X-Cache-Status by hand");
            }
            return needToken();
        };
        const probe = (token: string, url: string) => http("GET", url, { headers: { authorization: `Bearer ${token}` } });
        const unique = () => `${route.url}${route.url.includes("?") ? "&" : "?"}kong-cognito-verify=${randomBytes(6).toString("hex")}`;
        await check(`${route.name} cache`, async () => {
            const token = cacheable();
            const url = unique();
            const first = await probe(token, url);
            const second = await probe(token, url);
            const statuses = [first, second].map((r) => r.headers["x-cache-status"] ?? "(none)");
            if (statuses[0] !== "Miss") {
                throw new CheckFailure(`first request X-Cache-Status ${statuses[0]}, expected Miss`);
            }
            if (statuses[1] !== "Hit") {
                throw new CheckFailure(`second request X-Cache-Status ${statuses[1]}, expected Hit`);
            }
            if (second.headers.age === undefined) {
                throw new CheckFailure("the cache hit has no Age header");
            }
            if (options.skipTtl) {
                return `Miss, Hit (Age ${second.headers.age}); TTL wait skipped`;
            }
            await sleep((ttl + 1) * 1000);
            const third = await probe(token, url);
            const after = third.headers["x-cache-status"] ?? "(none)";
            if (after !== "Miss" && after !== "Refresh") {
                throw new CheckFailure(`after the ${ttl} s TTL X-Cache-Status ${after}, expected Miss`);
            }
            return `Miss, Hit (Age ${second.headers.age}), ${after} after ${ttl + 1} s`;
        });
        await check(`${route.name} cache per token`, async () => {
            const token = cacheable();
            if (!tokenB || tokenB === token) {
                throw new CheckSkipped("could not get a second, different token");
            }
            const url = unique();
            await probe(token, url);
            const again = await probe(token, url);
            const other = await probe(tokenB, url);
            if ((again.headers["x-cache-status"] ?? "") !== "Hit") {
                throw new CheckSkipped("nothing cached to compare against (see the cache check)");
            }
            if (other.headers["x-cache-status"] === "Hit") {
                throw new CheckFailure(
                    `the response cached for token${fingerprint(token)} was served to token${fingerprint(tokenB)}: vary the cache key by Authorization`,
                );
            }
            return `token${fingerprint(tokenB)} got its own entry (${other.headers["x-cache-status"] ?? "no cache header"})`;
        });
    }

    await agent.close();
    log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    return { ...counts, requests };
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

async function main(argv: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            outputs: { type: "string" },
            "skip-ttl": { type: "boolean" },
            insecure: { type: "boolean" },
            "timeout-ms": { type: "string" },
        },
    });
    if (positionals.length !== 1) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
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
    const timeoutMs = values["timeout-ms"] === undefined ? undefined : Number(values["timeout-ms"]);
    const summary = await runVerify({ outputs, skipTtl: values["skip-ttl"], insecure: values.insecure, timeoutMs });
    return summary.failed === 0 ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error) => {
            process.stderr.write(`verify failed: ${(error as Error).message}\n`);
            process.exit(2);
        },
    );
}
