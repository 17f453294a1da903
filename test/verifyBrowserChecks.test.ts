// verify's browser-route checks called directly against the stand-ins of test/verifyWorld.ts, with
// users put straight into the stand-in pool (no AWS SDK): the temporary users' lifecycle, the
// session, logout and shared-host checks, and the line a user reads for each way they go wrong.
import { expect } from "chai";
import { RouteOutput } from "../stacks/outputs";
import { checkBrowserRoute, checkBrowserRoutesTogether, People } from "../tools/verify/browserChecks";
import { Browser, signInThroughHostedUi } from "../tools/verify/browser";
import { CheckRunner, fingerprint, HttpClient } from "../tools/verify/checks";
import { TemporaryUser, TemporaryUsers } from "../tools/verify/cognitoUsers";
import { Context } from "../tools/verify/context";
import { VerifyOptions } from "../tools/verify/options";
import { defaultSessionCookies, Servers, startWorld, World } from "./verifyWorld";

/** Users made straight in the stand-in pool; `failCreate` / `failDelete` say which calls throw. */
function poolUsers(
    servers: Servers | undefined,
    fail: { create?: number[]; delete?: string[]; wrongPassword?: number[] } = {},
): TemporaryUsers & { closed: number; deleted: string[] } {
    let made = 0;
    const users = {
        closed: 0,
        deleted: [] as string[],
        description: "user pool us-east-1_VERIFY (stand-in)",
        create: async (): Promise<TemporaryUser> => {
            made++;
            if (fail.create?.includes(made)) {
                throw Object.assign(new Error("not allowed\nsecond line"), { name: "AccessDeniedException" });
            }
            const user = { username: `user${made}@example.com`, password: `password-${made}-never-printed` };
            const stored = fail.wrongPassword?.includes(made) ? "another password" : user.password;
            servers?.users.set(user.username, { password: stored, attributes: {} });
            return user;
        },
        delete: async (username: string) => {
            if (fail.delete?.includes(username)) {
                throw Object.assign(new Error("not allowed"), { name: "AccessDeniedException" });
            }
            users.deleted.push(username);
            servers?.users.delete(username);
        },
        close: () => {
            users.closed++;
        },
    };
    return users;
}

const worlds: Servers[] = [];
const clients: HttpClient[] = [];

afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(worlds.splice(0).map((s) => s.close()));
});

async function world(switches: World = {}): Promise<Servers> {
    const servers = await startWorld(switches);
    worlds.push(servers);
    return servers;
}

/** A Context on the world's outputs; the lines printed. */
function contextFor(servers: Servers, options: Partial<VerifyOptions> = {}): { context: Context; lines: string[]; checks: CheckRunner } {
    const lines: string[] = [];
    const http = new HttpClient(false, 3000, 1, async () => undefined);
    clients.push(http);
    const log = (line: string) => lines.push(line);
    const checks = new CheckRunner(log);
    const sleep = async (ms: number) => {
        servers.clock.offsetMs += ms;
    };
    return {
        context: { outputs: servers.outputs, http, checks, options: { outputs: servers.outputs, ...options }, sleep, log },
        lines,
        checks,
    };
}

/** The lines with the world's port and fingerprints made stable. */
function stable(lines: string[]): string[] {
    return lines.map((l) => l.replace(/127\.0\.0\.1:\d+/g, "HOST").replace(/#[0-9a-f]{8}/g, "#fp"));
}

const sampleroute = (servers: Servers, more: Partial<RouteOutput> = {}): RouteOutput => ({
    ...servers.outputs.routes.find((r) => r.name === "sampleroute")!,
    ...more,
});

describe("verify's browser-route checks", function () {
    this.timeout(20000);

    describe("People: the run's temporary users", () => {
        it("makes two users once, however often asked, and deletes both at the end", async () => {
            const lines: string[] = [];
            const users = poolUsers(undefined);
            const people = new People(users, new CheckRunner((l) => lines.push(l)));
            const first = await people.get();
            expect(await people.get()).to.equal(first);
            expect(first?.map((u) => u.username)).to.deep.equal(["user1@example.com", "user2@example.com"]);
            await people.cleanUp();
            expect(lines).to.deep.equal([
                "PASS temporary users: created user1@example.com and user2@example.com in user pool us-east-1_VERIFY (stand-in)",
                "PASS temporary users deleted: deleted user1@example.com and user2@example.com",
            ]);
            expect(users.deleted).to.deep.equal(["user1@example.com", "user2@example.com"]);
            expect(users.closed).to.equal(1);
        });

        it("fails on the first user with the AWS error's first line, has no users, and has nothing to delete", async () => {
            const lines: string[] = [];
            const users = poolUsers(undefined, { create: [1] });
            const people = new People(users, new CheckRunner((l) => lines.push(l)));
            expect(await people.get()).to.equal(undefined);
            expect(await people.get()).to.equal(undefined);
            await people.cleanUp();
            expect(lines).to.deep.equal([
                "FAIL temporary users: could not create a user in user pool us-east-1_VERIFY (stand-in): AccessDeniedException: not allowed",
            ]);
            expect(users.closed).to.equal(1);
        });

        it("fails on the second user, says the first is deleted at the end, and deletes it", async () => {
            const lines: string[] = [];
            const users = poolUsers(undefined, { create: [2] });
            const people = new People(users, new CheckRunner((l) => lines.push(l)));
            expect(await people.get()).to.equal(undefined);
            await people.cleanUp();
            expect(lines).to.deep.equal([
                "FAIL temporary users: could not create a user in user pool us-east-1_VERIFY (stand-in): AccessDeniedException: not allowed",
                "note: user1@example.com was made before the failure; it is deleted at the end",
                "PASS temporary users deleted: deleted user1@example.com",
            ]);
        });

        it("makes and deletes nothing when never asked, and still releases the client", async () => {
            const lines: string[] = [];
            const users = poolUsers(undefined);
            await new People(users, new CheckRunner((l) => lines.push(l))).cleanUp();
            expect(lines).to.deep.equal([]);
            expect(users.closed).to.equal(1);
        });

        it("tries every user when one cannot be deleted, and names each left behind", async () => {
            for (const [failing, line] of [
                [
                    ["user1@example.com"],
                    "FAIL temporary users deleted: could not delete user1@example.com (AccessDeniedException: not allowed): " +
                        "delete by hand with `aws cognito-idp admin-delete-user`",
                ],
                [
                    ["user1@example.com", "user2@example.com"],
                    "FAIL temporary users deleted: could not delete user1@example.com (AccessDeniedException: not allowed), " +
                        "user2@example.com (AccessDeniedException: not allowed): delete by hand with `aws cognito-idp admin-delete-user`",
                ],
            ] as [string[], string][]) {
                const lines: string[] = [];
                const users = poolUsers(undefined, { delete: failing });
                const people = new People(users, new CheckRunner((l) => lines.push(l)));
                await people.get();
                await people.cleanUp();
                expect(lines[1]).to.equal(line);
                expect(users.deleted).to.deep.equal(["user1@example.com", "user2@example.com"].filter((u) => !failing.includes(u)));
                expect(users.closed).to.equal(1);
            }
        });
    });

    describe("a browser route", () => {
        it("skips every session check, each with its reason, when the users could not be made", async () => {
            const servers = await world();
            const { context, lines, checks } = contextFor(servers);
            await checkBrowserRoute(context, sampleroute(servers), new People(poolUsers(servers, { create: [1] }), checks));
            expect(lines.slice(1)).to.deep.equal([
                "SKIP sampleroute with a session: no temporary users (see above)",
                "SKIP sampleroute cache: no temporary users (see above)",
                "SKIP sampleroute cache per user: no temporary users (see above)",
                "SKIP sampleroute logout: no temporary users (see above)",
                "SKIP sampleroute logout ends the Cognito session: needs the logout above",
            ]);
        });

        it("signs in with --sign-in when the session-cookie list is empty, and checks no cache or logout a route does not have", async () => {
            const servers = await world();
            const { context, lines, checks } = contextFor(servers, { sessionCookies: [], skipTtl: true });
            const people = new People(poolUsers(servers), checks);
            await checkBrowserRoute(context, sampleroute(servers, { cacheTtlSeconds: undefined, logoutUrl: undefined }), people);
            await people.cleanUp();
            expect(stable(lines).map((l) => l.split(":")[0])).to.deep.equal([
                "PASS temporary users",
                "PASS sampleroute sign-in (user 1)",
                "PASS sampleroute sign-in (user 2)",
                "PASS sampleroute with a session",
                "PASS temporary users deleted",
            ]);
            expect(stable(lines)[1]).to.equal(
                "PASS sampleroute sign-in (user 1): user1@example.com: /sampleroute → /oauth2/authorize → /login → /login → /sampleroute → /sampleroute, 200; " +
                    "gateway cookies sampleroute-session#fp",
            );
            expect(lines.join("\n")).to.not.contain("never-printed");
        });

        it("needs a second signed-in user for the per-user cache check when one sign-in failed", async () => {
            const servers = await world();
            const { context, lines, checks } = contextFor(servers, { skipTtl: true });
            const people = new People(poolUsers(servers, { wrongPassword: [2] }), checks);
            await checkBrowserRoute(context, sampleroute(servers, { logoutUrl: undefined }), people);
            expect(lines).to.include("SKIP sampleroute cache per user: needs a second signed-in user (see the sign-ins above)");
            expect(lines).to.include("PASS sampleroute with a session: 200 for user1@example.com");
        });

        it("fails a session cookie the gateway does not take, saying it was sent to the sign-in", async () => {
            const servers = await world();
            const cookie = "sampleroute-session=not-a-session";
            const { context, lines } = contextFor(servers, { sessionCookies: [cookie], skipTtl: true });
            await checkBrowserRoute(context, sampleroute(servers, { logoutUrl: undefined }), undefined);
            expect(lines[0]).to.equal(
                `FAIL sampleroute with a session: answered 302 with session 1 (--session-cookie, ${fingerprint(cookie)})'s session ` +
                    "(sent to the sign-in: the session is not accepted)",
            );
        });

        it("fails a session answered with an error, without the sign-in hint", async () => {
            const servers = await world();
            const { context, lines } = contextFor(servers, { sessionCookies: ["a=b"], skipTtl: true });
            // The gateway's API answer for a path no browser route owns: 401.
            const route = sampleroute(servers, {
                url: servers.outputs.routes[0].url.replace("/oidcroute", "/nowhere"),
                logoutUrl: undefined,
            });
            await checkBrowserRoute(context, { ...route, cacheTtlSeconds: undefined }, undefined);
            expect(lines).to.deep.equal([
                `FAIL sampleroute with a session: answered 401 with session 1 (--session-cookie, ${fingerprint("a=b")})'s session`,
            ]);
        });

        it("signs two users in, checks the session, the cache per user and the logout through Cognito, and notes a replayable cookie", async () => {
            const servers = await world();
            const { context, lines, checks } = contextFor(servers);
            const people = new People(poolUsers(servers), checks);
            await checkBrowserRoute(context, sampleroute(servers), people);
            await people.cleanUp();
            expect(stable(lines).slice(3)).to.deep.equal([
                "PASS sampleroute with a session: 200 for user1@example.com",
                "PASS sampleroute cache: Miss, Hit (Age 0), Miss after 31 s",
                "PASS sampleroute cache per user: user2@example.com got its own entry (Miss)",
                "note sampleroute: a copy of the session cookie taken before the logout still opens the route until the session times out " +
                    "(session_storage cookie keeps the session in the cookie; with redis storage the logout ends it on the server)",
                "PASS sampleroute logout: POST /sampleroute/logout → /logout → /signed-out (200); the route then sends user1@example.com to the sign-in",
                "PASS sampleroute logout ends the Cognito session: the hosted UI asks user1@example.com to sign in again (http://HOST/login)",
                "PASS temporary users deleted: deleted user1@example.com and user2@example.com",
            ]);
            // As a browser's sign-out form posts.
            expect(servers.logouts).to.deep.equal([{ method: "POST", contentType: "application/x-www-form-urlencoded", body: "" }]);
        });

        it("notes nothing when the logout ends every copy of the session cookie (sessions kept on the server)", async () => {
            const servers = await world({ serverSideSessions: true });
            const { context, lines, checks } = contextFor(servers, { skipTtl: true });
            await checkBrowserRoute(context, sampleroute(servers, { cacheTtlSeconds: undefined }), new People(poolUsers(servers), checks));
            expect(lines.filter((l) => l.startsWith("note"))).to.deep.equal([]);
            expect(lines.filter((l) => l.startsWith("FAIL"))).to.deep.equal([]);
        });

        it("skips every session check without --sign-in or --session-cookie", async () => {
            const servers = await world();
            const { context, lines } = contextFor(servers);
            await checkBrowserRoute(context, sampleroute(servers), undefined);
            const why = "needs a signed-in session: pass --sign-in (temporary users) or --session-cookie";
            expect(lines).to.deep.equal([
                `SKIP sampleroute with a session: ${why}`,
                `SKIP sampleroute cache: ${why}`,
                `SKIP sampleroute cache per user: ${why}`,
                `SKIP sampleroute logout: ${why}`,
                "SKIP sampleroute logout ends the Cognito session: needs the logout above",
            ]);
        });

        it("takes a signed-in browser's cookie (--session-cookie): its session, no per-user cache without a second, no logout of it", async () => {
            const servers = await world();
            const http = new HttpClient(false, 3000, 1, async () => undefined);
            clients.push(http);
            const browser = new Browser(http);
            const user = await poolUsers(servers).create();
            await signInThroughHostedUi(browser, sampleroute(servers).url, servers.outputs.authorizeEndpoint, user);
            const cookie = browser
                .cookiesOf(sampleroute(servers).url)
                .map((c) => `${c.key}=${c.value}`)
                .join("; ");
            const { context, lines } = contextFor(servers, { sessionCookies: [cookie], skipTtl: true });
            await checkBrowserRoute(context, sampleroute(servers), undefined);
            const label = `session 1 (--session-cookie, ${fingerprint(cookie)})`;
            expect(lines).to.deep.equal([
                `PASS sampleroute with a session: 200 for ${label}`,
                "PASS sampleroute cache: Miss, Hit (Age 0); TTL wait skipped",
                "SKIP sampleroute cache per user: needs a second --session-cookie (another person's)",
                "SKIP sampleroute logout: does not end a browser's session that verify did not make",
                "SKIP sampleroute logout ends the Cognito session: needs the logout above",
            ]);
            expect(servers.logouts).to.deep.equal([]);
        });

        it("fails a sign-in the gateway does not keep, and skips the session checks for want of a session", async () => {
            const servers = await world({ sessionNotKept: true });
            const { context, lines, checks } = contextFor(servers, { skipTtl: true });
            await checkBrowserRoute(context, sampleroute(servers, { logoutUrl: undefined }), new People(poolUsers(servers), checks));
            const loop =
                "after the callback the gateway answered 302 to http://HOST/oauth2/authorize: the gateway sent the browser " +
                "to the sign-in again (session cookie not kept, or session_secret differs between Kong nodes)";
            expect(stable(lines).slice(1, 4)).to.deep.equal([
                `FAIL sampleroute sign-in (user 1): ${loop}`,
                `FAIL sampleroute sign-in (user 2): ${loop}`,
                "SKIP sampleroute with a session: no session (see the sign-in above)",
            ]);
        });

        it("fails a callback the gateway refuses, with its status alone", async () => {
            // The code exchange fails: the plugin answers 401 to the callback.
            const servers = await world({ pluginConfig: (_route, config) => ({ ...config, client_secret: ["not-the-secret"] }) });
            const { context, lines, checks } = contextFor(servers, { skipTtl: true });
            await checkBrowserRoute(context, sampleroute(servers, { logoutUrl: undefined }), new People(poolUsers(servers), checks));
            expect(lines[1]).to.equal("FAIL sampleroute sign-in (user 1): after the callback the gateway answered 401");
        });

        describe("logout", () => {
            async function logoutLines(switches: World, more: (servers: Servers) => Partial<RouteOutput> = () => ({})): Promise<string[]> {
                const servers = await world(switches);
                const { context, lines, checks } = contextFor(servers, { skipTtl: true });
                const people = new People(poolUsers(servers), checks);
                await checkBrowserRoute(context, sampleroute(servers, { cacheTtlSeconds: undefined, ...more(servers) }), people);
                await people.cleanUp();
                return stable(lines).filter((l) => /^(PASS|FAIL|SKIP) sampleroute logout/.test(l));
            }

            it("signs out with POST, else GET, else DELETE, else the route's only method; older outputs take GET and POST", async () => {
                for (const [methods, method] of [
                    [undefined, "POST"],
                    [["DELETE", "GET"], "GET"],
                    [["DELETE"], "DELETE"],
                    [["PATCH"], "PATCH"],
                    [["PATCH", "DELETE"], "DELETE"],
                ] as [string[] | undefined, string][]) {
                    // Kong takes no PATCH: the stand-in's plugin gets the other methods.
                    const kong = methods?.filter((m) => m !== "PATCH");
                    const lines = await logoutLines({ logoutMethods: kong?.length ? kong : undefined }, () => ({
                        logoutMethods: methods,
                    }));
                    expect(lines[0]).to.match(
                        new RegExp(`^(PASS|FAIL) sampleroute logout: (the logout \\()?${method} /sampleroute/logout`),
                    );
                }
            });

            it("fails a logout URL that answers an error (400 and up) itself", async () => {
                const lines = await logoutLines({}, (servers) => ({
                    logoutUrl: servers.outputs.authorizeEndpoint.replace("/oauth2/authorize", "/error"),
                }));
                expect(lines).to.deep.equal([
                    "FAIL sampleroute logout: POST http://HOST/error answered 400",
                    "SKIP sampleroute logout ends the Cognito session: needs the logout above",
                ]);
            });

            it("says Cognito's /logout refused the signed-out URL when it got client_id and logout_uri", async () => {
                const lines = await logoutLines({ logoutUrlNotRegistered: true });
                expect(lines[0]).to.equal(
                    "FAIL sampleroute logout: the logout (POST /sampleroute/logout → /logout → /error) ended with 400 at http://HOST/error, " +
                        "not at the signed-out URL http://HOST/signed-out: Cognito's /logout refused it; " +
                        "is http://HOST/signed-out a logout URL of the web client?",
                );
            });

            it("passes a logout that sends the browser to the sign-in without following it there", async () => {
                // The signed-out URL is the route itself, which sends a signed-out browser to the sign-in.
                const lines = await logoutLines(
                    {
                        logoutSkipsCognito: true,
                        pluginConfig: (_route, config) => ({ ...config, logout_redirect_uri: config.redirect_uri }),
                    },
                    (servers) => ({ signedOutUrl: sampleroute(servers).url }),
                );
                expect(lines[0]).to.equal(
                    "PASS sampleroute logout: POST /sampleroute/logout → /sampleroute (302); the route then sends user1@example.com to the sign-in",
                );
            });

            it("fails a logout that leaves the session", async () => {
                const lines = await logoutLines({ logoutKeepsSession: true });
                expect(lines).to.deep.equal([
                    "FAIL sampleroute logout: after the logout the route answered 200 for user1@example.com, expected a redirect to the sign-in",
                    "SKIP sampleroute logout ends the Cognito session: needs the logout above",
                ]);
            });

            it("fails a logout that skips Cognito: the hosted UI sends the user back with a code without its form", async () => {
                const lines = await logoutLines({ logoutSkipsCognito: true });
                expect(lines).to.deep.equal([
                    "PASS sampleroute logout: POST /sampleroute/logout → /signed-out (200); the route then sends user1@example.com to the sign-in",
                    "FAIL sampleroute logout ends the Cognito session: after the logout the hosted UI sent user1@example.com back to " +
                        "http://HOST/sampleroute with an authorization code without asking for credentials: Cognito's session outlived the logout " +
                        "(the gateway's logout must go through Cognito's /logout with client_id and logout_uri)",
                ]);
            });

            it("fails when the hosted UI shows no sign-in form after the logout", async () => {
                const lines = await logoutLines({ scriptedLoginAfterLogout: true });
                expect(lines[1]).to.equal(
                    "FAIL sampleroute logout ends the Cognito session: after the logout the hosted UI answered 200 at http://HOST/login, not its sign-in form",
                );
            });

            it("names what Cognito's /logout got when it got nothing, and finds no /logout in a chain that only reached Cognito's error page", async () => {
                const hosted = (config: { revocation_endpoint?: string }, path: string) => [
                    new URL(path, config.revocation_endpoint).toString(),
                ];
                const bare = await logoutLines({
                    logoutSkipsCognito: true,
                    pluginConfig: (_route, config) => ({ ...config, logout_redirect_uri: hosted(config, "/logout") }),
                });
                expect(bare[0]).to.match(
                    /: Cognito's \/logout got no parameters; it needs client_id and logout_uri \(a logout URL of the web client\)$/,
                );
                const error = await logoutLines({
                    logoutSkipsCognito: true,
                    pluginConfig: (_route, config) => ({ ...config, logout_redirect_uri: hosted(config, "/error?error=x") }),
                });
                expect(error[0]).to.match(
                    / → \/error\) ended with 400 at http:\/\/HOST\/error, .*: the chain never reached Cognito's \/logout$/,
                );
            });

            it("says the gateway did not sign out when the logout URL answered without redirecting", async () => {
                const lines = await logoutLines({
                    logoutMethods: ["GET"],
                    pluginConfig: (_route, config) => ({ ...config, logout_methods: ["POST", "DELETE"] }),
                });
                expect(lines[0]).to.equal(
                    "FAIL sampleroute logout: the logout (GET /sampleroute/logout) ended with 200 at http://HOST/sampleroute/logout, " +
                        "not at the signed-out URL http://HOST/signed-out: the gateway did not sign out " +
                        "(openid-connect passes a request upstream when its method is not in logout_methods)",
                );
            });

            it("names what Cognito's /logout got when it lacked logout_uri", async () => {
                const lines = await logoutLines({
                    pluginConfig: (_route, config) => ({
                        ...config,
                        logout_redirect_uri: undefined,
                        end_session_endpoint: `${new URL(config.end_session_endpoint!).origin}/logout?client_id=web-client`,
                    }),
                });
                expect(lines[0]).to.equal(
                    "FAIL sampleroute logout: the logout (POST /sampleroute/logout → /logout → /error) ended with 400 at http://HOST/error, " +
                        "not at the signed-out URL http://HOST/signed-out: Cognito's /logout got client_id, id_token_hint; " +
                        "it needs client_id and logout_uri (a logout URL of the web client)",
                );
            });

            it("says the chain never reached Cognito's /logout when the gateway sent the browser elsewhere", async () => {
                const lines = await logoutLines({
                    logoutSkipsCognito: true,
                    pluginConfig: (_route, config) => ({
                        ...config,
                        logout_redirect_uri: [new URL("/elsewhere", config.redirect_uri![0]).toString()],
                    }),
                });
                expect(lines[0]).to.equal(
                    "FAIL sampleroute logout: the logout (POST /sampleroute/logout → /elsewhere) ended with 401 at http://HOST/elsewhere, " +
                        "not at the signed-out URL http://HOST/signed-out: the chain never reached Cognito's /logout",
                );
                // A /logout of the gateway's own is not Cognito's.
                const own = await logoutLines({
                    logoutSkipsCognito: true,
                    pluginConfig: (_route, config) => ({
                        ...config,
                        logout_redirect_uri: [new URL("/logout", config.redirect_uri![0]).toString()],
                    }),
                });
                expect(own[0]).to.match(/: the chain never reached Cognito's \/logout$/);
            });

            it("without a signed-out URL, fails a chain that ends in an error page", async () => {
                const lines = await logoutLines({ logoutUrlNotRegistered: true }, () => ({ signedOutUrl: undefined }));
                expect(lines[0]).to.equal(
                    "FAIL sampleroute logout: the signed-out page http://HOST/error answered 400 (POST /sampleroute/logout → /logout → /error)",
                );
            });

            it("without a signed-out URL, passes a chain that ends in a page", async () => {
                const lines = await logoutLines({}, () => ({ signedOutUrl: undefined }));
                expect(lines[0]).to.equal(
                    "PASS sampleroute logout: POST /sampleroute/logout → /logout → /signed-out (200); the route then sends user1@example.com to the sign-in",
                );
            });
        });
    });

    describe("browser routes on one host", () => {
        it("signs one browser in on three routes and names them all; routes on other hosts are not checked together", async () => {
            const servers = await world({ secondBrowserRoute: true, moreBrowserRoutes: ["third"] });
            const { context, lines, checks } = contextFor(servers);
            const people = new People(poolUsers(servers), checks);
            const [sample, portal, third] = servers.outputs.routes.filter((r) => r.mode === "browser");
            const elsewhere = { ...sample, name: "elsewhere", url: sample.url.replace("127.0.0.1", "localhost") };
            await checkBrowserRoutesTogether(context, [sample, elsewhere, portal, third], people);
            expect(stable(lines)).to.deep.equal([
                "PASS temporary users: created user1@example.com and user2@example.com in user pool us-east-1_VERIFY (stand-in)",
                "PASS browser routes sampleroute, portal and third signed in at once: user1@example.com keeps a session on each " +
                    "(cookies: sampleroute sampleroute-session; portal portal-session; third third-session)",
            ]);
        });

        it("fails when the routes share the plugin's default cookies, naming the cookie and the routes signed in later", async () => {
            const servers = await world({
                secondBrowserRoute: true,
                moreBrowserRoutes: ["third"],
                pluginConfig: defaultSessionCookies,
            });
            const { context, lines, checks } = contextFor(servers);
            const routes = servers.outputs.routes.filter((r) => r.mode === "browser");
            await checkBrowserRoutesTogether(context, routes, new People(poolUsers(servers), checks));
            expect(lines[1]).to.equal(
                "FAIL browser routes sampleroute, portal and third signed in at once: signing in on portal, third ended user1@example.com's session " +
                    "on sampleroute (it answered 302): it shares the cookie session with portal, third; " +
                    "each browser route needs its own session cookie (name or path)",
            );
        });

        it("fails when the last route loses its session, without a shared cookie to blame", async () => {
            const servers = await world({ secondBrowserRoute: true, forgetsSessions: ["portal"] });
            const { context, lines, checks } = contextFor(servers);
            const routes = servers.outputs.routes.filter((r) => r.mode === "browser");
            await checkBrowserRoutesTogether(context, routes, new People(poolUsers(servers), checks));
            expect(lines[1]).to.equal(
                "FAIL browser routes sampleroute and portal signed in at once: signing in on the other routes ended user1@example.com's session " +
                    "on portal (it answered 302); each browser route needs its own session cookie (name or path)",
            );
        });

        it("skips without --sign-in", async () => {
            const servers = await world({ secondBrowserRoute: true });
            const { context, lines } = contextFor(servers);
            await checkBrowserRoutesTogether(
                context,
                servers.outputs.routes.filter((r) => r.mode === "browser"),
                undefined,
            );
            expect(lines).to.deep.equal([
                "SKIP browser routes sampleroute and portal signed in at once: needs --sign-in: one browser signs in on each route",
            ]);
        });

        it("skips without users, and fails a sign-in that does not come back, naming the route", async () => {
            const servers = await world({ secondBrowserRoute: true, sessionNotKept: true });
            const routes = servers.outputs.routes.filter((r) => r.mode === "browser");
            const none = contextFor(servers);
            await checkBrowserRoutesTogether(none.context, routes, new People(poolUsers(servers, { create: [1] }), none.checks));
            expect(none.lines[1]).to.equal("SKIP browser routes sampleroute and portal signed in at once: no temporary users (see above)");
            const failing = contextFor(servers);
            await checkBrowserRoutesTogether(failing.context, routes, new People(poolUsers(servers), failing.checks));
            expect(failing.lines[1]).to.equal(
                "FAIL browser routes sampleroute and portal signed in at once: user1@example.com could not sign in on sampleroute (302 after the callback)",
            );
        });
    });
});
