// verify's checks of browser routes: temporary users signed in through the hosted UI (or given
// session cookies), the cache per user, logout through Cognito, and routes sharing a host.
import { RouteOutput } from "../../stacks/outputs";
import { Browser, fillLoginForm, signInThroughHostedUi, where } from "./browser";
import { CheckFailure, CheckRunner, CheckSkipped, fingerprint, isRedirect, isSuccess, sendsToSignIn } from "./checks";
import { awsErrorLine, TemporaryUser, TemporaryUsers } from "./cognitoUsers";
import { Caller, Callers, Context } from "./context";
import { checkRouteCache } from "./routeChecks";

/** The run's temporary users: made on first use, deleted at the end, whatever happened. */
export class People {
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
                    // One at a time: a user made before a failure is still deleted at the end.
                    made.push(await this.users.create());
                    made.push(await this.users.create());
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
            if (!isSuccess(status)) {
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
export async function checkBrowserRoute(context: Context, route: RouteOutput, people: People | undefined): Promise<void> {
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
        if (!isSuccess(response.status)) {
            const again = sendsToSignIn(response, outputs.authorizeEndpoint) ? " (sent to the sign-in: the session is not accepted)" : "";
            throw new CheckFailure(`answered ${response.status} with ${session.label}'s session${again}`);
        }
        return `${response.status} for ${session.label}`;
    });
    if (route.cacheTtlSeconds !== undefined) {
        const callers: Callers =
            sessions.length > 0
                ? {
                      callers: sessions,
                      // All made by verify, or all given cookies.
                      noSecond: sessions[0].ours
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
        if (!sendsToSignIn(after, outputs.authorizeEndpoint)) {
            throw new CheckFailure(
                `after the logout the route answered ${after.status} for ${session.label}, expected a redirect to the sign-in`,
            );
        }
        // A copy of the old cookie: with cookie storage the session lives in the cookie itself.
        const replay = new Browser(context.http);
        replay.addCookies(before.map((c) => `${c.key}=${c.value}`).join("; "), route.url);
        const replayed = await replay.request("GET", route.url);
        if (isSuccess(replayed.status)) {
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
        const page = await session.browser.navigate(route.url, {}, (next) => new URL(next).origin !== idpOrigin);
        const back = page.response.headers.location;
        if (isRedirect(page.response.status) && back !== undefined) {
            const to = new URL(back, page.url);
            const code = to.searchParams.has("code") ? " with an authorization code" : "";
            throw new CheckFailure(
                `after the logout the hosted UI sent ${session.label} back to ${where(to.toString())}${code} without asking for credentials: ` +
                    "Cognito's session outlived the logout (the gateway's logout must go through Cognito's /logout with client_id and logout_uri)",
            );
        }
        // Stryker disable next-line StringLiteral: the credentials fill a form that is never sent; finding it does not depend on them
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
 * GET, else DELETE. Outputs of older stacks do not list them; those took GET and POST, so POST.
 */
function logoutMethodOf(route: RouteOutput): string {
    const allowed = route.logoutMethods ?? ["POST"];
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
export async function checkBrowserRoutesTogether(
    context: Context,
    routes: readonly RouteOutput[],
    people: People | undefined,
): Promise<void> {
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
            // The names of the gateway's cookies after each sign-in, route by route.
            const cookies: string[][] = [];
            for (const route of together) {
                // After the first, the hosted UI's own session signs the browser in without the form.
                const signIn = await signInThroughHostedUi(browser, route.url, outputs.authorizeEndpoint, user);
                if (!isSuccess(signIn.response.status)) {
                    throw new CheckFailure(
                        `${user.username} could not sign in on ${route.name} (${signIn.response.status} after the callback)`,
                    );
                }
                cookies.push(browser.cookiesOf(route.url).map((c) => c.key));
            }
            for (const [i, route] of together.entries()) {
                const response = await browser.request("GET", route.url);
                if (!isSuccess(response.status)) {
                    const later = together.slice(i + 1).map((r) => r.name);
                    const shared = cookies[i].filter((name) => cookies.slice(i + 1).some((names) => names.includes(name)));
                    const why = shared.length > 0 ? `: it shares the cookie ${shared.join(", ")} with ${later.join(", ")}` : "";
                    throw new CheckFailure(
                        `signing in on ${later.join(", ") || "the other routes"} ended ${user.username}'s session on ${route.name} ` +
                            `(it answered ${response.status})${why}; each browser route needs its own session cookie (name or path)`,
                    );
                }
            }
            const kept = together.map((r, i) => `${r.name} ${cookies[i].join(", ")}`).join("; ");
            return `${user.username} keeps a session on each (cookies: ${kept})`;
        });
    }
}
