// verify's check groups one at a time, each against a loopback stand-in scripted by the test: the
// PASS/FAIL/SKIP line a user reads for each answer a gateway or Cognito can give, both sides of
// each status range, and the requests the checks make. No real time passes: sleeps are recorded.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { CryptoKey, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, JWK, SignJWT } from "jose";
import { RouteOutput } from "../stacks/outputs";
import { CheckFailure, CheckRunner, CheckSkipped, fingerprint, HttpClient, isRedirect, isSuccess } from "../tools/verify/checks";
import { Callers, Context } from "../tools/verify/context";
import { VerifyOptions, VerifyOutputs } from "../tools/verify/options";
import { checkRouteAuth, checkRouteCache, tokenCallers } from "../tools/verify/routeChecks";
import { checkDiscovery, checkTokens, checkTrustedKeys, Tokens } from "../tools/verify/tokenChecks";

/** What the stand-in saw of a request. */
interface Seen {
    readonly method: string;
    /** Path and query. */
    readonly url: string;
    readonly headers: IncomingMessage["headers"];
    readonly body: string;
}

/** The stand-in's answer; `hang` never answers (a request that times out). */
interface Answer {
    readonly status?: number;
    readonly headers?: Record<string, string | string[]>;
    readonly body?: string;
    readonly hang?: boolean;
}

interface StandIn {
    /** `http://127.0.0.1:<port>` */
    readonly base: string;
    readonly seen: Seen[];
    close(): Promise<void>;
}

const open: Server[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(
        open.splice(0).map((s) => {
            s.closeAllConnections();
            return new Promise((r) => s.close(r));
        }),
    );
});

/** A loopback server that answers each request as `answer` says, and records it. */
async function standIn(answer: (request: Seen) => Answer | Promise<Answer>): Promise<StandIn> {
    const seen: Seen[] = [];
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", async () => {
            const request = { method: req.method!, url: req.url!, headers: req.headers, body };
            seen.push(request);
            const reply = await answer(request);
            if (reply.hang) {
                return;
            }
            res.writeHead(reply.status ?? 200, reply.headers ?? {});
            res.end(reply.body ?? "");
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    open.push(server);
    return {
        base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise((r) => server.close(() => r())),
    };
}

/** An HttpClient closed after the test; its sleeps recorded, not waited. */
function client(attempts = 1, timeoutMs = 2000): { http: HttpClient; sleeps: number[] } {
    const sleeps: number[] = [];
    const http = new HttpClient(false, timeoutMs, attempts, async (ms) => {
        sleeps.push(ms);
    });
    clients.push(http);
    return { http, sleeps };
}

const BASE_OUTPUTS: VerifyOutputs = {
    userPoolId: "us-east-1_CHECKS",
    issuerUrl: "http://127.0.0.1:1/pool",
    discoveryUrl: "http://127.0.0.1:1/pool/.well-known/openid-configuration",
    tokenEndpoint: "http://127.0.0.1:1/oauth2/token",
    authorizeEndpoint: "http://127.0.0.1:1/oauth2/authorize",
    machineClientId: "machine",
    machineClientSecret: "machine-secret-never-printed",
    machineScopes: ["http://kongresource/scope1"],
    routes: [],
};

/** A Context for one check group: the lines it prints, the sleeps it asked for. */
function contextFor(
    outputs: Partial<VerifyOutputs>,
    options: Partial<VerifyOptions> = {},
    attempts = 1,
): { context: Context; lines: string[]; sleeps: number[]; http: HttpClient } {
    const lines: string[] = [];
    const { http, sleeps } = client(attempts);
    const full = { ...BASE_OUTPUTS, ...outputs };
    const log = (line: string) => lines.push(line);
    const context: Context = {
        outputs: full,
        http,
        checks: new CheckRunner(log),
        options: { outputs: full, ...options },
        sleep: async (ms) => {
            sleeps.push(ms);
        },
        log,
    };
    return { context, lines, sleeps, http };
}

function apiRoute(url: string, authMethods: string[], more: Partial<RouteOutput> = {}): RouteOutput {
    return { name: "api", url, mode: "api", authMethods, upstream: "http://httpbin.org", ...more };
}

let signingKey: { privateKey: CryptoKey; jwk: JWK } | undefined;

/** A token of the pool's shape, signed by the test's key (kid `k1`). */
async function poolToken(claims: Record<string, unknown>, issuer = BASE_OUTPUTS.issuerUrl): Promise<string> {
    if (!signingKey) {
        const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
        signingKey = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" } };
    }
    return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(issuer)
        .setExpirationTime("1h")
        .sign(signingKey.privateKey);
}

describe("verify's checks, one group at a time", () => {
    describe("CheckRunner", () => {
        it("prints PASS with the reason, SKIP for CheckSkipped, FAIL for any other error, and counts each", async () => {
            const lines: string[] = [];
            const runner = new CheckRunner((line) => lines.push(line));
            expect(await runner.check("a", async () => "fine")).to.equal(true);
            expect(
                await runner.check("b", async () => {
                    throw new CheckSkipped("not here");
                }),
            ).to.equal(false);
            expect(
                await runner.check("c", async () => {
                    throw new CheckFailure("broken");
                }),
            ).to.equal(false);
            expect(
                await runner.check("d", async () => {
                    throw new TypeError("a bug");
                }),
            ).to.equal(false);
            expect(lines).to.deep.equal(["PASS a: fine", "SKIP b: not here", "FAIL c: broken", "FAIL d: a bug"]);
            expect(runner.counts).to.deep.equal({ passed: 1, failed: 2, skipped: 1 });
        });
    });

    it("tells 2xx answers and redirects by status, at each end of the range", () => {
        expect([200, 299, 300].map(isSuccess)).to.deep.equal([true, true, false]);
        expect([299, 300, 399, 400].map(isRedirect)).to.deep.equal([false, true, true, false]);
    });

    describe("HttpClient", () => {
        it("answers status, lower-case headers without Set-Cookie, every Set-Cookie, and the body; redirects are not followed", async () => {
            const server = await standIn(() => ({
                status: 302,
                headers: { Location: "/next", "X-Cache-Status": "Miss", "Set-Cookie": ["a=1; Path=/", "b=2; Path=/"] },
                body: "moved",
            }));
            const { http } = client();
            const response = await http.request("GET", `${server.base}/first`);
            expect(response.status).to.equal(302);
            expect(response.headers.location).to.equal("/next");
            expect(response.headers["x-cache-status"]).to.equal("Miss");
            expect(response.headers).to.not.have.property("set-cookie");
            expect(response.setCookies).to.deep.equal(["a=1; Path=/", "b=2; Path=/"]);
            expect(response.text).to.equal("moved");
            expect(server.seen.map((s) => s.url)).to.deep.equal(["/first"]);
        });

        it("sends the method, headers and body it is given", async () => {
            const server = await standIn(() => ({ status: 204 }));
            const { http } = client();
            await http.request("POST", `${server.base}/form`, { headers: { "x-one": "1" }, body: "a=b" });
            expect(server.seen[0]).to.deep.include({ method: "POST", url: "/form", body: "a=b" });
            expect(server.seen[0].headers["x-one"]).to.equal("1");
        });

        it("names the origin and path of a request that failed, never its query, and the network error's code", async () => {
            const server = await standIn(() => ({}));
            await server.close();
            const { http } = client();
            const failure = await http.request("GET", `${server.base}/oauth2/token?code=secret-code`).catch((e: unknown) => e);
            expect(failure).to.be.instanceOf(CheckFailure);
            expect((failure as Error).message).to.equal(`GET ${server.base}/oauth2/token failed: ECONNREFUSED`);
        });

        it("gives up on a request after its timeout and says so", async () => {
            const server = await standIn(() => ({ hang: true }));
            const http = new HttpClient(false, 100, 1, async () => undefined);
            clients.push(http);
            const failure = await http.request("GET", `${server.base}/slow?state=s`).catch((e: unknown) => e);
            expect(failure).to.be.instanceOf(CheckFailure);
            expect((failure as Error).message).to.equal(`GET ${server.base}/slow failed: The operation was aborted due to timeout`);
        });

        it("verifies TLS certificates unless --insecure", async () => {
            // A self-signed certificate for 127.0.0.1, test-only (test/fixtures/tls, valid to 2126).
            const fixtures = path.join(__dirname, "fixtures", "tls");
            const server = createHttpsServer(
                { key: readFileSync(path.join(fixtures, "localhost.key")), cert: readFileSync(path.join(fixtures, "localhost.crt")) },
                (_req, res) => res.end("over TLS"),
            );
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            open.push(server);
            const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/tls`;
            const { http } = client();
            const failure = await http.request("GET", url).catch((e: unknown) => e);
            expect((failure as Error).message).to.equal(`GET ${url} failed: DEPTH_ZERO_SELF_SIGNED_CERT`);
            const insecure = new HttpClient(true, 2000, 1, async () => undefined);
            clients.push(insecure);
            expect((await insecure.request("GET", url)).text).to.equal("over TLS");
        });

        it("refuses requests once closed: its connections are released", async () => {
            const server = await standIn(() => ({ status: 204 }));
            const http = new HttpClient(false, 2000, 1, async () => undefined);
            await http.request("GET", server.base);
            await http.close();
            const failure = await http.request("GET", `${server.base}/after`).catch((e: unknown) => e);
            expect(failure).to.be.instanceOf(CheckFailure);
            expect(server.seen.map((s) => s.url)).to.deep.equal(["/"]);
        });

        it("makes at most 500 requests in a run: the 501st fails without reaching the server", async () => {
            const server = await standIn(() => ({ status: 204 }));
            const { http } = client();
            for (let i = 0; i < 500; i++) {
                await http.request("GET", server.base);
            }
            expect(http.requests).to.equal(500);
            const failure = await http.request("GET", server.base).catch((e: unknown) => e);
            expect((failure as Error).message).to.equal("more than 500 requests: stopping");
            expect(failure).to.be.instanceOf(CheckFailure);
            expect(server.seen).to.have.length(500);
        });

        describe("requestWithRetry (Cognito's requests)", () => {
            it("tries a 5xx again after 200 ms, then 400 ms, and answers the last try's 5xx", async () => {
                const server = await standIn(() => ({ status: 500 }));
                const { http, sleeps } = client(3);
                const response = await http.requestWithRetry("GET", server.base);
                expect(response.status).to.equal(500);
                expect(server.seen).to.have.length(3);
                expect(sleeps).to.deep.equal([200, 400]);
            });

            it("answers a 499 at once and the first answer below 500", async () => {
                let n = 0;
                const server = await standIn(() => ({ status: n++ === 0 ? 503 : 499 }));
                const { http, sleeps } = client(3);
                expect((await http.requestWithRetry("GET", server.base)).status).to.equal(499);
                expect(server.seen).to.have.length(2);
                expect(sleeps).to.deep.equal([200]);
            });

            it("tries a network error again and throws the last one", async () => {
                const server = await standIn(() => ({}));
                await server.close();
                const { http, sleeps } = client(2);
                const failure = await http.requestWithRetry("GET", `${server.base}/x`).catch((e: unknown) => e);
                expect((failure as Error).message).to.equal(`GET ${server.base}/x failed: ECONNREFUSED`);
                expect(http.requests).to.equal(2);
                expect(sleeps).to.deep.equal([200]);
            });

            it("answers a success after a network error", async () => {
                let n = 0;
                const server = await standIn(() => (n++ === 0 ? { hang: true } : { status: 200, body: "ok" }));
                const quick = new HttpClient(false, 100, 2, async () => undefined);
                clients.push(quick);
                expect((await quick.requestWithRetry("GET", server.base)).text).to.equal("ok");
                expect(server.seen).to.have.length(2);
                expect(quick.requests).to.equal(2);
            });
        });
    });

    describe("checkRouteAuth", () => {
        /** Runs the route checks of `route` against a gateway answering `answer`; the lines printed. */
        async function routeLines(
            answer: (request: Seen) => Answer,
            route: (base: string) => RouteOutput,
            tokens: Partial<Tokens> = {},
        ): Promise<{ lines: string[]; seen: Seen[] }> {
            const gateway = await standIn(answer);
            const { context, lines } = contextFor({ authorizeEndpoint: `${gateway.base}/oauth2/authorize` });
            await checkRouteAuth(context, route(gateway.base), { basic: "Basic bWFjaGluZTpzZWNyZXQ=", ...tokens });
            return { lines, seen: gateway.seen };
        }
        const withoutToken = (status: number) =>
            routeLines(
                () => ({ status }),
                (base) => apiRoute(`${base}/api`, ["session"]),
            );

        it("an API route passes on 401 without a token, and makes one request when it takes neither bearer nor client credentials", async () => {
            const { lines, seen } = await withoutToken(401);
            expect(lines).to.deep.equal(["PASS api without a token: 401"]);
            expect(seen.map((s) => [s.method, s.url, s.headers.authorization])).to.deep.equal([["GET", "/api", undefined]]);
        });

        it("an API route fails on any other answer, and says it is OPEN on a 2xx only", async () => {
            expect((await withoutToken(403)).lines).to.deep.equal(["FAIL api without a token: answered 403 without a token, expected 401"]);
            expect((await withoutToken(300)).lines).to.deep.equal(["FAIL api without a token: answered 300 without a token, expected 401"]);
            expect((await withoutToken(299)).lines).to.deep.equal([
                "FAIL api without a token: answered 299 without a token, expected 401 (the route is OPEN: check the KongPlugin's events and KIC's log)",
            ]);
        });

        it("checks a route that takes both a browser's sign-in and bearer tokens as an API route: 401 without a token", async () => {
            const { lines } = await routeLines(
                () => ({ status: 401 }),
                (base) => apiRoute(`${base}/api`, ["authorization_code", "bearer"]),
            );
            expect(lines[0]).to.equal("PASS api without a token: 401");
            expect(lines[1]).to.equal("SKIP api with a bearer token: no token from Cognito (see above)");
        });

        describe("a browser-only route (authorization_code without bearer)", () => {
            const browser = (base: string) => ({ ...apiRoute(`${base}/web`, ["authorization_code", "session"]), name: "web" });
            const redirected = async (status: number, to: string) => {
                const { lines, seen } = await routeLines(
                    (request) => ({ status, headers: { location: to.replace("BASE", `http://${request.headers.host}`) } }),
                    browser,
                );
                return { lines: lines.map((l) => l.replace(/http:\/\/127\.0\.0\.1:\d+/g, "BASE")), seen };
            };

            it("passes on a 302 or 303 to the sign-in, and makes no token requests", async () => {
                const found = await redirected(302, "BASE/oauth2/authorize?client_id=web");
                expect(found.lines).to.deep.equal(["PASS web without a session: 302 to the Cognito sign-in"]);
                expect(found.seen).to.have.length(1);
                expect((await redirected(303, "BASE/oauth2/authorize")).lines).to.deep.equal([
                    "PASS web without a session: 303 to the Cognito sign-in",
                ]);
            });

            it("fails on another redirect status, a redirect elsewhere, no Location, and says it is OPEN on a 2xx", async () => {
                expect((await redirected(301, "BASE/oauth2/authorize")).lines).to.deep.equal([
                    "FAIL web without a session: answered 301 instead of redirecting to BASE/oauth2/authorize",
                ]);
                expect((await redirected(307, "BASE/oauth2/authorize")).lines).to.deep.equal([
                    "FAIL web without a session: answered 307 instead of redirecting to BASE/oauth2/authorize",
                ]);
                expect((await redirected(302, "BASE/login")).lines).to.deep.equal([
                    "FAIL web without a session: answered 302 instead of redirecting to BASE/oauth2/authorize",
                ]);
                const nowhere = await routeLines(() => ({ status: 302 }), browser);
                expect(nowhere.lines.map((l) => l.replace(/http:\/\/127\.0\.0\.1:\d+/g, "BASE"))).to.deep.equal([
                    "FAIL web without a session: answered 302 instead of redirecting to BASE/oauth2/authorize",
                ]);
                const { lines } = await routeLines(() => ({ status: 200 }), browser);
                expect(lines.map((l) => l.replace(/http:\/\/127\.0\.0\.1:\d+/g, "BASE"))).to.deep.equal([
                    "FAIL web without a session: answered 200 instead of redirecting to BASE/oauth2/authorize (the route is OPEN: check the KongPlugin's events and KIC's log)",
                ]);
            });
        });

        describe("with tokens", () => {
            /** A gateway that answers 401 without a token, and `bearer`, `forged` and `basic` for each kind of Authorization. */
            const gatewayOf =
                (token: string, bearer: number, forged: number, basic: number) =>
                (request: Seen): Answer => {
                    const auth = request.headers.authorization;
                    if (auth === undefined) {
                        return { status: 401 };
                    }
                    if (auth.startsWith("Basic ")) {
                        return { status: basic };
                    }
                    return { status: auth === `Bearer ${token}` ? bearer : forged };
                };

            it("passes bearer 2xx, forged 401, client credentials 2xx; the forged token keeps the header and claims, not the signature", async () => {
                const token = await poolToken({ client_id: "machine", scope: "s" });
                const { lines, seen } = await routeLines(
                    gatewayOf(token, 200, 401, 299),
                    (base) => apiRoute(`${base}/api`, ["bearer", "client_credentials"]),
                    { first: token },
                );
                expect(lines).to.deep.equal([
                    "PASS api without a token: 401",
                    "PASS api with a bearer token: 200",
                    "PASS api with a token signed by another key: 401",
                    "PASS api with client credentials: 299",
                ]);
                expect(seen.map((s) => s.headers.authorization?.split(" ")[0])).to.deep.equal([undefined, "Bearer", "Bearer", "Basic"]);
                const forged = seen[2].headers.authorization!.slice("Bearer ".length);
                expect(decodeProtectedHeader(forged)).to.deep.equal(decodeProtectedHeader(token));
                expect(decodeJwt(forged)).to.deep.equal(decodeJwt(token));
                expect(forged.split(".")[2]).to.not.equal(token.split(".")[2]);
                expect(seen[3].headers.authorization).to.equal("Basic bWFjaGluZTpzZWNyZXQ=");
            });

            it("fails a bearer or client-credentials answer of 300, and takes a forged token's 403", async () => {
                const token = await poolToken({ scope: "s" });
                const { lines } = await routeLines(
                    gatewayOf(token, 300, 403, 300),
                    (base) => apiRoute(`${base}/api`, ["bearer", "client_credentials"]),
                    { first: token },
                );
                expect(lines.map((l) => l.replace(/#[0-9a-f]{8}/, "#fp"))).to.deep.equal([
                    "PASS api without a token: 401",
                    "FAIL api with a bearer token: answered 300 with token#fp",
                    "PASS api with a token signed by another key: 403",
                    "FAIL api with client credentials: answered 300 to the machine client's id and secret",
                ]);
            });

            it("fails a forged token's other answers, and says the gateway does not verify signatures on a 2xx only", async () => {
                const token = await poolToken({ scope: "s" });
                for (const [forged, line] of [
                    [
                        400,
                        "FAIL api with a token signed by another key: answered 400 to the pool's token re-signed by another key, expected 401 or 403",
                    ],
                    [
                        300,
                        "FAIL api with a token signed by another key: answered 300 to the pool's token re-signed by another key, expected 401 or 403",
                    ],
                    [
                        299,
                        "FAIL api with a token signed by another key: answered 299 to the pool's token re-signed by another key, expected 401 or 403 " +
                            "(the gateway does not verify token signatures)",
                    ],
                ] as [number, string][]) {
                    const { lines } = await routeLines(gatewayOf(token, 200, forged, 200), (base) => apiRoute(`${base}/api`, ["bearer"]), {
                        first: token,
                    });
                    expect(lines[2]).to.equal(line);
                }
            });

            it("skips what the route does not take: bearer checks on a client-credentials route, client credentials on a bearer route", async () => {
                const token = await poolToken({ scope: "s" });
                const machine = await routeLines(
                    gatewayOf(token, 200, 401, 200),
                    (base) => apiRoute(`${base}/api`, ["client_credentials"]),
                    {
                        first: token,
                    },
                );
                expect(machine.lines).to.deep.equal([
                    "PASS api without a token: 401",
                    "SKIP api with a bearer token: the route does not accept bearer tokens",
                    "SKIP api with a token signed by another key: the route does not accept bearer tokens",
                    "PASS api with client credentials: 200",
                ]);
                expect(machine.seen).to.have.length(2);
                const bearer = await routeLines(gatewayOf(token, 200, 401, 200), (base) => apiRoute(`${base}/api`, ["bearer"]), {
                    first: token,
                });
                expect(bearer.lines[3]).to.equal("SKIP api with client credentials: the route does not accept client credentials");
                expect(bearer.seen).to.have.length(3);
            });

            it("skips the bearer checks without a token from Cognito, and still checks client credentials", async () => {
                const { lines, seen } = await routeLines(gatewayOf("none", 200, 401, 200), (base) =>
                    apiRoute(`${base}/api`, ["bearer", "client_credentials"]),
                );
                expect(lines).to.deep.equal([
                    "PASS api without a token: 401",
                    "SKIP api with a bearer token: no token from Cognito (see above)",
                    "SKIP api with a token signed by another key: no token from Cognito (see above)",
                    "PASS api with client credentials: 200",
                ]);
                expect(seen).to.have.length(2);
            });
        });
    });

    describe("checkRouteCache", () => {
        /** A caller answering `answers` in order (X-Cache-Status and Age as given), recording the URLs it got. */
        const caller = (label: string, answers: { status?: number; cache?: string; age?: string }[]) => {
            const urls: string[] = [];
            return {
                label,
                urls,
                get: async (url: string) => {
                    urls.push(url);
                    const { status = 200, cache, age } = answers[urls.length - 1] ?? {};
                    const headers: Record<string, string> = {
                        ...(cache === undefined ? {} : { "x-cache-status": cache }),
                        ...(age === undefined ? {} : { age }),
                    };
                    return { status, headers, setCookies: [], text: "{}" };
                },
            };
        };
        const missHit = [{ cache: "Miss" }, { cache: "Hit", age: "3" }];
        const route = (url = "http://gateway.test/cached") => apiRoute(url, ["bearer"], { name: "cached", cacheTtlSeconds: 5 });

        async function cacheLines(
            callers: Callers,
            options: Partial<VerifyOptions> = {},
            per: "token" | "user" = "token",
            url?: string,
        ): Promise<{ lines: string[]; sleeps: number[] }> {
            const { context, lines, sleeps } = contextFor({}, options);
            await checkRouteCache(context, route(url), 5, callers, per);
            return { lines, sleeps };
        }

        it("passes Miss, Hit with Age, then Miss after the TTL and a second; each check on its own new URL", async () => {
            const first = caller("token#a", [...missHit, { cache: "Miss" }, { cache: "Miss" }, { cache: "Hit", age: "0" }]);
            const second = caller("token#b", [{ cache: "Miss" }]);
            const { lines, sleeps } = await cacheLines({ callers: [first, second], noSecond: "unused" });
            expect(lines).to.deep.equal([
                "PASS cached cache: Miss, Hit (Age 3), Miss after 6 s",
                "PASS cached cache per token: token#b got its own entry (Miss)",
            ]);
            expect(sleeps).to.deep.equal([6000]);
            const [url] = first.urls;
            expect(url).to.match(/^http:\/\/gateway\.test\/cached\?kong-cognito-verify=[0-9a-f]{12}$/);
            expect(first.urls.slice(0, 3)).to.deep.equal([url, url, url]);
            expect(first.urls[3]).to.not.equal(url);
            expect(first.urls.slice(3)).to.deep.equal([first.urls[3], first.urls[3]]);
            expect(second.urls).to.deep.equal([first.urls[3]]);
        });

        it("adds its parameter to a URL's own query with &", async () => {
            const first = caller("token#a", [...missHit, { cache: "Miss" }]);
            await cacheLines({ callers: [first], noSecond: "one only" }, {}, "token", "http://gateway.test/cached?page=2");
            expect(first.urls[0]).to.match(/^http:\/\/gateway\.test\/cached\?page=2&kong-cognito-verify=[0-9a-f]{12}$/);
        });

        it("takes Refresh after the TTL, and fails a Hit", async () => {
            const refreshed = await cacheLines({ callers: [caller("token#a", [...missHit, { cache: "Refresh" }])], noSecond: "one only" });
            expect(refreshed.lines[0]).to.equal("PASS cached cache: Miss, Hit (Age 3), Refresh after 6 s");
            const stale = await cacheLines({
                callers: [caller("token#a", [...missHit, { cache: "Hit", age: "6" }])],
                noSecond: "one only",
            });
            expect(stale.lines[0]).to.equal("FAIL cached cache: after the 5 s TTL X-Cache-Status Hit, expected Miss");
        });

        it("skips the TTL wait when asked: no sleep, one request fewer", async () => {
            const first = caller("token#a", missHit);
            const { lines, sleeps } = await cacheLines({ callers: [first], noSecond: "one only" }, { skipTtl: true });
            expect(lines).to.deep.equal([
                "PASS cached cache: Miss, Hit (Age 3); TTL wait skipped",
                "SKIP cached cache per token: one only",
            ]);
            expect(sleeps).to.deep.equal([]);
            expect(first.urls).to.have.length(2);
        });

        it("fails a first answer that is not 2xx (299 passes, 300 fails), not a Miss, a second that is not a Hit, a Hit without Age", async () => {
            const first = async (answers: { status?: number; cache?: string; age?: string }[]) =>
                (await cacheLines({ callers: [caller("token#a", answers)], noSecond: "one only" }, { skipTtl: true })).lines[0];
            expect(
                await first([
                    { status: 299, cache: "Miss" },
                    { cache: "Hit", age: "0" },
                ]),
            ).to.equal("PASS cached cache: Miss, Hit (Age 0); TTL wait skipped");
            expect(await first([{ status: 300, cache: "Miss" }, missHit[1]])).to.equal(
                "FAIL cached cache: first request answered 300 for token#a",
            );
            expect(await first([{}, missHit[1]])).to.equal("FAIL cached cache: first request X-Cache-Status (none), expected Miss");
            expect(await first([{ cache: "Bypass" }, missHit[1]])).to.equal(
                "FAIL cached cache: first request X-Cache-Status Bypass, expected Miss",
            );
            expect(await first([missHit[0], { cache: "Miss" }])).to.equal(
                "FAIL cached cache: second request X-Cache-Status Miss, expected Hit",
            );
            expect(await first([missHit[0], {}])).to.equal("FAIL cached cache: second request X-Cache-Status (none), expected Hit");
            expect(await first([missHit[0], { cache: "Hit" }])).to.equal("FAIL cached cache: the cache hit has no Age header");
        });

        it("skips both checks without callers, with the reason given", async () => {
            const { lines } = await cacheLines({ none: "no token from Cognito (see above)" });
            expect(lines).to.deep.equal([
                "SKIP cached cache: no token from Cognito (see above)",
                "SKIP cached cache per token: no token from Cognito (see above)",
            ]);
        });

        it("skips the per-caller check when the second caller is the first (same label)", async () => {
            for (const per of ["token", "user"] as const) {
                const { lines } = await cacheLines(
                    { callers: [caller("token#a", missHit), caller("token#a", [])], noSecond: "unused" },
                    { skipTtl: true },
                    per,
                );
                expect(lines[1]).to.equal(`SKIP cached cache per ${per}: could not get a second, different ${per}`);
            }
        });

        it("skips the per-caller check when nothing was cached for the first caller", async () => {
            for (const again of [{ cache: "Miss" }, {}]) {
                const second = caller("token#b", [{ cache: "Hit" }]);
                const { lines } = await cacheLines(
                    { callers: [caller("token#a", [missHit[0], missHit[1], { cache: "Miss" }, again]), second], noSecond: "unused" },
                    { skipTtl: true },
                );
                expect(lines[1]).to.equal("SKIP cached cache per token: nothing cached to compare against (see the cache check)");
                // Asked all the same: the three requests are made before the answers are read.
                expect(second.urls).to.have.length(1);
            }
        });

        it("fails when the second caller gets the first one's entry, saying why for sessions", async () => {
            const run = (per: "token" | "user") =>
                cacheLines(
                    {
                        callers: [
                            caller("a", [...missHit, { cache: "Miss" }, { cache: "Hit", age: "0" }]),
                            caller("b", [{ cache: "Hit" }]),
                        ],
                        noSecond: "unused",
                    },
                    { skipTtl: true },
                    per,
                );
            expect((await run("token")).lines[1]).to.equal(
                "FAIL cached cache per token: the response cached for a was served to b: vary the cache key by Authorization",
            );
            expect((await run("user")).lines[1]).to.equal(
                "FAIL cached cache per user: the response cached for a was served to b: vary the cache key by Authorization " +
                    "(openid-connect passes each session's access token upstream in it)",
            );
        });

        it("passes when the second caller's answer has no cache header, and says so", async () => {
            const { lines } = await cacheLines(
                {
                    callers: [caller("a", [...missHit, { cache: "Miss" }, { cache: "Hit", age: "0" }]), caller("b", [{}])],
                    noSecond: "unused",
                },
                { skipTtl: true },
            );
            expect(lines[1]).to.equal("PASS cached cache per token: b got its own entry (no cache header)");
        });
    });

    describe("tokenCallers", () => {
        it("has no callers without a token, one per token otherwise, each sending its token and named by its fingerprint", async () => {
            const { http } = client();
            expect(tokenCallers(http, { basic: "Basic x" })).to.deep.equal({ none: "no token from Cognito (see above)" });
            const one = tokenCallers(http, { basic: "Basic x", first: "token-one" });
            expect("callers" in one && one.callers.map((c) => c.label)).to.deep.equal([`token${fingerprint("token-one")}`]);
            expect("noSecond" in one && one.noSecond).to.equal("could not get a second, different token");
            const two = tokenCallers(http, { basic: "Basic x", first: "token-one", second: "token-two" });
            expect("callers" in two && two.callers.map((c) => c.label)).to.deep.equal([
                `token${fingerprint("token-one")}`,
                `token${fingerprint("token-two")}`,
            ]);
            const gateway = await standIn(() => ({ status: 200 }));
            if ("callers" in two) {
                await two.callers[1].get(`${gateway.base}/cached`);
            }
            expect(gateway.seen.map((s) => [s.method, s.url, s.headers.authorization])).to.deep.equal([
                ["GET", "/cached", "Bearer token-two"],
            ]);
        });
    });

    describe("discovery, signing keys and tokens", () => {
        /** A stand-in Cognito: discovery at /pool, JWKS, the token endpoint; each answer replaceable. */
        async function cognito(
            answers: {
                discovery?: (issuer: string) => Answer;
                jwks?: Answer;
                token?: (request: Seen, issuer: string) => Answer | Promise<Answer>;
            } = {},
        ) {
            let issuer = "";
            const server = await standIn((request) => {
                if (request.url === "/pool/.well-known/openid-configuration") {
                    return answers.discovery?.(issuer) ?? { body: JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` }) };
                }
                if (request.url === "/pool/.well-known/jwks.json") {
                    return answers.jwks ?? { body: JSON.stringify({ keys: [signingKey!.jwk] }) };
                }
                if (request.url === "/oauth2/token") {
                    return answers.token?.(request, issuer) ?? { status: 404 };
                }
                return { status: 404 };
            });
            issuer = `${server.base}/pool`;
            await poolToken({});
            const outputs: Partial<VerifyOutputs> = {
                issuerUrl: issuer,
                discoveryUrl: `${issuer}/.well-known/openid-configuration`,
                tokenEndpoint: `${server.base}/oauth2/token`,
            };
            return { server, issuer, outputs };
        }

        it("discovery passes on the stack's issuer and reads the pool's RSA signing keys that have an id", async () => {
            const rsa = signingKey!.jwk;
            const keys = [
                rsa,
                { ...rsa, kid: "no-use", use: undefined },
                { ...rsa, kid: "enc", use: "enc" },
                {
                    kty: "EC",
                    crv: "P-256",
                    x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                    y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
                    kid: "ec",
                },
                { ...rsa, kid: undefined },
            ];
            const { server, issuer, outputs } = await cognito({ jwks: { body: JSON.stringify({ keys }) } });
            const { context, lines } = contextFor(outputs);
            const found = await checkDiscovery(context);
            expect(lines).to.deep.equal([`PASS discovery: issuer ${issuer}`]);
            expect(found?.keyIds).to.deep.equal(["k1", "no-use"]);
            expect(server.seen.map((s) => s.url)).to.deep.equal(["/pool/.well-known/openid-configuration", "/pool/.well-known/jwks.json"]);
        });

        it("discovery fails on a status other than 200, after retrying a 5xx", async () => {
            for (const [status, requests] of [
                [404, 1],
                [503, 2],
                [201, 1],
            ] as [number, number][]) {
                const { server, outputs } = await cognito({ discovery: () => ({ status, body: "{}" }) });
                const { context, lines } = contextFor(outputs, {}, 2);
                expect(await checkDiscovery(context)).to.equal(undefined);
                expect(lines).to.deep.equal([`FAIL discovery: ${outputs.discoveryUrl} answered ${status}`]);
                expect(server.seen).to.have.length(requests);
            }
        });

        it("discovery fails on another issuer, or none", async () => {
            for (const [document, shown] of [
                [{ issuer: "https://elsewhere" }, '"https://elsewhere"'],
                [{}, "undefined"],
            ] as [object, string][]) {
                const { issuer, outputs } = await cognito({ discovery: () => ({ body: JSON.stringify(document) }) });
                const { context, lines } = contextFor(outputs);
                await checkDiscovery(context);
                expect(lines).to.deep.equal([`FAIL discovery: issuer is ${shown}, the stack says ${issuer}`]);
            }
        });

        it("discovery passes without keys when the document names no JWKS or the JWKS does not answer 200", async () => {
            for (const answers of [{ discovery: (issuer: string) => ({ body: JSON.stringify({ issuer }) }) }, { jwks: { status: 404 } }]) {
                const { issuer, outputs } = await cognito(answers);
                const { context, lines } = contextFor(outputs);
                expect(await checkDiscovery(context)).to.equal(undefined);
                expect(lines).to.deep.equal([`PASS discovery: issuer ${issuer}`]);
            }
        });

        describe("signing keys (Kong OSS)", () => {
            const trusted = async (jwtKeyIds: string[] | undefined, published: string[] | undefined) => {
                const { context, lines } = contextFor({ jwtKeyIds });
                const keys = published && { jwks: undefined as never, keyIds: published };
                await checkTrustedKeys(context, keys);
                return lines;
            };

            it("is no check on a stack that does not list the keys Kong trusts", async () => {
                expect(await trusted(undefined, ["k1"])).to.deep.equal([]);
            });

            it("passes when Kong trusts exactly the published keys", async () => {
                expect(await trusted(["k2", "k1"], ["k1", "k2"])).to.deep.equal([
                    "PASS signing keys: Kong trusts the 2 key(s) the pool publishes",
                ]);
            });

            it("fails on one key Kong does not trust, or one it trusts that the pool no longer publishes", async () => {
                const why = "tokens signed with a new key get 401 until `pulumi up --refresh` reads the JWKS again";
                expect(await trusted(["k1"], ["k1", "k2"])).to.deep.equal([
                    `FAIL signing keys: the pool publishes 1 key(s) Kong does not trust and Kong trusts 0 it no longer publishes: ${why}`,
                ]);
                expect(await trusted(["k1", "old"], ["k1"])).to.deep.equal([
                    `FAIL signing keys: the pool publishes 0 key(s) Kong does not trust and Kong trusts 1 it no longer publishes: ${why}`,
                ]);
            });

            it("skips when the pool's keys could not be read", async () => {
                expect(await trusted(["k1"], undefined)).to.deep.equal([
                    "SKIP signing keys: the pool's keys could not be read (see discovery)",
                ]);
            });
        });

        describe("tokens", () => {
            const scopes = ["http://kongresource/scope1", "http://kongresource/scope2"];
            const granted = (scope: string | undefined) => async (_request: Seen, issuer: string) => ({
                body: JSON.stringify({ access_token: await poolToken(scope === undefined ? {} : { scope }, issuer) }),
            });

            it("asks as a form post and with HTTP Basic, for every scope; verifies the signature and issuer with the pool's keys", async () => {
                const { server, outputs } = await cognito({ token: granted(scopes.join(" ")) });
                const { context, lines } = contextFor({ ...outputs, machineScopes: scopes });
                const keys = await checkDiscovery(context);
                const tokens = await checkTokens(context, keys);
                const basic = `Basic ${Buffer.from("machine:machine-secret-never-printed").toString("base64")}`;
                expect(tokens.basic).to.equal(basic);
                expect(lines.slice(1)).to.deep.equal([
                    `PASS token (form post): token${fingerprint(tokens.first!)} with scope ${scopes.join(" ")}, signature and issuer verified`,
                    `PASS token (HTTP Basic): token${fingerprint(tokens.second!)} with scope ${scopes.join(" ")}, signature and issuer verified`,
                ]);
                const [form, withBasic] = server.seen.slice(2);
                expect(form).to.deep.include({ method: "POST", url: "/oauth2/token" });
                expect(form.headers["content-type"]).to.equal("application/x-www-form-urlencoded");
                expect(form.headers.authorization).to.equal(undefined);
                expect(Object.fromEntries(new URLSearchParams(form.body))).to.deep.equal({
                    grant_type: "client_credentials",
                    client_id: "machine",
                    client_secret: "machine-secret-never-printed",
                    scope: scopes.join(" "),
                });
                expect(withBasic.headers["content-type"]).to.equal("application/x-www-form-urlencoded");
                expect(withBasic.headers.authorization).to.equal(basic);
                expect(Object.fromEntries(new URLSearchParams(withBasic.body))).to.deep.equal({
                    grant_type: "client_credentials",
                    scope: scopes.join(" "),
                });
                expect(lines.join("\n")).to.not.contain("machine-secret-never-printed");
            });

            it("reads the scope without the pool's keys, and says nothing was verified", async () => {
                const { outputs } = await cognito({ token: granted(scopes[0]) });
                const { context, lines } = contextFor(outputs);
                const tokens = await checkTokens(context, undefined);
                expect(lines[0]).to.equal(`PASS token (form post): token${fingerprint(tokens.first!)} with scope ${scopes[0]}`);
            });

            it("fails a token of another issuer when it has the pool's keys", async () => {
                const { outputs } = await cognito({
                    token: async () => ({
                        body: JSON.stringify({ access_token: await poolToken({ scope: scopes[0] }, "https://elsewhere") }),
                    }),
                });
                const { context, lines } = contextFor(outputs);
                const tokens = await checkTokens(context, await checkDiscovery(context));
                expect(lines[1]).to.equal('FAIL token (form post): unexpected "iss" claim value');
                expect(tokens).to.deep.equal({ basic: tokens.basic, first: undefined, second: undefined });
            });

            it("fails an answer other than 200 (after retrying a 5xx), or without an access token; the next request still runs", async () => {
                let n = 0;
                const answers: (() => Answer | Promise<Answer>)[] = [
                    () => ({ status: 500 }),
                    () => ({ status: 500 }),
                    () => ({ status: 201, body: "{}" }),
                ];
                const { server, outputs } = await cognito({ token: () => answers[n++]() });
                const { context, lines } = contextFor(outputs, {}, 2);
                const tokens = await checkTokens(context, undefined);
                expect(lines).to.deep.equal([
                    "FAIL token (form post): token endpoint answered 500",
                    "FAIL token (HTTP Basic): token endpoint answered 201",
                ]);
                expect(server.seen).to.have.length(3);
                expect(tokens.first).to.equal(undefined);
                const empty = await cognito({ token: () => ({ body: JSON.stringify({ token_type: "Bearer" }) }) });
                const second = contextFor(empty.outputs);
                await checkTokens(second.context, undefined);
                expect(second.lines[0]).to.equal("FAIL token (form post): no access_token in the answer");
            });

            it("fails a token that lacks a scope the stack asks for, naming each", async () => {
                const three = [...scopes, "http://kongresource/scope3"];
                for (const [scope, missing] of [
                    [scopes[0], `${scopes[1]}, http://kongresource/scope3`],
                    [undefined, three.join(", ")],
                ] as [string | undefined, string][]) {
                    const { outputs } = await cognito({ token: granted(scope) });
                    const { context, lines } = contextFor({ ...outputs, machineScopes: three });
                    await checkTokens(context, undefined);
                    expect(lines[0]).to.match(
                        new RegExp(`^FAIL token \\(form post\\): token#[0-9a-f]{8} lacks scope ${missing.replace(/\//g, "\\/")}$`),
                    );
                }
            });

            it("hands the route checks the tokens that passed, in order", async () => {
                let n = 0;
                const { outputs } = await cognito({
                    token: async () =>
                        n++ === 0 ? { status: 400 } : { body: JSON.stringify({ access_token: await poolToken({ scope: scopes[0] }) }) },
                });
                const { context, lines } = contextFor(outputs);
                const tokens = await checkTokens(context, undefined);
                expect(tokens.first).to.be.a("string");
                expect(tokens.second).to.equal(undefined);
                expect(lines[1]).to.equal(`PASS token (HTTP Basic): token${fingerprint(tokens.first!)} with scope ${scopes[0]}`);
            });
        });
    });
});
