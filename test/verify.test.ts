// `npm run verify` against stand-ins started on 127.0.0.1 in the test (test/verifyWorld.ts): Cognito
// (signed JWTs with jose, the hosted UI's sign-in, the admin API the real AWS SDK client calls) and
// a gateway that enforces bearer tokens and openid-connect sessions and answers with proxy-cache
// headers, on a fake clock. Each failure mode gives its FAIL line and exit status; requests stay
// bounded; no secret is printed.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Browser, signInThroughHostedUi } from "../tools/verify/browser";
import { fingerprint, HttpClient } from "../tools/verify/checks";
import { CognitoUsers, TemporaryUsers } from "../tools/verify/cognitoUsers";
import { exitCode, runVerify } from "../tools/verify/verify";
import { VerifyOptions, VerifySummary } from "../tools/verify/options";
import { npmScriptArgs } from "./npmScript";
import { CLIENT_SECRET, defaultSessionCookies, Servers, startWorld, USER_POOL_ID, WEB_CLIENT_SECRET, World } from "./verifyWorld";

async function verify(servers: Servers, options: Partial<VerifyOptions> = {}): Promise<{ lines: string[]; summary: VerifySummary }> {
    const lines: string[] = [];
    const summary = await runVerify({
        outputs: servers.outputs,
        timeoutMs: 3000,
        attempts: 2,
        log: (line) => lines.push(line),
        // Waiting out the TTL moves the gateway's clock instead of the test's.
        sleep: async (ms) => {
            servers.clock.offsetMs += ms;
        },
        ...options,
    });
    return { lines, summary };
}

/** A test that verify, against this world, prints this FAIL line and counts a failure in its summary line. */
/** Temporary users through the real AWS SDK client, against the stand-in's admin API; remembers the passwords it made. */
function signInUsers(servers: Servers): TemporaryUsers & { passwords: string[] } {
    const users = new CognitoUsers({
        userPoolId: USER_POOL_ID,
        region: "us-east-1",
        endpoint: servers.adminEndpoint,
        credentials: { accessKeyId: "AKIDVERIFYTEST", secretAccessKey: "not-a-real-secret" },
    });
    const passwords: string[] = [];
    return {
        passwords,
        description: users.description,
        create: async () => {
            const user = await users.create();
            passwords.push(user.password);
            return user;
        },
        delete: (username) => users.delete(username),
        close: () => users.close(),
    };
}

function itFailsOn(what: string, world: World, line: string, signIn = false): void {
    it(`fails on ${what}`, async () => {
        const servers = await startWorld(world);
        try {
            const { lines, summary } = await verify(servers, signIn ? { users: signInUsers(servers) } : {});
            if (signIn && !world.deleteDenied) {
                // The temporary users are gone, whatever failed.
                expect([...servers.users.keys()]).to.deep.equal([]);
            }
            expect(
                lines.some((l) => l.startsWith(line)),
                `${line}\n---\n${lines.join("\n")}`,
            ).to.equal(true);
            expect(summary.failed).to.be.greaterThan(0);
            expect(exitCode(summary), "the command's exit status").to.equal(1);
            expect(lines[lines.length - 1]).to.match(/^\d+ passed, [1-9]\d* failed, \d+ skipped$/);
        } finally {
            await servers.close();
        }
    });
}

describe("npm run verify", function () {
    this.timeout(20000);

    it("passes every check against a gateway that does it right, with bounded requests", async () => {
        const servers = await startWorld();
        try {
            const { lines, summary } = await verify(servers);
            expect(lines.filter((l) => l.startsWith("FAIL"))).to.deep.equal([]);
            expect(lines.map((l) => l.split(":")[0])).to.deep.equal([
                "PASS discovery",
                "PASS token (form post)",
                "PASS token (HTTP Basic)",
                "route oidcroute",
                "PASS oidcroute without a token",
                "PASS oidcroute with a bearer token",
                "PASS oidcroute with a token signed by another key",
                "PASS oidcroute with client credentials",
                "route cachedroute",
                "PASS cachedroute without a token",
                "PASS cachedroute with a bearer token",
                "PASS cachedroute with a token signed by another key",
                "SKIP cachedroute with client credentials",
                "PASS cachedroute cache",
                "PASS cachedroute cache per token",
                "route sampleroute",
                "PASS sampleroute without a session",
                "SKIP sampleroute with a session",
                "SKIP sampleroute cache",
                "SKIP sampleroute cache per user",
                "SKIP sampleroute logout",
                "SKIP sampleroute logout ends the Cognito session",
                "13 passed, 0 failed, 6 skipped",
            ]);
            expect(lines).to.include("PASS cachedroute cache: Miss, Hit (Age 0), Miss after 2 s");
            // Where each route goes, and whether this stack made that Service: read before trusting a PASS.
            expect(lines).to.include(
                `route cachedroute: ${servers.outputs.routes[1].url} -> Service apps/web port 80 (not created by this stack)`,
            );
            expect(lines.find((l) => l.startsWith("PASS token (form post)"))).to.match(
                /token#[0-9a-f]{8} with scope http:\/\/kongresource\/scope1, signature and issuer verified$/,
            );
            expect(lines).to.include(
                "SKIP sampleroute with a session: needs a signed-in session: pass --sign-in (temporary users) or --session-cookie",
            );
            expect(summary).to.deep.include({ passed: 13, failed: 0, skipped: 6 });
            expect(summary.requests).to.equal(servers.hits.idp + servers.hits.gateway);
            expect(summary.requests).to.equal(18);
        } finally {
            await servers.close();
        }
    });

    it("never prints a secret: client secret and tokens appear only as fingerprints", async () => {
        const servers = await startWorld({ sharedCache: true });
        try {
            const { lines } = await verify(servers);
            const text = lines.join("\n");
            expect(text).to.not.contain(CLIENT_SECRET);
            expect(text).to.not.match(/eyJ[\w-]+\.[\w-]+/);
            expect(text).to.contain("token#");
        } finally {
            await servers.close();
        }
    });

    const failures: [string, World, string][] = [
        ["a wrong issuer", { wrongIssuer: true }, "FAIL discovery: issuer is "],
        [
            "a route answering 200 without a token",
            { open: true },
            "FAIL oidcroute without a token: answered 200 without a token, expected 401",
        ],
        ["a cache that never hits", { noCache: true }, "FAIL cachedroute cache: second request X-Cache-Status Miss, expected Hit"],
        ["a cache entry shared across tokens", { sharedCache: true }, "FAIL cachedroute cache per token: the response cached for token#"],
        ["the token endpoint down", { tokenDown: true }, "FAIL token (form post): POST "],
    ];
    for (const [what, world, line] of failures) {
        itFailsOn(what, world, line);
    }

    describe("a Kong OSS stack, against a gateway that behaves like the jwt plugin", () => {
        it("passes: 401 without a token, 2xx with the pool's token, 401 with one signed by another key, the keys current", async () => {
            const servers = await startWorld({ jwtPlugin: true });
            try {
                const { lines, summary } = await verify(servers);
                expect(lines.map((l) => l.split(":")[0])).to.deep.equal([
                    "PASS discovery",
                    "PASS signing keys",
                    "PASS token (form post)",
                    "PASS token (HTTP Basic)",
                    "route oidcroute",
                    "route oidcroute",
                    "PASS oidcroute without a token",
                    "PASS oidcroute with a bearer token",
                    "PASS oidcroute with a token signed by another key",
                    "SKIP oidcroute with client credentials",
                    "route cachedroute",
                    "route cachedroute",
                    "PASS cachedroute without a token",
                    "PASS cachedroute with a bearer token",
                    "PASS cachedroute with a token signed by another key",
                    "SKIP cachedroute with client credentials",
                    "PASS cachedroute cache",
                    "PASS cachedroute cache per token",
                    "12 passed, 0 failed, 2 skipped",
                ]);
                expect(lines).to.include("PASS signing keys: Kong trusts the 1 key(s) the pool publishes");
                expect(lines).to.include("PASS oidcroute with a token signed by another key: 401");
                expect(lines).to.include(
                    "route oidcroute: Kong OSS jwt plugin; does not check scopes; the client the token was issued to (client_id): " +
                        "any app client of the pool passes; the token type (token_use): the pool's ID tokens pass too; audience and issuer beyond the signing key",
                );
                expect(summary.failed).to.equal(0);
            } finally {
                await servers.close();
            }
        });

        const ossFailures: [string, World, string][] = [
            [
                "a route open without a token",
                { jwtPlugin: true, open: true },
                "FAIL oidcroute without a token: answered 200 without a token, expected 401",
            ],
            [
                "a gateway that does not verify signatures",
                { jwtPlugin: true, acceptsAnySignature: true },
                "FAIL oidcroute with a token signed by another key: answered 200 to the pool's token re-signed by another key, " +
                    "expected 401 or 403 (the gateway does not verify token signatures)",
            ],
            [
                "a key the pool published after the deploy",
                { jwtPlugin: true, rotated: true },
                "FAIL signing keys: the pool publishes 1 key(s) Kong does not trust and Kong trusts 0 it no longer publishes: " +
                    "tokens signed with a new key get 401 until `pulumi up --refresh` reads the JWKS again",
            ],
        ];
        for (const [what, world, line] of ossFailures) {
            itFailsOn(what, world, line);
        }
    });

    describe("a browser route, signed in through the hosted UI (--sign-in)", () => {
        it("signs two temporary users in, checks session, cache sequence, per-user cache and logout, then deletes the users", async () => {
            const servers = await startWorld();
            try {
                const users = signInUsers(servers);
                const { lines, summary } = await verify(servers, { users });
                const browser = lines.slice(lines.findIndex((l) => l.startsWith("route sampleroute")));
                expect(browser.map((l) => l.split(":")[0])).to.deep.equal([
                    "route sampleroute",
                    "PASS sampleroute without a session",
                    "PASS temporary users",
                    "PASS sampleroute sign-in (user 1)",
                    "PASS sampleroute sign-in (user 2)",
                    "PASS sampleroute with a session",
                    "PASS sampleroute cache",
                    "PASS sampleroute cache per user",
                    "note sampleroute",
                    "PASS sampleroute logout",
                    "PASS sampleroute logout ends the Cognito session",
                    "PASS temporary users deleted",
                    "22 passed, 0 failed, 1 skipped",
                ]);
                const [first, second] = [...lines.join("\n").matchAll(/kong-cognito-verify-[0-9a-f]{12}@example\.com/g)].map((m) => m[0]);
                expect(first).to.not.equal(second);
                expect(lines).to.include(`PASS temporary users: created ${first} and ${second} in user pool ${USER_POOL_ID} (us-east-1)`);
                // Route, authorize, login page, login form, callback, back to the route: as a browser goes.
                expect(lines.find((l) => l.startsWith("PASS sampleroute sign-in (user 1)"))).to.match(
                    new RegExp(
                        `^PASS sampleroute sign-in \\(user 1\\): ${first}: /sampleroute → /oauth2/authorize → /login → /login → /sampleroute → /sampleroute, 200; ` +
                            "gateway cookies sampleroute-session#[0-9a-f]{8}$",
                    ),
                );
                expect(lines).to.include(`PASS sampleroute with a session: 200 for ${first}`);
                // The TTL of the route (30 s) waited out on the fake clock: 2 s for cachedroute, 31 s here.
                expect(lines).to.include("PASS sampleroute cache: Miss, Hit (Age 0), Miss after 31 s");
                expect(servers.clock.offsetMs).to.equal(33000);
                expect(lines).to.include(`PASS sampleroute cache per user: ${second} got its own entry (Miss)`);
                // The whole chain: the gateway's logout, Cognito's /logout, the signed-out page.
                expect(lines).to.include(
                    `PASS sampleroute logout: POST /sampleroute/logout → /logout → /signed-out (200); the route then sends ${first} to the sign-in`,
                );
                expect(lines).to.include(
                    `PASS sampleroute logout ends the Cognito session: the hosted UI asks ${first} to sign in again (${servers.outputs.authorizeEndpoint.replace("/oauth2/authorize", "/login")})`,
                );
                expect(lines).to.include(`PASS temporary users deleted: deleted ${first} and ${second}`);
                expect([...servers.users.keys()]).to.deep.equal([]);
                expect(servers.adminCalls).to.deep.equal([
                    "AdminCreateUser",
                    "AdminSetUserPassword",
                    "AdminCreateUser",
                    "AdminSetUserPassword",
                    "AdminDeleteUser",
                    "AdminDeleteUser",
                ]);
                expect(summary.failed).to.equal(0);
                // Passwords, tokens, the web client's secret and cookie values never appear.
                const text = lines.join("\n");
                expect(users.passwords).to.have.length(2);
                for (const secret of [...users.passwords, WEB_CLIENT_SECRET, CLIENT_SECRET]) {
                    expect(text).to.not.contain(secret);
                }
                expect(text).to.not.match(/eyJ[\w-]+\.[\w-]+/);
                expect(summary.requests).to.equal(servers.hits.idp + servers.hits.gateway);
            } finally {
                await servers.close();
            }
        });

        it("checks the session of a browser's cookie (--session-cookie) without making users or logging it out", async () => {
            const servers = await startWorld();
            try {
                // People sign in with their browsers: the same flow, by hand, through verify's own browser.
                const users = signInUsers(servers);
                const route = servers.outputs.routes[2];
                const http = new HttpClient(false, 3000, 1, async () => undefined);
                const signedIn = async () => {
                    const browser = new Browser(http);
                    await signInThroughHostedUi(browser, route.url, servers.outputs.authorizeEndpoint, await users.create());
                    return browser
                        .cookiesOf(route.url)
                        .map((c) => `${c.key}=${c.value}`)
                        .join("; ");
                };
                const [cookie, other] = [await signedIn(), await signedIn()];
                await http.close();
                expect(cookie).to.match(/^sampleroute-session=/);

                const one = await verify(servers, { sessionCookies: [cookie], skipTtl: true });
                const { lines, summary } = one;
                expect(lines).to.include(`PASS sampleroute with a session: 200 for session 1 (--session-cookie, ${fingerprint(cookie)})`);
                expect(lines).to.include("PASS sampleroute cache: Miss, Hit (Age 0); TTL wait skipped");
                expect(lines).to.include("SKIP sampleroute cache per user: needs a second --session-cookie (another person's)");
                expect(lines).to.include("SKIP sampleroute logout: does not end a browser's session that verify did not make");
                expect(lines.join("\n")).to.not.contain(cookie.slice("sampleroute-session=".length));
                expect(summary.failed).to.equal(0);

                // Two people's cookies: the per-user cache check runs.
                const two = await verify(servers, { sessionCookies: [cookie, other], skipTtl: true });
                expect(two.lines).to.include(
                    `PASS sampleroute cache per user: session 2 (--session-cookie, ${fingerprint(other)}) got its own entry (Miss)`,
                );
                expect(two.summary.failed).to.equal(0);
                // verify itself made no users: the two are the test's own.
                expect(servers.adminCalls.filter((c) => c === "AdminCreateUser")).to.have.length(2);
            } finally {
                await servers.close();
            }
        });

        const signInFailures: [string, World, string][] = [
            [
                "credentials that may not create users",
                { adminDenied: true },
                `FAIL temporary users: could not create a user in user pool ${USER_POOL_ID} (us-east-1): AccessDeniedException: ` +
                    "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cognito-idp:AdminCreateUser",
            ],
            [
                "a route URL that is not a callback URL of the web client",
                { callbackNotRegistered: true },
                "FAIL sampleroute sign-in (user 1): the hosted UI answered with an error (redirect_mismatch) at http://127.0.0.1:",
            ],
            [
                "a login form that posts somewhere else",
                { loginFormElsewhere: true },
                "FAIL sampleroute sign-in (user 1): the login form at http://127.0.0.1:",
            ],
            [
                "a pool that asks for a second factor",
                { mfaRequired: true },
                "FAIL sampleroute sign-in (user 1): the hosted UI did not send the browser back after the login form (200 at http://127.0.0.1:",
            ],
            [
                "a password the hosted UI does not take",
                { passwordIgnored: true },
                'FAIL sampleroute sign-in (user 1): the hosted UI did not send the browser back after the login form (200: "Incorrect username or password." at http://127.0.0.1:',
            ],
            [
                "a gateway that keeps no session after the callback",
                { sessionNotKept: true },
                "FAIL sampleroute sign-in (user 1): after the callback the gateway answered 302 to http://127.0.0.1:",
            ],
            [
                "a browser route open without a session",
                { browserOpen: true },
                "FAIL sampleroute without a session: answered 200 instead of redirecting to http://127.0.0.1:",
            ],
            [
                "a session cache entry served to another user",
                { sharedCache: true },
                "FAIL sampleroute cache per user: the response cached for kong-cognito-verify-",
            ],
            [
                "a session cache that never hits",
                { noCache: true },
                "FAIL sampleroute cache: second request X-Cache-Status Miss, expected Hit",
            ],
            [
                "a logout that leaves the session",
                { logoutKeepsSession: true },
                "FAIL sampleroute logout: after the logout the route answered 200 for kong-cognito-verify-",
            ],
            [
                "a logout that ends the gateway's session but not Cognito's",
                { logoutSkipsCognito: true },
                "FAIL sampleroute logout ends the Cognito session: after the logout the hosted UI sent kong-cognito-verify-",
            ],
            [
                "a signed-out URL that is not a logout URL of the web client",
                { logoutUrlNotRegistered: true },
                "FAIL sampleroute logout: the logout (POST /sampleroute/logout → /logout → /error) ended with 400 at http://127.0.0.1:",
            ],
            [
                "credentials that may not delete users",
                { deleteDenied: true },
                "FAIL temporary users deleted: could not delete kong-cognito-verify-",
            ],
        ];
        for (const [what, world, line] of signInFailures) {
            itFailsOn(what, world, line, true);
        }

        it("signs out with a method the route takes: POST by default (Kong's POST and DELETE), GET where the route asks for it", async () => {
            for (const [logoutMethods, method, listed] of [
                [undefined, "POST", ["POST", "DELETE"]],
                [["GET"], "GET", ["GET"]],
                [["DELETE"], "DELETE", ["DELETE"]],
            ] as [string[] | undefined, string, string[]][]) {
                const servers = await startWorld({ logoutMethods });
                try {
                    expect(servers.outputs.routes[2].logoutMethods).to.deep.equal(listed);
                    const { lines, summary } = await verify(servers, { users: signInUsers(servers), skipTtl: true });
                    expect(lines.find((l) => l.startsWith("PASS sampleroute logout:"))).to.match(
                        new RegExp(`^PASS sampleroute logout: ${method} /sampleroute/logout → /logout → /signed-out \\(200\\);`),
                    );
                    expect(summary.failed, lines.join("\n")).to.equal(0);
                } finally {
                    await servers.close();
                }
            }
        });

        it("says so when the logout URL does not sign out with the method the outputs list", async () => {
            // The outputs say GET; the plugin takes POST and DELETE only, and passes the GET upstream.
            const servers = await startWorld({
                logoutMethods: ["GET"],
                pluginConfig: (_route, config) => ({ ...config, logout_methods: ["POST", "DELETE"] }),
            });
            try {
                const { lines } = await verify(servers, { users: signInUsers(servers), skipTtl: true });
                expect(lines.find((l) => l.startsWith("FAIL sampleroute logout:"))).to.match(
                    new RegExp(
                        "^FAIL sampleroute logout: the logout \\(GET /sampleroute/logout\\) ended with 200 at http://127\\.0\\.0\\.1:\\d+/sampleroute/logout, " +
                            "not at the signed-out URL http://127\\.0\\.0\\.1:\\d+/signed-out: the gateway did not sign out " +
                            "\\(openid-connect passes a request upstream when its method is not in logout_methods\\)$",
                    ),
                );
            } finally {
                await servers.close();
            }
        });

        it("says which logout skipped Cognito: the hosted UI signs the user in again without its form", async () => {
            const servers = await startWorld({ logoutSkipsCognito: true });
            try {
                const { lines } = await verify(servers, { users: signInUsers(servers) });
                const route = servers.outputs.routes[2];
                expect(lines.find((l) => l.startsWith("PASS sampleroute logout:"))).to.match(
                    /: POST \/sampleroute\/logout → \/signed-out \(200\);/,
                );
                expect(lines.find((l) => l.startsWith("FAIL sampleroute logout ends the Cognito session"))).to.match(
                    new RegExp(
                        `^FAIL sampleroute logout ends the Cognito session: after the logout the hosted UI sent kong-cognito-verify-[0-9a-f]+@example\\.com ` +
                            `back to ${route.url.replace(/\./g, "\\.")} with an authorization code without asking for credentials: ` +
                            "Cognito's session outlived the logout \\(the gateway's logout must go through Cognito's /logout with client_id and logout_uri\\)$",
                    ),
                );
            } finally {
                await servers.close();
            }
        });

        it("fails on openid-connect's own RP-initiated logout: Cognito's /logout takes no id_token_hint or post_logout_redirect_uri", async () => {
            // The config before the fix: Cognito's /logout URL in logout_redirect_uri, no end_session_endpoint.
            // The plugin then follows the discovery document's end_session_endpoint and sends that URL as
            // post_logout_redirect_uri, so Cognito's /logout gets neither client_id nor logout_uri.
            const servers = await startWorld({
                pluginConfig: (_route, { end_session_endpoint, ...config }) => ({
                    ...config,
                    logout_redirect_uri: [end_session_endpoint!],
                }),
            });
            try {
                const { lines, summary } = await verify(servers, { users: signInUsers(servers) });
                expect(lines.find((l) => l.startsWith("FAIL sampleroute logout:"))).to.match(
                    new RegExp(
                        "^FAIL sampleroute logout: the logout \\(POST /sampleroute/logout → /logout → /error\\) ended with 400 at http://127\\.0\\.0\\.1:\\d+/error, " +
                            `not at the signed-out URL ${servers.outputs.routes[2].signedOutUrl!.replace(/\./g, "\\.")}: ` +
                            "Cognito's /logout got id_token_hint, post_logout_redirect_uri; it needs client_id and logout_uri \\(a logout URL of the web client\\)$",
                    ),
                );
                expect(lines).to.include("SKIP sampleroute logout ends the Cognito session: needs the logout above");
                expect(exitCode(summary)).to.equal(1);
            } finally {
                await servers.close();
            }
        });

        describe("two browser routes on one host", () => {
            const together = "browser routes sampleroute and portal signed in at once";

            it("signs one browser in on both and finds both sessions kept: each route has its own cookie", async () => {
                const servers = await startWorld({ secondBrowserRoute: true });
                try {
                    const { lines, summary } = await verify(servers, { users: signInUsers(servers), skipTtl: true });
                    expect(lines.filter((l) => l.startsWith("FAIL"))).to.deep.equal([]);
                    expect(lines.find((l) => l.startsWith(`PASS ${together}`))).to.match(
                        new RegExp(
                            `^PASS ${together}: kong-cognito-verify-[0-9a-f]+@example\\.com keeps a session on each ` +
                                "\\(cookies: sampleroute sampleroute-session; portal portal-session\\)$",
                        ),
                    );
                    // Its last line, before the users are deleted: after every route's own checks.
                    expect(lines.slice(-3, -1).map((l) => l.split(":")[0])).to.deep.equal([
                        `PASS ${together}`,
                        "PASS temporary users deleted",
                    ]);
                    expect(summary.failed).to.equal(0);
                } finally {
                    await servers.close();
                }
            });

            it("fails when the routes keep openid-connect's default cookies: the second sign-in ends the first session", async () => {
                const servers = await startWorld({
                    secondBrowserRoute: true,
                    pluginConfig: defaultSessionCookies,
                });
                try {
                    const { lines, summary } = await verify(servers, { users: signInUsers(servers), skipTtl: true });
                    expect(lines.filter((l) => l.startsWith("FAIL")).map((l) => l.split(":")[0])).to.deep.equal([`FAIL ${together}`]);
                    expect(lines.find((l) => l.startsWith(`FAIL ${together}`))).to.match(
                        new RegExp(
                            `^FAIL ${together}: signing in on portal ended kong-cognito-verify-[0-9a-f]+@example\\.com's session on sampleroute ` +
                                "\\(it answered 302\\): it shares the cookie session with portal; each browser route needs its own session cookie \\(name or path\\)$",
                        ),
                    );
                    expect(exitCode(summary)).to.equal(1);
                } finally {
                    await servers.close();
                }
            });

            it("skips without --sign-in: one browser must sign in on each route", async () => {
                const servers = await startWorld({ secondBrowserRoute: true });
                try {
                    const { lines } = await verify(servers);
                    expect(lines).to.include(`SKIP ${together}: needs --sign-in: one browser signs in on each route`);
                } finally {
                    await servers.close();
                }
            });
        });

        it("makes no users when no route needs a session (a Kong OSS stack)", async () => {
            const servers = await startWorld({ jwtPlugin: true });
            try {
                const { lines, summary } = await verify(servers, { users: signInUsers(servers) });
                expect(servers.adminCalls).to.deep.equal([]);
                expect(lines.some((l) => l.includes("temporary users"))).to.equal(false);
                expect(summary.failed).to.equal(0);
            } finally {
                await servers.close();
            }
        });

        it("says why the gateway sent the browser back to the sign-in", async () => {
            const servers = await startWorld({ sessionNotKept: true });
            try {
                const { lines } = await verify(servers, { users: signInUsers(servers) });
                expect(lines.find((l) => l.startsWith("FAIL sampleroute sign-in (user 1)"))).to.match(
                    /\/oauth2\/authorize: the gateway sent the browser to the sign-in again \(session cookie not kept, or session_secret differs between Kong nodes\)$/,
                );
                expect(lines).to.include("SKIP sampleroute with a session: no session (see the sign-in above)");
            } finally {
                await servers.close();
            }
        });
    });

    it("skips the checks that need a token when Cognito gives none, after bounded retries", async () => {
        const servers = await startWorld({ tokenDown: true });
        try {
            const { lines, summary } = await verify(servers);
            expect(lines).to.include("SKIP oidcroute with a bearer token: no token from Cognito (see above)");
            expect(lines.find((l) => l.startsWith("FAIL token (form post)"))).to.contain("ECONNREFUSED");
            // Discovery and JWKS (2), two token requests of 2 attempts each (4), then the gateway:
            // three calls without a token and oidcroute with client credentials, which needs none (4).
            expect(summary.requests).to.equal(10);
        } finally {
            await servers.close();
        }
    });

    it("skips the TTL wait when asked", async () => {
        const servers = await startWorld();
        try {
            const { lines } = await verify(servers, { skipTtl: true });
            expect(lines).to.include("PASS cachedroute cache: Miss, Hit (Age 0); TTL wait skipped");
            expect(servers.clock.offsetMs).to.equal(0);
        } finally {
            await servers.close();
        }
    });

    it("fingerprints are short and stable", () => {
        expect(fingerprint("abc")).to.equal("#ba7816bf");
    });

    describe("the command", () => {
        const root = path.resolve(__dirname, "..");
        const dir = mkdtempSync(path.join(tmpdir(), "kong-cognito-verify-"));
        // A child process: exit status, stdout and stderr, and the AWS SDK's settings from the environment
        // are the behaviour under test. Asynchronous: the stand-in servers answer from this process's
        // event loop meanwhile. As `npm run verify` runs it.
        const run = (...args: string[]) => runWith({}, ...args);
        const runWith = (env: Record<string, string>, ...args: string[]) =>
            new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
                const child = spawn(process.execPath, [...npmScriptArgs("verify"), ...args], {
                    cwd: root,
                    timeout: 30000,
                    env: { ...process.env, ...env },
                });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d) => (stdout += d));
                child.stderr.on("data", (d) => (stderr += d));
                child.on("close", (status) => resolve({ status, stdout, stderr }));
            });

        // Two runs end to end, one per exit status; which checks fail for which world is tested above, in this process.
        it("exits 0 when every check passed, printing no secret", async () => {
            const servers = await startWorld({});
            try {
                const file = path.join(dir, "outputs.json");
                writeFileSync(file, JSON.stringify({ ...servers.outputs, routes: servers.outputs.routes.slice(0, 1) }));
                const child = await run("dev", "--outputs", file, "--skip-ttl");
                expect(child.status, child.stdout + child.stderr).to.equal(0);
                expect(child.stdout).to.match(/^PASS /m);
                expect(child.stdout).to.not.match(/^FAIL /m);
                for (const secret of [CLIENT_SECRET, WEB_CLIENT_SECRET]) {
                    expect(child.stdout + child.stderr).to.not.contain(secret);
                }
            } finally {
                await servers.close();
            }
        });

        it("--sign-in: exits 1 when a check failed, its temporary users deleted all the same; the AWS SDK's usual settings", async () => {
            const servers = await startWorld({ logoutKeepsSession: true });
            try {
                const file = path.join(dir, "browser-outputs.json");
                writeFileSync(file, JSON.stringify({ ...servers.outputs, routes: servers.outputs.routes.slice(2) }));
                // The SDK's own environment: endpoint, region and credentials, as on a CI runner.
                const child = await runWith(
                    {
                        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: servers.adminEndpoint,
                        AWS_REGION: "us-east-1",
                        AWS_ACCESS_KEY_ID: "AKIDVERIFYTEST",
                        AWS_SECRET_ACCESS_KEY: "not-a-real-secret",
                        AWS_PROFILE: "",
                    },
                    "dev",
                    "--outputs",
                    file,
                    "--sign-in",
                    "--skip-ttl",
                );
                expect(child.status, child.stdout + child.stderr).to.equal(1);
                expect(child.stdout).to.match(/^FAIL sampleroute logout: after the logout the route answered 200/m);
                expect(child.stdout).to.match(/^PASS temporary users deleted: /m);
                expect([...servers.users.keys()]).to.deep.equal([]);
                for (const secret of [CLIENT_SECRET, WEB_CLIENT_SECRET]) {
                    expect(child.stdout + child.stderr).to.not.contain(secret);
                }
            } finally {
                await servers.close();
            }
        });

        it("refuses --sign-in with --session-cookie, and --aws-profile without --sign-in, in one line with exit 2", async () => {
            const both = await run("dev", "--sign-in", "--session-cookie", "session=x");
            expect(both.status).to.equal(2);
            expect(both.stderr.trim()).to.equal(
                "--sign-in and --session-cookie: give one of them (temporary users, or a browser's session) (npm run verify -- --help)",
            );
            const profile = await run("dev", "--aws-profile", "ops");
            expect(profile.status).to.equal(2);
            expect(profile.stderr).to.contain("--aws-profile: only --sign-in uses AWS credentials");
        });

        it("exits 2 and names what is missing from the outputs", async () => {
            const file = path.join(dir, "partial.json");
            writeFileSync(file, JSON.stringify({ issuerUrl: "https://x" }));
            const child = await run("dev", "--outputs", file);
            expect(child.status).to.equal(2);
            expect(child.stderr).to.contain("stack outputs are not what verify needs (discoveryUrl:");
        });
    });
});
