// verify's checks of each route: closed without a token, open with one, closed to a forged one,
// and a cached route's X-Cache-Status sequence per caller.
import { randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { RouteOutput } from "../../stacks/outputs";
import { CheckFailure, CheckSkipped, fingerprint, HttpClient, HttpResponse, isSuccess, sendsToSignIn } from "./checks";
import { Caller, Callers, Context } from "./context";
import { Tokens } from "./tokenChecks";

/** Why a route that answers without a token matters. */
const OPEN = " (the route is OPEN: check the KongPlugin's events and KIC's log)";

function needToken(tokens: Tokens): string {
    if (!tokens.first) {
        throw new CheckSkipped("no token from Cognito (see above)");
    }
    return tokens.first;
}

/** A browser-only route: people sign in through the hosted UI and keep a session cookie; no tokens. */
export function isBrowserOnly(route: RouteOutput): boolean {
    return route.authMethods.includes("authorization_code") && !route.authMethods.includes("bearer");
}

/** 3. A route refuses (or redirects) requests without a token and answers those with one. */
export async function checkRouteAuth({ outputs, http, checks }: Context, route: RouteOutput, tokens: Tokens): Promise<void> {
    const browserOnly = isBrowserOnly(route);
    await checks.check(`${route.name} without a ${browserOnly ? "session" : "token"}`, async () => {
        const response = await http.request("GET", route.url);
        if (browserOnly) {
            if (sendsToSignIn(response, outputs.authorizeEndpoint)) {
                return `${response.status} to the Cognito sign-in`;
            }
            const open = isSuccess(response.status) ? OPEN : "";
            throw new CheckFailure(`answered ${response.status} instead of redirecting to ${outputs.authorizeEndpoint}${open}`);
        }
        if (response.status !== 401) {
            // The one proof a route is closed: KIC publishes a route even when it cannot build its auth plugin.
            const open = isSuccess(response.status) ? OPEN : "";
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
        if (!isSuccess(response.status)) {
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
        const open = isSuccess(response.status) ? " (the gateway does not verify token signatures)" : "";
        throw new CheckFailure(`answered ${response.status} to the pool's token re-signed by another key, expected 401 or 403${open}`);
    });
    await checks.check(`${route.name} with client credentials`, async () => {
        if (!route.authMethods.includes("client_credentials")) {
            throw new CheckSkipped("the route does not accept client credentials");
        }
        const response = await http.request("GET", route.url, { headers: { authorization: tokens.basic } });
        if (!isSuccess(response.status)) {
            throw new CheckFailure(`answered ${response.status} to the machine client's id and secret`);
        }
        return `${response.status}`;
    });
}

/** A key of nobody's, made once: an RSA key takes a tenth of a second or more to make, and one forges every route's token. */
let nobodysKey: ReturnType<typeof generateKeyPair> | undefined;

/** The same header (kid included) and claims, signed by a key of nobody's: what an attacker can make. */
async function forge(token: string): Promise<string> {
    const { privateKey } = await (nobodysKey ??= generateKeyPair("RS256"));
    return new SignJWT(decodeJwt(token)).setProtectedHeader(decodeProtectedHeader(token) as { alg: string }).sign(privateKey);
}

export function tokenCallers(http: HttpClient, tokens: Tokens): Callers {
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
export async function checkRouteCache(
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
        if (!isSuccess(first.status)) {
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
        if (again.headers["x-cache-status"] !== "Hit") {
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
