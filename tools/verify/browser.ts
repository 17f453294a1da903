// A browser, as far as a sign-in needs one: a cookie jar (tough-cookie), redirects followed one hop
// at a time, and the hosted UI's login form filled in and posted (node-html-parser). It prints
// nothing; errors name hosts and paths, never a query (codes, state) or a cookie's value.
import { parse } from "node-html-parser";
import { Cookie, CookieJar } from "tough-cookie";
import { CheckFailure, HttpClient, HttpResponse } from "./checks";

/** Redirects followed per navigation: a sign-in takes five or six. */
const MAX_HOPS = 10;

/** Where a URL points, without its query: codes, state and tokens travel there. */
export function where(url: string): string {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
}

export interface Navigation {
    /** The last response: not a redirect, or a redirect `stopBefore` said not to follow. */
    readonly response: HttpResponse;
    /** The URL that answered it. */
    readonly url: string;
    /** Every URL requested, in order. */
    readonly chain: string[];
}

export class Browser {
    private readonly jar = new CookieJar();
    /** The names of the cookies each origin set: the gateway's session cookie, not the IdP's. */
    private readonly setBy = new Map<string, Set<string>>();

    constructor(private readonly http: HttpClient) {}

    /** Adds cookies as a browser's Cookie header carries them (`a=1; b=2`), for the site of `url`. */
    addCookies(header: string, url: string): void {
        for (const pair of header.split(";").map((p) => p.trim())) {
            if (pair.includes("=") && this.jar.setCookieSync(`${pair}; Path=/`, url, { ignoreError: true })) {
                this.remember(url, pair.slice(0, pair.indexOf("=")));
            }
        }
    }

    /** The cookies this browser sends to `url` that `url`'s origin set itself. Secret values. */
    cookiesOf(url: string): { key: string; value: string }[] {
        const names = this.setBy.get(new URL(url).origin) ?? new Set();
        return this.jar
            .getCookiesSync(url)
            .filter((c) => names.has(c.key))
            .map((c) => ({ key: c.key, value: c.value }));
    }

    /** One request with this browser's cookies; the answer's cookies are kept. */
    async request(method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
        const cookie = this.jar.getCookieStringSync(url);
        const response = await this.http.request(method, url, {
            ...init,
            headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
        });
        for (const header of response.setCookies) {
            // A cookie the site may not set (another domain, a bad attribute) is ignored, as a browser does.
            const name = this.jar.setCookieSync(header, url, { ignoreError: true })?.key ?? Cookie.parse(header)?.key;
            if (name) {
                this.remember(url, name);
            }
        }
        return response;
    }

    private remember(url: string, name: string): void {
        const origin = new URL(url).origin;
        this.setBy.set(origin, (this.setBy.get(origin) ?? new Set()).add(name));
    }

    /**
     * Requests `url` and follows redirects as a browser does (after a 301, 302 or 303 the next
     * request is a GET without a body; 307 and 308 repeat the request), until an answer that is not a redirect, or one to a URL `stopBefore` says not to follow.
     */
    async navigate(
        url: string,
        init: { method?: string; headers?: Record<string, string>; body?: string } = {},
        stopBefore: (next: string) => boolean = () => false,
    ): Promise<Navigation> {
        const chain: string[] = [];
        let method = init.method ?? "GET";
        let request: { headers?: Record<string, string>; body?: string } = { headers: init.headers, body: init.body };
        let current = url;
        for (;;) {
            chain.push(current);
            const response = await this.request(method, current, request);
            const location = response.headers.location;
            const next = location === undefined ? undefined : new URL(location, current).toString();
            if (response.status < 300 || response.status > 399 || next === undefined || stopBefore(next)) {
                return { response, url: current, chain };
            }
            if (chain.length > MAX_HOPS) {
                throw new CheckFailure(`more than ${MAX_HOPS} redirects from ${where(url)} (last ${where(current)})`);
            }
            if (response.status !== 307 && response.status !== 308) {
                method = "GET";
                request = {};
            }
            current = next;
        }
    }
}

/** A login form as a browser would submit it. */
export interface LoginForm {
    readonly action: string;
    readonly fields: URLSearchParams;
}

/**
 * Finds the page's first form with a password field and fills it in: hidden fields keep their
 * values (the hosted UI's `_csrf`), the user-name field (`username`, type email, or
 * autocomplete username) and the password field get the credentials, the first named submit
 * button is sent as clicked. Undefined when the page has no such form.
 */
export function fillLoginForm(html: string, pageUrl: string, username: string, password: string): LoginForm | undefined {
    const form = parse(html)
        .querySelectorAll("form")
        .find((f) => f.querySelector('input[type="password" i]') !== null);
    if (!form) {
        return undefined;
    }
    const fields = new URLSearchParams();
    let submitted = false;
    for (const input of form.querySelectorAll("input")) {
        const name = input.getAttribute("name");
        const type = (input.getAttribute("type") ?? "text").toLowerCase();
        if (!name || input.hasAttribute("disabled")) {
            continue;
        }
        if (type === "password") {
            fields.append(name, password);
        } else if (name === "username" || type === "email" || input.getAttribute("autocomplete") === "username") {
            fields.append(name, username);
        } else if (type === "submit") {
            if (!submitted) {
                fields.append(name, input.getAttribute("value") ?? "");
                submitted = true;
            }
        } else if ((type === "checkbox" || type === "radio") && !input.hasAttribute("checked")) {
            continue;
        } else if (type !== "button" && type !== "image" && type !== "file") {
            fields.append(name, input.getAttribute("value") ?? "");
        }
    }
    return { action: new URL(form.getAttribute("action") ?? "", pageUrl).toString(), fields };
}

/** The text of the hosted UI's error message on a page, if it shows one. */
function pageError(html: string): string | undefined {
    const root = parse(html);
    const message = root.querySelector("#loginErrorMessage, .error, [role=alert]")?.text.trim();
    return message ? message.replace(/\s+/g, " ").slice(0, 200) : undefined;
}

export interface SignIn {
    /** The gateway's last answer after the callback (or the IdP's, when the gateway sent the browser back there). */
    readonly response: HttpResponse;
    /** The URL that gave it. */
    readonly url: string;
    /** How many requests the sign-in took, and the hosts and paths in order. */
    readonly chain: string[];
}

/**
 * Signs in through the IdP's hosted UI the way a browser does: opens the route (the gateway
 * redirects to `authorizeEndpoint`), follows to the login page, posts the login form, and
 * follows the callback back to the gateway, keeping every cookie. Throws CheckFailure naming
 * the step that went wrong.
 */
export async function signInThroughHostedUi(
    browser: Browser,
    routeUrl: string,
    authorizeEndpoint: string,
    credentials: { readonly username: string; readonly password: string },
): Promise<SignIn> {
    const chain: string[] = [];
    const opened = await browser.request("GET", routeUrl);
    chain.push(where(routeUrl));
    const toIdp = opened.headers.location === undefined ? undefined : new URL(opened.headers.location, routeUrl).toString();
    if (!toIdp || !toIdp.startsWith(authorizeEndpoint)) {
        throw new CheckFailure(`the route answered ${opened.status} instead of redirecting to ${authorizeEndpoint}`);
    }
    const idpOrigin = new URL(authorizeEndpoint).origin;
    const page = await browser.navigate(toIdp, {}, (next) => new URL(next).origin !== idpOrigin);
    chain.push(...page.chain.map(where));
    const idpError = new URL(page.url).searchParams.get("error");
    if (idpError !== null || new URL(page.url).pathname === "/error") {
        throw new CheckFailure(
            `the hosted UI answered with an error (${idpError ?? page.response.status}) at ${where(page.url)}` +
                (idpError === "redirect_mismatch" ? ": the route's URL is not a callback URL of the web client" : ""),
        );
    }
    let back: string | undefined;
    if (page.response.status >= 300 && page.response.status <= 399 && page.response.headers.location !== undefined) {
        // Already signed in at the hosted UI: it sends the browser straight back with a code.
        back = new URL(page.response.headers.location, page.url).toString();
    } else {
        if (page.response.status !== 200) {
            throw new CheckFailure(`the hosted UI answered ${page.response.status} at ${where(page.url)}`);
        }
        const form = fillLoginForm(page.response.text, page.url, credentials.username, credentials.password);
        if (!form) {
            throw new CheckFailure(
                `no login form at ${where(page.url)} (managed login pages are scripts: sign in with a browser and pass --session-cookie)`,
            );
        }
        if (new URL(form.action).origin !== idpOrigin) {
            throw new CheckFailure(
                `the login form at ${where(page.url)} posts to ${new URL(form.action).origin}: not sending the password there`,
            );
        }
        // The hosted UI may pass the browser along its own pages before it sends it back with a code.
        const posted = await browser.navigate(
            form.action,
            { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.fields.toString() },
            (next) => new URL(next).origin !== idpOrigin,
        );
        chain.push(...posted.chain.map(where));
        const location = posted.response.headers.location;
        back = location === undefined ? undefined : new URL(location, posted.url).toString();
        if (!back || new URL(back).origin === idpOrigin) {
            const why = pageError(posted.response.text);
            throw new CheckFailure(
                `the hosted UI did not send the browser back after the login form (${posted.response.status}` +
                    `${why ? `: "${why}"` : ""} at ${where(posted.url)}): MFA, a password change or an unconfirmed user?`,
            );
        }
    }
    const callback = await browser.navigate(back, {}, (next) => new URL(next).origin === idpOrigin);
    chain.push(...callback.chain.map(where));
    return { response: callback.response, url: callback.url, chain };
}
