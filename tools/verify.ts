// `npm run verify -- <stack>`: the seed's end-to-end checks against a deployed stack. Gets tokens
// from Cognito, calls each route without and with them, signs temporary users in on browser
// routes (--sign-in), watches the proxy-cache headers, and exits non-zero when anything fails.
// Prints PASS/FAIL/SKIP lines; never a secret.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { deployedBackendUrl } from "./backend";
import { Browser, fillLoginForm, signInThroughHostedUi, where } from "./browser";
import { CheckFailure, CheckRunner, CheckSkipped, fingerprint, HttpClient, HttpResponse } from "./checks";
import { parseCommandLine, runCommand, UsageError } from "./cli";
import { PROJECT_DIR } from "./stackFiles";
import { awsErrorLine, CognitoUsers, regionOfIssuer, TemporaryUser, TemporaryUsers } from "./cognitoUsers";
import { RouteOutput, stackOutputsSchema } from "../stacks/outputs";

const USAGE = `usage: npm run verify -- <stack> [--sign-in | --session-cookie <cookie>...] [--outputs <file>] [--skip-ttl]
                                [--insecure] [--timeout-ms <ms>] [--aws-profile <name>]

Checks a deployed stack end to end: discovery, client_credentials tokens, each route without a
token, with one, and with one signed by another key, and each cached route's X-Cache-Status
sequence; on Kong OSS, also that Kong trusts the keys the user pool publishes now. Run it after
every deploy: the requests without a token are the only proof a route is closed (KIC publishes a
route even when it cannot build its auth plugin). \`npm run deploy\` runs it after \`pulumi up\`.

Browser routes (sign-in through the hosted UI) are checked with a session:
  --sign-in          create two temporary users in the stack's user pool (Cognito admin API, the
                     AWS credentials of the usual chain; needs cognito-idp:AdminCreateUser,
                     AdminSetUserPassword and AdminDeleteUser), sign each in through the hosted UI
                     as a browser does, and check: 302 to the sign-in without a session, 200 with
                     one, X-Cache-Status Miss, Hit, then Miss after the TTL, the second user never
                     served the first user's cached response, and logout (followed through
                     Cognito's /logout to the signed-out URL) ending the session, after which the
                     hosted UI asks for credentials again; and, where browser routes share a host,
                     one browser signed in on all of them keeping each session. The users are
                     deleted at the end, also when a check fails.
  --session-cookie <cookie>
                     instead of --sign-in: the Cookie header a signed-in browser sends to the route
                     (devtools, Network, the request's Cookie), or @file to read it from a file.
                     Give it twice (two people) for the per-user cache check. Never printed.
  --aws-profile <name>
                     the AWS profile for --sign-in (default: AWS_PROFILE, then the default chain)

  --outputs <file>   stack outputs as \`pulumi stack output --json --show-secrets\` prints them
                     (default: ask the Pulumi CLI, on PULUMI_BACKEND_URL or else the project's
                     .pulumi-state/ that \`npm run deploy\` made, or else the CLI's login)
  --skip-ttl         do not wait out the cache TTL
  --insecure         do not verify TLS certificates (a test gateway only)
  --timeout-ms <ms>  per-request timeout (default 10000)
  -h, --help         this text

Exit status: 0 all passed, 1 a check failed, 2 the outputs could not be read.`;

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
    userPoolId: true,
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
    /** Browser routes: sign in through the hosted UI as two temporary users made with these (`--sign-in`). */
    readonly users?: TemporaryUsers;
    /** Browser routes: `Cookie` header values from signed-in browsers, one per user (`--session-cookie`). Secret. */
    readonly sessionCookies?: readonly string[];
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

export { fingerprint };

/** What every check group works with. */
interface Context {
    readonly outputs: VerifyOutputs;
    readonly http: HttpClient;
    readonly checks: CheckRunner;
    readonly options: VerifyOptions;
    readonly sleep: (ms: number) => Promise<void>;
    readonly log: (line: string) => void;
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

/** A browser-only route: people sign in through the hosted UI and keep a session cookie; no tokens. */
function isBrowserOnly(route: RouteOutput): boolean {
    return route.authMethods.includes("authorization_code") && !route.authMethods.includes("bearer");
}

/** 3. A route refuses (or redirects) requests without a token and answers those with one. */
async function checkRouteAuth({ outputs, http, checks }: Context, route: RouteOutput, tokens: Tokens): Promise<void> {
    const browserOnly = isBrowserOnly(route);
    await checks.check(`${route.name} without a ${browserOnly ? "session" : "token"}`, async () => {
        const response = await http.request("GET", route.url);
        if (browserOnly) {
            const location = response.headers.location ?? "";
            if ((response.status === 302 || response.status === 303) && location.startsWith(outputs.authorizeEndpoint)) {
                return `${response.status} to the Cognito sign-in`;
            }
            const open = response.status < 300 ? " (the route is OPEN: check the KongPlugin's events and KIC's log)" : "";
            throw new CheckFailure(`answered ${response.status} instead of redirecting to ${outputs.authorizeEndpoint}${open}`);
        }
        if (response.status !== 401) {
            // The one proof a route is closed: KIC publishes a route even when it cannot build its auth plugin.
            const open = response.status < 300 ? " (the route is OPEN: check the KongPlugin's events and KIC's log)" : "";
            throw new CheckFailure(`answered ${response.status} without a token, expected 401${open}`);
        }
        return "401";
    });
    if (!route.authMethods.includes("bearer") && !route.authMethods.includes("client_credentials")) {
        return;
    }
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

/** Someone calling a route: a machine client with its token, or a person with a session. */
interface Caller {
    /** How lines name it: `token#1a2b3c4d` or a user name; never a secret. */
    readonly label: string;
    get(url: string): Promise<HttpResponse>;
}

/** The callers of a route and why there may be no second one, or why there are none (the reasons checks are skipped). */
type Callers = { readonly callers: Caller[]; readonly noSecond: string } | { readonly none: string };

function tokenCallers(http: HttpClient, tokens: Tokens): Callers {
    if (!tokens.first) {
        return { none: "no token from Cognito (see above)" };
    }
    const caller = (token: string): Caller => ({
        label: `token${fingerprint(token)}`,
        get: (url) => http.request("GET", url, { headers: { authorization: `Bearer ${token}` } }),
    });
    return {
        callers: [tokens.first, tokens.second].filter((t): t is string => t !== undefined).map(caller),
        noSecond: "could not get a second, different token",
    };
}

/** 4 and 5. A cached route: Miss, Hit with Age, Miss after the TTL; one caller's entry never served to another. */
async function checkRouteCache(
    { checks, options, sleep }: Context,
    route: RouteOutput,
    ttl: number,
    found: Callers,
    per: "token" | "user",
): Promise<void> {
    const need = (index: 0 | 1): Caller => {
        if ("none" in found) {
            throw new CheckSkipped(found.none);
        }
        const caller = found.callers[index];
        if (!caller) {
            throw new CheckSkipped(found.noSecond);
        }
        return caller;
    };
    const unique = () => `${route.url}${route.url.includes("?") ? "&" : "?"}kong-cognito-verify=${randomBytes(6).toString("hex")}`;
    const status = (response: HttpResponse) => response.headers["x-cache-status"] ?? "(none)";
    await checks.check(`${route.name} cache`, async () => {
        const caller = need(0);
        const url = unique();
        const first = await caller.get(url);
        const second = await caller.get(url);
        if (first.status < 200 || first.status > 299) {
            throw new CheckFailure(`first request answered ${first.status} for ${caller.label}`);
        }
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
        const after = status(await caller.get(url));
        if (after !== "Miss" && after !== "Refresh") {
            throw new CheckFailure(`after the ${ttl} s TTL X-Cache-Status ${after}, expected Miss`);
        }
        return `Miss, Hit (Age ${second.headers.age}), ${after} after ${ttl + 1} s`;
    });
    await checks.check(`${route.name} cache per ${per}`, async () => {
        const caller = need(0);
        const other = need(1);
        if (other.label === caller.label) {
            throw new CheckSkipped(`could not get a second, different ${per}`);
        }
        const url = unique();
        await caller.get(url);
        const again = await caller.get(url);
        const theirs = await other.get(url);
        if ((again.headers["x-cache-status"] ?? "") !== "Hit") {
            throw new CheckSkipped("nothing cached to compare against (see the cache check)");
        }
        if (theirs.headers["x-cache-status"] === "Hit") {
            const why = per === "user" ? " (openid-connect passes each session's access token upstream in it)" : "";
            throw new CheckFailure(
                `the response cached for ${caller.label} was served to ${other.label}: vary the cache key by Authorization${why}`,
            );
        }
        return `${other.label} got its own entry (${theirs.headers["x-cache-status"] ?? "no cache header"})`;
    });
}

/** The run's temporary users: made on first use, deleted at the end, whatever happened. */
class People {
    /** Every user made so far; undefined until the first try. */
    private made: TemporaryUser[] | undefined;

    constructor(
        private readonly users: TemporaryUsers,
        private readonly checks: CheckRunner,
    ) {}

    /** Two users, or undefined when they could not be made (a FAIL line says why). */
    async get(): Promise<TemporaryUser[] | undefined> {
        if (this.made === undefined) {
            const made: TemporaryUser[] = [];
            this.made = made;
            const ok = await this.checks.check("temporary users", async () => {
                try {
                    made.push(await this.users.create(), await this.users.create());
                } catch (error) {
                    throw new CheckFailure(`could not create a user in ${this.users.description}: ${awsErrorLine(error)}`);
                }
                return `created ${made.map((u) => u.username).join(" and ")} in ${this.users.description}`;
            });
            if (!ok && made.length > 0) {
                this.checks.log(`note: ${made[0].username} was made before the failure; it is deleted at the end`);
            }
        }
        return this.made.length === 2 ? this.made : undefined;
    }

    /** Deletes every user made, even after a failure; a user left behind is a FAIL naming it. */
    async cleanUp(): Promise<void> {
        const made = this.made ?? [];
        try {
            if (made.length === 0) {
                return;
            }
            await this.checks.check("temporary users deleted", async () => {
                const left: string[] = [];
                for (const user of made) {
                    await this.users
                        .delete(user.username)
                        .catch((error: unknown) => left.push(`${user.username} (${awsErrorLine(error)})`));
                }
                if (left.length > 0) {
                    throw new CheckFailure(
                        `could not delete ${left.join(", ")}: delete by hand with \`aws cognito-idp admin-delete-user\``,
                    );
                }
                return `deleted ${made.map((u) => u.username).join(" and ")}`;
            });
        } finally {
            this.users.close();
        }
    }
}

/** A person with a session on one route: a browser that signed in there, or one holding a given cookie. */
interface Session extends Caller {
    readonly browser: Browser;
    /** Verify made this session: logging it out ends nobody's real one. */
    readonly ours: boolean;
}

/** The sessions on a browser route: sign-ins of the temporary users, or the given cookies. */
async function sessionsFor(context: Context, route: RouteOutput, people: People | undefined): Promise<Session[] | { none: string }> {
    const { http, checks, options, outputs } = context;
    const session = (browser: Browser, label: string, ours: boolean): Session => ({
        browser,
        label,
        ours,
        get: (url) => browser.request("GET", url),
    });
    if (options.sessionCookies && options.sessionCookies.length > 0) {
        return options.sessionCookies.map((cookie, i) => {
            const browser = new Browser(http);
            browser.addCookies(cookie, route.url);
            return session(browser, `session ${i + 1} (--session-cookie, ${fingerprint(cookie)})`, false);
        });
    }
    if (!people) {
        return { none: "needs a signed-in session: pass --sign-in (temporary users) or --session-cookie" };
    }
    const users = await people.get();
    if (!users) {
        return { none: "no temporary users (see above)" };
    }
    const sessions: Session[] = [];
    for (const [i, user] of users.entries()) {
        const browser = new Browser(http);
        await checks.check(`${route.name} sign-in (user ${i + 1})`, async () => {
            const signIn = await signInThroughHostedUi(browser, route.url, outputs.authorizeEndpoint, user);
            const { status, headers } = signIn.response;
            if (status < 200 || status > 299) {
                const location = headers.location ? ` to ${where(new URL(headers.location, signIn.url).toString())}` : "";
                const loop = location.includes(new URL(outputs.authorizeEndpoint).origin)
                    ? ": the gateway sent the browser to the sign-in again (session cookie not kept, or session_secret differs between Kong nodes)"
                    : "";
                throw new CheckFailure(`after the callback the gateway answered ${status}${location}${loop}`);
            }
            sessions.push(session(browser, user.username, true));
            const cookies = browser.cookiesOf(route.url).map((c) => `${c.key}${fingerprint(c.value)}`);
            const path = signIn.chain.map((url) => new URL(url).pathname).join(" → ");
            return `${user.username}: ${path}, ${status}; gateway cookies ${cookies.join(", ") || "(none)"}`;
        });
    }
    return sessions;
}

/** 6. A browser route with sessions: 200 with one, the cache sequence per user, and logout. */
async function checkBrowserRoute(context: Context, route: RouteOutput, people: People | undefined): Promise<void> {
    const { checks, outputs, log } = context;
    const found = await sessionsFor(context, route, people);
    const sessions = "none" in found ? [] : found;
    const noSession = "none" in found ? found.none : "no session (see the sign-in above)";
    const first = () => {
        if (sessions.length === 0) {
            throw new CheckSkipped(noSession);
        }
        return sessions[0];
    };
    await checks.check(`${route.name} with a session`, async () => {
        const session = first();
        const response = await session.get(route.url);
        if (response.status < 200 || response.status > 299) {
            const again = (response.headers.location ?? "").startsWith(outputs.authorizeEndpoint)
                ? " (sent to the sign-in: the session is not accepted)"
                : "";
            throw new CheckFailure(`answered ${response.status} with ${session.label}'s session${again}`);
        }
        return `${response.status} for ${session.label}`;
    });
    if (route.cacheTtlSeconds !== undefined) {
        const ours = sessions.some((s) => s.ours);
        const callers: Callers =
            sessions.length > 0
                ? {
                      callers: sessions,
                      noSecond: ours
                          ? "needs a second signed-in user (see the sign-ins above)"
                          : "needs a second --session-cookie (another person's)",
                  }
                : { none: noSession };
        await checkRouteCache(context, route, route.cacheTtlSeconds, callers, "user");
    }
    if (route.logoutUrl === undefined) {
        return;
    }
    const logoutUrl = route.logoutUrl;
    const idpOrigin = new URL(outputs.authorizeEndpoint).origin;
    const loggedOut = await checks.check(`${route.name} logout`, async () => {
        const session = first();
        if (!session.ours) {
            throw new CheckSkipped("does not end a browser's session that verify did not make");
        }
        const before = session.browser.cookiesOf(route.url);
        // The whole chain, as a browser follows it: the gateway, Cognito's /logout, the signed-out
        // page; not into a new sign-in (the next check looks at that).
        const method = logoutMethodOf(route);
        const form = method === "POST" ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" } : {};
        const chain = await session.browser.navigate(logoutUrl, { method, ...form }, (next) => next.startsWith(outputs.authorizeEndpoint));
        const path = `${method} ${chain.chain.map((url) => new URL(url).pathname).join(" → ")}`;
        if (chain.chain.length === 1 && chain.response.status >= 400) {
            throw new CheckFailure(`${method} ${where(logoutUrl)} answered ${chain.response.status}`);
        }
        const signedOutUrl = route.signedOutUrl;
        if (signedOutUrl !== undefined && !chain.chain.some((url) => sameUrl(url, signedOutUrl))) {
            throw new CheckFailure(
                `the logout (${path}) ended with ${chain.response.status} at ${where(chain.url)}, not at the signed-out URL ` +
                    `${signedOutUrl}${idpLogoutHint(chain.chain, idpOrigin, signedOutUrl)}`,
            );
        }
        if (chain.response.status >= 400) {
            throw new CheckFailure(`the signed-out page ${where(chain.url)} answered ${chain.response.status} (${path})`);
        }
        const after = await session.get(route.url);
        const location = after.headers.location ?? "";
        if (!((after.status === 302 || after.status === 303) && location.startsWith(outputs.authorizeEndpoint))) {
            throw new CheckFailure(
                `after the logout the route answered ${after.status} for ${session.label}, expected a redirect to the sign-in`,
            );
        }
        // A copy of the old cookie: with cookie storage the session lives in the cookie itself.
        const replay = new Browser(context.http);
        replay.addCookies(before.map((c) => `${c.key}=${c.value}`).join("; "), route.url);
        const replayed = await replay.request("GET", route.url);
        if (replayed.status >= 200 && replayed.status < 300) {
            log(
                `note ${route.name}: a copy of the session cookie taken before the logout still opens the route until the session times out ` +
                    "(session_storage cookie keeps the session in the cookie; with redis storage the logout ends it on the server)",
            );
        }
        return `${path} (${chain.response.status}); the route then sends ${session.label} to the sign-in`;
    });
    await checks.check(`${route.name} logout ends the Cognito session`, async () => {
        if (!loggedOut) {
            throw new CheckSkipped("needs the logout above");
        }
        const session = first();
        // The route sends the browser to the sign-in; the hosted UI must ask for credentials again.
        const opened = await session.get(route.url);
        const authorize = new URL(opened.headers.location ?? "", route.url).toString();
        const page = await session.browser.navigate(authorize, {}, (next) => new URL(next).origin !== idpOrigin);
        const back = page.response.headers.location;
        if (page.response.status >= 300 && page.response.status <= 399 && back !== undefined) {
            const to = new URL(back, page.url);
            const code = to.searchParams.has("code") ? " with an authorization code" : "";
            throw new CheckFailure(
                `after the logout the hosted UI sent ${session.label} back to ${where(to.toString())}${code} without asking for credentials: ` +
                    "Cognito's session outlived the logout (the gateway's logout must go through Cognito's /logout with client_id and logout_uri)",
            );
        }
        if (page.response.status !== 200 || !fillLoginForm(page.response.text, page.url, "", "")) {
            throw new CheckFailure(
                `after the logout the hosted UI answered ${page.response.status} at ${where(page.url)}, not its sign-in form`,
            );
        }
        return `the hosted UI asks ${session.label} to sign in again (${where(page.url)})`;
    });
}

/**
 * The method verify signs out with, one the route takes: POST, as a sign-out form sends it, else
 * GET, else DELETE. Outputs of older stacks do not list them; those took GET and POST.
 */
function logoutMethodOf(route: RouteOutput): string {
    const allowed = route.logoutMethods ?? ["GET", "POST"];
    return ["POST", "GET", "DELETE"].find((method) => allowed.includes(method)) ?? allowed[0];
}

/** Two URLs that name the same resource. */
function sameUrl(a: string, b: string): boolean {
    return new URL(a).toString() === new URL(b).toString();
}

/** Why a logout chain did not reach the signed-out URL, from what it sent Cognito's /logout (parameter names only: values are tokens). */
function idpLogoutHint(chain: readonly string[], idpOrigin: string, signedOutUrl: string): string {
    const logout = chain.map((url) => new URL(url)).find((url) => url.origin === idpOrigin && url.pathname === "/logout");
    if (chain.length === 1) {
        return ": the gateway did not sign out (openid-connect passes a request upstream when its method is not in logout_methods)";
    }
    if (!logout) {
        return ": the chain never reached Cognito's /logout";
    }
    const names = [...new Set(logout.searchParams.keys())];
    if (names.includes("client_id") && names.includes("logout_uri")) {
        return `: Cognito's /logout refused it; is ${signedOutUrl} a logout URL of the web client?`;
    }
    return `: Cognito's /logout got ${names.join(", ") || "no parameters"}; it needs client_id and logout_uri (a logout URL of the web client)`;
}

/**
 * 7. Browser routes on one host, signed in at once in one browser: each keeps its own session. A
 * browser keeps one cookie per host, name and path, whatever the port: routes that share a session
 * cookie overwrite each other's, and the last sign-in ends the others.
 */
async function checkBrowserRoutesTogether(context: Context, routes: readonly RouteOutput[], people: People | undefined): Promise<void> {
    const { checks, http, outputs } = context;
    const byHost = new Map<string, RouteOutput[]>();
    for (const route of routes) {
        const host = new URL(route.url).hostname;
        byHost.set(host, [...(byHost.get(host) ?? []), route]);
    }
    for (const together of [...byHost.values()].filter((r) => r.length > 1)) {
        const names = together.map((r) => r.name);
        await checks.check(`browser routes ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} signed in at once`, async () => {
            const users = await people?.get();
            if (!users) {
                throw new CheckSkipped(people ? "no temporary users (see above)" : "needs --sign-in: one browser signs in on each route");
            }
            const user = users[0];
            const browser = new Browser(http);
            const cookies = new Map<string, string[]>();
            for (const route of together) {
                // After the first, the hosted UI's own session signs the browser in without the form.
                const signIn = await signInThroughHostedUi(browser, route.url, outputs.authorizeEndpoint, user);
                if (signIn.response.status < 200 || signIn.response.status > 299) {
                    throw new CheckFailure(
                        `${user.username} could not sign in on ${route.name} (${signIn.response.status} after the callback)`,
                    );
                }
                cookies.set(
                    route.name,
                    browser.cookiesOf(route.url).map((c) => c.key),
                );
            }
            for (const [i, route] of together.entries()) {
                const response = await browser.request("GET", route.url);
                if (response.status < 200 || response.status > 299) {
                    const later = together.slice(i + 1).map((r) => r.name);
                    const shared = (cookies.get(route.name) ?? []).filter((name) => later.some((r) => cookies.get(r)?.includes(name)));
                    const why = shared.length > 0 ? `: it shares the cookie ${shared.join(", ")} with ${later.join(", ")}` : "";
                    throw new CheckFailure(
                        `signing in on ${later.join(", ") || "the other routes"} ended ${user.username}'s session on ${route.name} ` +
                            `(it answered ${response.status})${why}; each browser route needs its own session cookie (name or path)`,
                    );
                }
            }
            const kept = together.map((r) => `${r.name} ${(cookies.get(r.name) ?? []).join(", ")}`).join("; ");
            return `${user.username} keeps a session on each (cookies: ${kept})`;
        });
    }
}

export async function runVerify(options: VerifyOptions): Promise<VerifySummary> {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const http = new HttpClient(options.insecure ?? false, options.timeoutMs ?? 10000, options.attempts ?? 3, sleep);
    const checks = new CheckRunner(log);
    const context: Context = { outputs: options.outputs, http, checks, options, sleep, log };
    const people = options.users && !options.sessionCookies?.length ? new People(options.users, checks) : undefined;
    if (options.insecure) {
        // Here, so that deploy, which runs verify in its own process, says it too.
        process.stderr.write("WARNING: --insecure: TLS certificates are not verified. Use it only against a test gateway.\n");
    }
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
            if (isBrowserOnly(route)) {
                await checkBrowserRoute(context, route, people);
            } else if (route.cacheTtlSeconds !== undefined) {
                await checkRouteCache(context, route, route.cacheTtlSeconds, tokenCallers(http, tokens), "token");
            }
        }
        await checkBrowserRoutesTogether(context, options.outputs.routes.filter(isBrowserOnly), people);
    } finally {
        try {
            await people?.cleanUp();
        } finally {
            await http.close();
        }
    }
    const { passed, failed, skipped } = checks.counts;
    log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
    return { ...checks.counts, requests: http.requests };
}

/** verify's exit status for a run: 0 every check passed (or was skipped), 1 one failed. */
export function exitCode(summary: VerifySummary): 0 | 1 {
    return summary.failed === 0 ? 0 : 1;
}

/** Reads the stack's outputs with the Pulumi CLI. */
function readOutputsWithPulumi(stack: string): unknown {
    // The backend deploy used: PULUMI_BACKEND_URL, or the project's state folder when there is one.
    const backend = deployedBackendUrl(process.env, PROJECT_DIR);
    const child = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], {
        encoding: "utf8",
        timeout: 60000,
        env: { ...process.env, ...(backend ? { PULUMI_BACKEND_URL: backend } : {}) },
    });
    if (child.error) {
        throw new Error(`cannot run the Pulumi CLI (${(child.error as NodeJS.ErrnoException).code}); pass --outputs <file> instead`);
    }
    if (child.status !== 0) {
        throw new Error(`pulumi stack output failed: ${child.stderr.trim()}`);
    }
    return JSON.parse(child.stdout);
}

/** The flags of verify that deploy passes on: parseArgs options. */
export const VERIFY_FLAGS = {
    "skip-ttl": { type: "boolean" },
    insecure: { type: "boolean" },
    "timeout-ms": { type: "string" },
    "sign-in": { type: "boolean" },
    "session-cookie": { type: "string", multiple: true },
    "aws-profile": { type: "string" },
} as const;

export interface VerifyFlags {
    readonly "skip-ttl"?: boolean;
    readonly insecure?: boolean;
    readonly "timeout-ms"?: string;
    readonly "sign-in"?: boolean;
    readonly "session-cookie"?: string[];
    readonly "aws-profile"?: string;
}

/** Checks the flags' values before anything runs: a bad one is a UsageError naming it. */
export function checkVerifyFlags(values: VerifyFlags): void {
    const timeoutMs = values["timeout-ms"];
    if (timeoutMs !== undefined && !(Number.isInteger(Number(timeoutMs)) && Number(timeoutMs) > 0)) {
        throw new UsageError(`--timeout-ms ${timeoutMs}: must be a positive whole number of milliseconds`);
    }
    if (values["sign-in"] && values["session-cookie"]) {
        throw new UsageError("--sign-in and --session-cookie: give one of them (temporary users, or a browser's session)");
    }
    if (values["aws-profile"] !== undefined && !values["sign-in"]) {
        throw new UsageError("--aws-profile: only --sign-in uses AWS credentials");
    }
    // Before anything runs: deploy reads the cookies only after pulumi up.
    for (const value of values["session-cookie"] ?? []) {
        if (value.startsWith("@") && !existsSync(value.slice(1))) {
            throw new UsageError(`--session-cookie ${value}: no such file`);
        }
    }
}

/** The run's options from the flags and the stack's outputs; throws (a plain Error) for what it cannot read. */
export function verifyOptionsFrom(values: VerifyFlags, outputs: VerifyOutputs, defaults: { awsProfile?: string } = {}): VerifyOptions {
    const cookies = values["session-cookie"]?.map((value) =>
        value.startsWith("@")
            ? readFileSync(value.slice(1), "utf8")
                  .trim()
                  .replace(/^cookie:\s*/i, "")
            : value,
    );
    let users: TemporaryUsers | undefined;
    if (values["sign-in"]) {
        const region = regionOfIssuer(outputs.issuerUrl) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        if (!region) {
            throw new Error(`--sign-in: cannot tell the user pool's region from its issuer ${outputs.issuerUrl}: set AWS_REGION`);
        }
        const profile = values["aws-profile"] ?? defaults.awsProfile;
        users = new CognitoUsers({ userPoolId: outputs.userPoolId, region, ...(profile ? { profile } : {}) });
    }
    return {
        outputs,
        skipTtl: values["skip-ttl"],
        insecure: values.insecure,
        timeoutMs: values["timeout-ms"] === undefined ? undefined : Number(values["timeout-ms"]),
        users,
        sessionCookies: cookies,
    };
}

const COMMAND = {
    name: "verify",
    usage: USAGE,
    options: { outputs: { type: "string" }, ...VERIFY_FLAGS },
    positionals: { min: 1, max: 1 },
} as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const { values, positionals } = parsed;
    checkVerifyFlags(values);
    let options: VerifyOptions;
    try {
        const json = values.outputs ? JSON.parse(readFileSync(values.outputs, "utf8")) : readOutputsWithPulumi(positionals[0]);
        options = verifyOptionsFrom(values, parseOutputs(json));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
    return exitCode(await runVerify(options));
}

if (require.main === module) {
    // An error of verify itself (not a failed check) means the stack could not be checked: 2.
    runCommand(COMMAND, () => main(process.argv.slice(2)), 2);
}
