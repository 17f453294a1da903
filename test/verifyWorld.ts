// Stand-ins for a deployed stack, on 127.0.0.1: Cognito (issuer with discovery, JWKS and the admin
// API; hosted domain with the token endpoint, the hosted UI's authorize, login and logout pages and
// its own session cookie) and a Kong gateway (openid-connect: bearer and client credentials on API
// routes; on the browser route the authorization code flow, the session cookie and the logout as
// the plugin does them with the config kong-cognito gives it; proxy-cache with X-Cache-Status and
// Age), on a fake clock. A World switches on one way a real deployment goes wrong.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { compactVerify, CryptoKey, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, JWK, jwtVerify, SignJWT } from "jose";
import { OSS_TOKEN_CHECKS } from "../components";
import { resolveKongOidcRouteArgs } from "../components/kong/kongOidcRoute";
import { OpenIdConnectConfig, openIdConnectConfig } from "../components/kong/model/pluginConfigs";
import { routeOidcSettings } from "../components/kong/model/routeModel";
import type { VerifyOutputs } from "../tools/verify/options";

export const CLIENT_ID = "machine-client";
export const CLIENT_SECRET = "machine-secret-do-not-print";
export const WEB_CLIENT_ID = "web-client";
export const WEB_CLIENT_SECRET = "web-secret-do-not-print";
export const SCOPE = "http://kongresource/scope1";
export const USER_POOL_ID = "us-east-1_VERIFY";

/**
 * A `pluginConfig` that gives a route what every route had before its own cookies: the plugin's
 * defaults, `session` and `authorization` on `/`, which routes on one host then share.
 */
export function defaultSessionCookies(_route: string, config: OpenIdConnectConfig): OpenIdConnectConfig {
    return {
        ...config,
        session_cookie_name: undefined,
        session_cookie_path: undefined,
        authorization_cookie_name: undefined,
        authorization_cookie_path: undefined,
    };
}

export interface World {
    /** The discovery document names another issuer. */
    wrongIssuer?: boolean;
    /** The gateway lets requests without a token through (API routes). */
    open?: boolean;
    /** The gateway never caches. */
    noCache?: boolean;
    /** The gateway caches per URL only, not per Authorization. */
    sharedCache?: boolean;
    /** The token endpoint is down. */
    tokenDown?: boolean;
    /**
     * A Kong OSS stack: the gateway behaves like Kong's jwt plugin (the credential found by the
     * token header's kid among the keys read at deploy time, its signature, exp), bearer tokens only.
     */
    jwtPlugin?: boolean;
    /** The gateway finds the credential by kid but does not verify the signature. */
    acceptsAnySignature?: boolean;
    /** The pool published a new key after the deploy read the JWKS. */
    rotated?: boolean;
    /** The browser route answers without a session (its openid-connect plugin was never built). */
    browserOpen?: boolean;
    /** The browser route's URL is not a callback URL of the web client. */
    callbackNotRegistered?: boolean;
    /** The sign-in page's form posts to another origin (a page that is not the hosted UI's). */
    loginFormElsewhere?: boolean;
    /** The pool asks for a second factor after the password. */
    mfaRequired?: boolean;
    /** The gateway sets no session cookie after the callback (say, a Secure cookie over http). */
    sessionNotKept?: boolean;
    /** The gateway's logout redirects but leaves the session cookie in place. */
    logoutKeepsSession?: boolean;
    /**
     * The gateway's logout ends its own session and sends the browser straight to the signed-out
     * URL: the IdP's discovery document publishes no end_session_endpoint and the plugin has none.
     */
    logoutSkipsCognito?: boolean;
    /** The signed-out URL is not a logout URL of the web client. */
    logoutUrlNotRegistered?: boolean;
    /** The browser routes' `logoutMethods` (the route arg). */
    logoutMethods?: string[];
    /** A second browser route, `portal`, on the same host as `sampleroute`. */
    secondBrowserRoute?: boolean;
    /** More browser routes on the same host, by name (path `/<name>`), after `portal`; no logout URL. */
    moreBrowserRoutes?: string[];
    /** The gateway keeps sessions on the server (session_storage redis): the logout ends every copy of the cookie. */
    serverSideSessions?: boolean;
    /**
     * These browser routes, by name, take a session once, on the sign-in's way back, and refuse it
     * afterwards (a Kong node with another session_secret behind the load balancer, say).
     */
    forgetsSessions?: string[];
    /** Once a user has signed out at Cognito's /logout, the sign-in page has no form (managed login renders it with scripts). */
    scriptedLoginAfterLogout?: boolean;
    /** Changes the openid-connect config kong-cognito gives a browser route (a config from before a fix, say). */
    pluginConfig?: (route: string, config: OpenIdConnectConfig) => OpenIdConnectConfig;
    /** The gateway answers Kong's 404 "no Route matched" to this many first requests (KIC has not synced yet). */
    unpublishedFor?: number;
    /** AdminSetUserPassword answers but the password does not take (the hosted UI refuses it). */
    passwordIgnored?: boolean;
    /** The credentials may not create users (AdminCreateUser: AccessDeniedException). */
    adminDenied?: boolean;
    /** The credentials may not delete users (AdminDeleteUser: AccessDeniedException). */
    deleteDenied?: boolean;
}

export interface Servers {
    outputs: VerifyOutputs;
    /** Fake time: the gateway's clock, advanced by the verify sleep instead of waiting. */
    clock: { offsetMs: number };
    /** Requests each server answered. */
    hits: { idp: number; gateway: number; admin: number };
    /** The pool's users now, by user name. */
    users: Map<string, { password: string; attributes: Record<string, string> }>;
    /** Every admin API call, `AdminCreateUser` and so on. */
    adminCalls: string[];
    /** The requests the browser routes' logout answered: method, content type and body. */
    logouts: { method: string; contentType?: string; body: string }[];
    /** The Cognito endpoint of the admin API, for the AWS SDK. */
    adminEndpoint: string;
    close(): Promise<void>;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Server> {
    const server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => handler(req, res, body));
    });
    return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function base(server: Server): string {
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
}

function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
    res.writeHead(302, { location, ...(cookies.length > 0 ? { "set-cookie": cookies } : {}) });
    res.end();
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
    return Object.fromEntries(
        (req.headers.cookie ?? "")
            .split(";")
            .map((c) => c.trim())
            .filter((c) => c.includes("="))
            .map((c) => [c.slice(0, c.indexOf("=")), c.slice(c.indexOf("=") + 1)]),
    );
}

function basicAuth(req: IncomingMessage, form: URLSearchParams): [string | null, string | null] {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Basic ")) {
        const [id, secret] = Buffer.from(auth.slice(6), "base64").toString().split(":");
        return [id, secret];
    }
    return [form.get("client_id"), form.get("client_secret")];
}

let keys: { privateKey: CryptoKey; publicJwk: JWK; publicKey: CryptoKey } | undefined;

async function signingKeys() {
    if (!keys) {
        const pair = await generateKeyPair("RS256");
        keys = {
            privateKey: pair.privateKey,
            publicKey: pair.publicKey,
            publicJwk: { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" },
        };
    }
    return keys;
}

/**
 * Kong's jwt plugin with key_claim_name kid and claims_to_verify exp (kong/plugins/jwt/handler.lua):
 * the credential named by the kid (claims first, then header), alg RS256, the signature, exp.
 */
async function jwtPluginAccepts(
    token: string,
    credentials: Record<string, CryptoKey>,
    world: World,
    clock: { offsetMs: number },
): Promise<boolean> {
    try {
        const header = decodeProtectedHeader(token);
        const claims = decodeJwt(token);
        const key = credentials[String(claims.kid ?? header.kid)];
        if (key === undefined || header.alg !== "RS256") {
            return false;
        }
        if (!world.acceptsAnySignature) {
            await compactVerify(token, key);
        }
        return typeof claims.exp === "number" && claims.exp > (Date.now() + clock.offsetMs) / 1000;
    } catch {
        return false;
    }
}

/** The hosted UI's sign-in page as Cognito renders it: one form per screen size, `_csrf` from the XSRF-TOKEN cookie. */
function loginPage(query: string, csrf: string, error?: string, actionOrigin = ""): string {
    const form = `
      <form name="cognitoSignInForm" action="${actionOrigin}/login?${query.replace(/&/g, "&amp;")}" method="post">
        <input name="_csrf" type="hidden" value="${csrf}"/>
        <input name="cognitoAsfData" type="hidden" value=""/>
        <label for="signInFormUsername">Email</label>
        <input id="signInFormUsername" name="username" type="text" class="form-control inputField-customizable" autocapitalize="none" required/>
        <input id="signInFormPassword" name="password" type="password" class="form-control inputField-customizable" required/>
        <input name="signInSubmitButton" type="Submit" value="Sign in" class="btn btn-primary submitButton-customizable"/>
      </form>`;
    return `<!DOCTYPE html><html><head><title>Signin</title></head><body>
      ${error ? `<p id="loginErrorMessage" class="errorMessage-customizable">${error}</p>` : ""}
      <div class="visible-md visible-lg">${form}</div>
      <div class="visible-xs visible-sm">${form}</div>
    </body></html>`;
}

/** A signed cookie value (openid-connect's session cookie is encrypted; signing is enough here). */
function seal(secret: string, value: unknown): string {
    const payload = Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${payload}.${createHmac("sha256", secret).update(payload).digest("base64url")}`;
}

function unseal<T>(secret: string, cookie: string | undefined): T | undefined {
    if (!cookie) {
        return undefined;
    }
    const [payload, mac] = cookie.split(".");
    if (
        mac !==
        createHmac("sha256", secret)
            .update(payload ?? "")
            .digest("base64url")
    ) {
        return undefined;
    }
    return JSON.parse(Buffer.from(payload, "base64url").toString()) as T;
}

/** A browser route of the stand-in gateway: its path and the openid-connect config it runs with. */
interface BrowserRouteStandIn {
    readonly path: string;
    readonly config: OpenIdConnectConfig;
    /** As the stack's outputs list them. */
    readonly logoutMethods: string[];
}

export async function startWorld(world: World = {}): Promise<Servers> {
    const { privateKey, publicKey, publicJwk } = await signingKeys();
    const hits = { idp: 0, gateway: 0, admin: 0 };
    const clock = { offsetMs: 0 };
    const users = new Map<string, { password: string; attributes: Record<string, string> }>();
    const adminCalls: string[] = [];
    const logouts: { method: string; contentType?: string; body: string }[] = [];
    let signedOutAtCognito = false;
    // Sessions by cookie value: ended by a logout (serverSideSessions), used once (forgetsSessions).
    const endedSessions = new Set<string>();
    const usedSessions = new Set<string>();
    const codes = new Map<string, { username: string; redirectUri: string; nonce: string | null; challenge: string | null }>();
    let issuer = "";
    let hosted = "";
    let gw = "";
    // The hosted UI's own session (Cognito's cookie on its domain): by cookie value, the user name.
    const hostedSessions = new Map<string, string>();

    const sign = (claims: Record<string, unknown>, audience?: string) => {
        const jwt = new SignJWT(claims)
            .setProtectedHeader({ alg: "RS256", kid: "k1" })
            .setIssuer(issuer)
            .setIssuedAt()
            .setExpirationTime("1h");
        return (audience ? jwt.setAudience(audience) : jwt).setJti(randomUUID()).sign(privateKey);
    };

    // Like Cognito: the issuer (discovery, JWKS, and the admin API at cognito-idp.<region>) and the
    // hosted domain (token endpoint, hosted UI) are two hosts.
    const idp = await listen(async (req, res, body) => {
        const url = new URL(req.url!, "http://x");
        const target = req.headers["x-amz-target"];
        if (req.method === "POST" && typeof target === "string") {
            hits.admin++;
            const action = target.replace("AWSCognitoIdentityProviderService.", "");
            adminCalls.push(action);
            const input = JSON.parse(body) as {
                UserPoolId: string;
                Username: string;
                Password?: string;
                UserAttributes?: { Name: string; Value: string }[];
            };
            const fail = (type: string, message: string) => json(res, 400, { __type: type, message }, { "x-amzn-errortype": type });
            if (input.UserPoolId !== USER_POOL_ID) {
                return fail("ResourceNotFoundException", `User pool ${input.UserPoolId} does not exist.`);
            }
            if ((world.adminDenied && action === "AdminCreateUser") || (world.deleteDenied && action === "AdminDeleteUser")) {
                return fail(
                    "AccessDeniedException",
                    `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cognito-idp:${action}`,
                );
            }
            if (action === "AdminCreateUser") {
                const attributes = Object.fromEntries((input.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
                const missing = ["email", "given_name", "family_name"].filter((a) => !attributes[a]);
                if (missing.length > 0) {
                    return fail(
                        "InvalidParameterException",
                        `Attributes did not conform to the schema: ${missing[0]}: The attribute is required`,
                    );
                }
                users.set(input.Username, { password: "", attributes });
                return json(res, 200, { User: { Username: input.Username, UserStatus: "FORCE_CHANGE_PASSWORD" } });
            }
            const user = users.get(input.Username);
            if (!user) {
                return fail("UserNotFoundException", "User does not exist.");
            }
            if (action === "AdminSetUserPassword") {
                user.password = world.passwordIgnored ? "" : (input.Password ?? "");
                return json(res, 200, {});
            }
            if (action === "AdminDeleteUser") {
                users.delete(input.Username);
                return json(res, 200, {});
            }
            return fail("UnknownOperationException", action);
        }
        // The gateway's own calls (discovery) are not verify's requests.
        if (req.headers["x-gateway"] === undefined) {
            hits.idp++;
        }
        if (url.pathname === "/pool/.well-known/openid-configuration") {
            return json(res, 200, {
                issuer: world.wrongIssuer ? `${issuer}-other` : issuer,
                jwks_uri: `${issuer}/.well-known/jwks.json`,
                // Cognito publishes its hosted UI's /logout here.
                ...(world.logoutSkipsCognito ? {} : { end_session_endpoint: `${hosted}/logout` }),
            });
        }
        if (url.pathname === "/pool/.well-known/jwks.json") {
            return json(res, 200, { keys: world.rotated ? [publicJwk, { ...publicJwk, kid: "k2" }] : [publicJwk] });
        }
        json(res, 404, {});
    });

    /** The authorization code for a signed-in user, as the redirect back to the client. */
    const issueCode = (username: string, query: URLSearchParams): string => {
        const code = randomUUID();
        const redirectUri = query.get("redirect_uri") ?? "";
        codes.set(code, { username, redirectUri, nonce: query.get("nonce"), challenge: query.get("code_challenge") });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", query.get("state") ?? "");
        return back.toString();
    };

    const hostedDomain = await listen(async (req, res, body) => {
        // The gateway's own calls (the code exchange) are not verify's requests.
        if (req.headers["x-gateway"] === undefined) {
            hits.idp++;
        }
        const url = new URL(req.url!, "http://x");
        const cookies = cookiesOf(req);
        const callbackUrls = world.callbackNotRegistered
            ? [`${gw}/other`]
            : [`${gw}/sampleroute`, `${gw}/portal`, ...(world.moreBrowserRoutes ?? []).map((name) => `${gw}/${name}`)];
        const logoutUrls = world.logoutUrlNotRegistered ? [] : [`${gw}/signed-out`];
        if (url.pathname === "/oauth2/token" && req.method === "POST") {
            const form = new URLSearchParams(body);
            const [id, secret] = basicAuth(req, form);
            if (form.get("grant_type") === "client_credentials" && id === CLIENT_ID && secret === CLIENT_SECRET) {
                const token = await sign({ client_id: CLIENT_ID, scope: form.get("scope") ?? "", token_use: "access" });
                return json(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
            }
            if (form.get("grant_type") === "authorization_code" && id === WEB_CLIENT_ID && secret === WEB_CLIENT_SECRET) {
                const grant = codes.get(form.get("code") ?? "");
                codes.delete(form.get("code") ?? "");
                const verifier = form.get("code_verifier") ?? "";
                const challenge = createHash("sha256").update(verifier).digest("base64url");
                if (
                    !grant ||
                    grant.redirectUri !== form.get("redirect_uri") ||
                    (grant.challenge !== null && grant.challenge !== challenge)
                ) {
                    return json(res, 400, { error: "invalid_grant" });
                }
                const sub = createHash("sha256").update(grant.username).digest("hex").slice(0, 16);
                return json(res, 200, {
                    id_token: await sign(
                        { sub, email: grant.username, token_use: "id", ...(grant.nonce ? { nonce: grant.nonce } : {}) },
                        WEB_CLIENT_ID,
                    ),
                    access_token: await sign({
                        sub,
                        username: grant.username,
                        client_id: WEB_CLIENT_ID,
                        scope: "openid email profile",
                        token_use: "access",
                    }),
                    refresh_token: randomBytes(32).toString("base64url"),
                    token_type: "Bearer",
                    expires_in: 3600,
                });
            }
            return json(res, 400, { error: "invalid_client" });
        }
        if (url.pathname === "/oauth2/authorize") {
            const redirectUri = url.searchParams.get("redirect_uri") ?? "";
            if (url.searchParams.get("client_id") !== WEB_CLIENT_ID || !callbackUrls.includes(redirectUri)) {
                return redirect(res, `/error?error=redirect_mismatch&client_id=${url.searchParams.get("client_id")}`);
            }
            const signedIn = hostedSessions.get(cookies.cognito ?? "");
            if (signedIn !== undefined) {
                // Signed in at the hosted UI already: straight back with a code, no form.
                return redirect(res, issueCode(signedIn, url.searchParams));
            }
            const csrf = cookies["XSRF-TOKEN"] ?? randomUUID();
            return redirect(res, `/login${url.search}`, [`XSRF-TOKEN=${csrf}; Path=/; Secure; HttpOnly; SameSite=Lax`]);
        }
        if (url.pathname === "/error") {
            res.writeHead(400, { "content-type": "text/html" });
            return res.end("<html><body>An error was encountered with the requested page.</body></html>");
        }
        if (url.pathname === "/login" && req.method === "GET") {
            const csrf = cookies["XSRF-TOKEN"] ?? randomUUID();
            res.writeHead(200, {
                "content-type": "text/html;charset=UTF-8",
                "set-cookie": `XSRF-TOKEN=${csrf}; Path=/; Secure; HttpOnly; SameSite=Lax`,
            });
            if (world.scriptedLoginAfterLogout && signedOutAtCognito) {
                return res.end('<html><body><div id="root"></div><script src="/managed-login.js"></script></body></html>');
            }
            return res.end(loginPage(url.searchParams.toString(), csrf, undefined, world.loginFormElsewhere ? "http://127.0.0.1:9" : ""));
        }
        if (url.pathname === "/login" && req.method === "POST") {
            const form = new URLSearchParams(body);
            const csrf = cookies["XSRF-TOKEN"];
            if (!csrf || form.get("_csrf") !== csrf) {
                return redirect(res, "/error?error=invalid_request");
            }
            const user = users.get(form.get("username") ?? "");
            if (!user || !user.password || user.password !== form.get("password")) {
                res.writeHead(200, { "content-type": "text/html" });
                return res.end(loginPage(url.searchParams.toString(), csrf, "Incorrect username or password."));
            }
            if (world.mfaRequired) {
                res.writeHead(200, { "content-type": "text/html" });
                return res.end('<html><body><form method="post" action="/mfa"><input name="authCode" type="text"/></form></body></html>');
            }
            const hostedSession = randomUUID();
            hostedSessions.set(hostedSession, form.get("username")!);
            return redirect(res, issueCode(form.get("username")!, url.searchParams), [
                `cognito=${hostedSession}; Path=/; Secure; HttpOnly`,
            ]);
        }
        if (url.pathname === "/logout") {
            // Cognito's /logout: client_id is required, logout_uri must be an allowed sign-out URL of
            // that client; then the hosted UI's session ends (Cognito docs, "The managed login sign-out
            // endpoint: /logout"). It takes no id_token_hint or post_logout_redirect_uri.
            const logoutUri = url.searchParams.get("logout_uri");
            if (url.searchParams.get("client_id") !== WEB_CLIENT_ID) {
                return redirect(res, "/error?error=invalid_request");
            }
            if (logoutUri === null || !logoutUrls.includes(logoutUri)) {
                return redirect(res, `/error?error=redirect_mismatch&client_id=${WEB_CLIENT_ID}`);
            }
            hostedSessions.delete(cookies.cognito ?? "");
            signedOutAtCognito = true;
            return redirect(res, logoutUri, ["cognito=; Path=/; Max-Age=0"]);
        }
        json(res, 404, {});
    });
    issuer = `${base(idp)}/pool`;
    hosted = base(hostedDomain);
    if (world.tokenDown) {
        // The hosted domain answers nothing: its port has no listener any more.
        hostedDomain.close();
    }

    interface AuthorizationState {
        state: string;
        nonce: string;
        verifier: string;
        uri: string;
    }
    interface SessionState {
        accessToken: string;
        idToken: string;
        username: string;
    }
    /**
     * A browser route's openid-connect plugin, as Kong Enterprise's handler (kong/plugins/openid-connect/
     * handler.lua) uses the config kong-cognito gives the route: its cookie names and paths (default
     * `session` and `authorization` on `/`), the session sealed with `session_secret`, and the logout.
     */
    const browserRoute = async (
        req: IncomingMessage,
        res: ServerResponse,
        url: URL,
        route: BrowserRouteStandIn,
        body: string,
    ): Promise<void> => {
        const { config } = route;
        const cookies = cookiesOf(req);
        const secret = config.session_secret!;
        const sessionCookie = { name: config.session_cookie_name ?? "session", path: config.session_cookie_path ?? "/" };
        const authorizationCookie = {
            name: config.authorization_cookie_name ?? "authorization",
            path: config.authorization_cookie_path ?? "/",
        };
        const sessionCookieValue = cookies[sessionCookie.name] ?? "";
        const forgets = world.forgetsSessions?.includes(route.path.slice(1)) === true && usedSessions.has(sessionCookieValue);
        usedSessions.add(sessionCookieValue);
        const session = forgets || endedSessions.has(sessionCookieValue) ? undefined : unseal<SessionState>(secret, sessionCookieValue);
        const logoutMethods: string[] = config.logout_methods ?? ["POST", "DELETE"];
        if (logoutMethods.includes(req.method!) && config.logout_uri_suffix && url.pathname.endsWith(config.logout_uri_suffix)) {
            logouts.push({ method: req.method!, contentType: req.headers["content-type"], body });
            if (world.serverSideSessions && session) {
                endedSessions.add(sessionCookieValue);
            }
            const cleared = world.logoutKeepsSession ? [] : [`${sessionCookie.name}=; Path=${sessionCookie.path}; Max-Age=0`];
            // The end session endpoint of the config, else the discovery document's; `id_token_hint` and
            // `post_logout_redirect_uri` appended. Only without one does the logout go to logout_redirect_uri.
            const discovered = (await (
                await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { "x-gateway": "stand-in" } })
            ).json()) as {
                end_session_endpoint?: string;
            };
            const endSession = config.end_session_endpoint ?? discovered.end_session_endpoint;
            const after = config.logout_redirect_uri?.[0];
            if (endSession !== undefined) {
                const params = [
                    ...(session ? [`id_token_hint=${session.idToken}`] : []),
                    ...(after !== undefined ? [`post_logout_redirect_uri=${encodeURIComponent(after)}`] : []),
                ];
                const to = params.length === 0 ? endSession : `${endSession}${endSession.includes("?") ? "&" : "?"}${params.join("&")}`;
                return redirect(res, to, cleared);
            }
            if (after !== undefined) {
                return redirect(res, after, cleared);
            }
            res.writeHead(200, cleared.length > 0 ? { "set-cookie": cleared } : {});
            res.end();
            return;
        }
        const code = url.searchParams.get("code");
        const authorization = unseal<AuthorizationState>(secret, cookies[authorizationCookie.name]);
        if (code !== null && authorization) {
            // The callback: the state must match, the code is exchanged with PKCE, the ID token's nonce checked.
            if (url.searchParams.get("state") !== authorization.state) {
                return json(res, 401, { message: "Unauthorized" });
            }
            const exchanged = await fetch(`${hosted}/oauth2/token`, {
                method: "POST",
                headers: {
                    "x-gateway": "stand-in",
                    "content-type": "application/x-www-form-urlencoded",
                    authorization: `Basic ${Buffer.from(`${config.client_id[0]}:${config.client_secret![0]}`).toString("base64")}`,
                },
                body: new URLSearchParams({
                    grant_type: "authorization_code",
                    code,
                    redirect_uri: config.redirect_uri![0],
                    code_verifier: authorization.verifier,
                }),
            });
            if (exchanged.status !== 200) {
                return json(res, 401, { message: "Unauthorized" });
            }
            const tokens = (await exchanged.json()) as { id_token: string; access_token: string };
            const id = await jwtVerify(tokens.id_token, publicKey, { issuer, audience: config.client_id[0] });
            if (id.payload.nonce !== authorization.nonce) {
                return json(res, 401, { message: "Unauthorized" });
            }
            const sealed = seal(secret, { accessToken: tokens.access_token, idToken: tokens.id_token, username: String(id.payload.email) });
            return redirect(res, authorization.uri, [
                ...(world.sessionNotKept ? [] : [`${sessionCookie.name}=${sealed}; Path=${sessionCookie.path}; HttpOnly; SameSite=Lax`]),
                `${authorizationCookie.name}=; Path=${authorizationCookie.path}; Max-Age=0`,
            ]);
        }
        if (!session && !world.browserOpen) {
            const state: AuthorizationState = {
                state: randomBytes(16).toString("base64url"),
                nonce: randomBytes(16).toString("base64url"),
                verifier: randomBytes(32).toString("base64url"),
                uri: `${gw}${url.pathname}${url.search}`,
            };
            const to = new URL(`${hosted}/oauth2/authorize`);
            to.search = new URLSearchParams({
                response_type: "code",
                client_id: config.client_id[0],
                redirect_uri: config.redirect_uri![0],
                scope: config.scopes.join(" "),
                state: state.state,
                nonce: state.nonce,
                code_challenge: createHash("sha256").update(state.verifier).digest("base64url"),
                code_challenge_method: "S256",
            }).toString();
            return redirect(res, to.toString(), [
                `${authorizationCookie.name}=${seal(secret, state)}; Path=${authorizationCookie.path}; HttpOnly; SameSite=Lax`,
            ]);
        }
        // upstream_access_token_header: the session's access token goes upstream as Authorization,
        // before proxy-cache (priority 100 < 1050) computes its key.
        return cached(req, res, url, session ? `Bearer ${session.accessToken}` : "", 30, { user: session?.username ?? null });
    };

    const cache = new Map<string, { at: number; body: string }>();
    const cached = (
        req: IncomingMessage,
        res: ServerResponse,
        url: URL,
        authorization: string,
        ttlSeconds: number,
        echo: Record<string, unknown>,
    ): void => {
        const now = Date.now() + clock.offsetMs;
        const key = world.sharedCache ? req.url! : `${req.url}|${authorization}`;
        const entry = cache.get(key);
        if (!world.noCache && entry && now - entry.at < ttlSeconds * 1000) {
            return json(res, 200, JSON.parse(entry.body), { "x-cache-status": "Hit", age: String(Math.floor((now - entry.at) / 1000)) });
        }
        const body = JSON.stringify({ url: url.pathname + url.search, ...echo });
        if (!world.noCache) {
            cache.set(key, { at: now, body });
        }
        json(res, 200, JSON.parse(body), { "x-cache-status": "Miss" });
    };

    /** The browser routes' plugin configs, made by kong-cognito's own builders once the gateway's URL is known. */
    const browserRoutes: BrowserRouteStandIn[] = [];
    const browserRouteStandIn = (name: string, path: string, signedOut: string): BrowserRouteStandIn => {
        const { route } = resolveKongOidcRouteArgs(name, {
            namespace: "kong",
            publicBaseUrl: gw,
            path,
            mode: "browser",
            upstreamService: { name: "sample-app", port: 80 },
            signedOutUrl: signedOut,
            logoutMethods: world.logoutMethods,
        });
        const config = openIdConnectConfig(
            routeOidcSettings(route, {
                issuer: `${issuer}/.well-known/openid-configuration`,
                clientId: WEB_CLIENT_ID,
                clientSecret: WEB_CLIENT_SECRET,
                scopes: ["openid", "email", "profile"],
                requiredScopes: [],
                // An IdP without Cognito's logout: the provider gives none.
                logoutEndpoint: world.logoutSkipsCognito ? undefined : `${hosted}/logout`,
                revocationEndpoint: `${hosted}/oauth2/revoke`,
                sessionSecret: randomBytes(32).toString("base64"),
                publicUrl: `${gw}${path}`,
                signedOutUrl: signedOut,
                secureCookie: false,
            }),
        );
        return {
            path,
            config: world.pluginConfig ? world.pluginConfig(name, config) : config,
            logoutMethods: [...route.session!.logoutMethods],
        };
    };

    let unpublished = world.unpublishedFor ?? 0;
    const gateway = await listen(async (req, res, body) => {
        hits.gateway++;
        if (unpublished > 0) {
            unpublished--;
            return json(res, 404, { message: "no Route matched with those values" });
        }
        const url = new URL(req.url!, "http://x");
        const auth = req.headers.authorization ?? "";
        const browser = browserRoutes.find((r) => url.pathname === r.path || url.pathname.startsWith(`${r.path}/`));
        if (browser) {
            return browserRoute(req, res, url, browser, body);
        }
        if (url.pathname === "/signed-out") {
            res.writeHead(200, { "content-type": "text/plain" });
            return res.end("signed out");
        }
        let allowed = world.open === true;
        if (world.jwtPlugin) {
            allowed ||= auth.startsWith("Bearer ") && (await jwtPluginAccepts(auth.slice(7), { k1: publicKey }, world, clock));
        } else if (auth.startsWith("Bearer ")) {
            allowed = await jwtVerify(auth.slice(7), publicKey, { issuer }).then(
                () => true,
                () => false,
            );
        } else if (auth.startsWith("Basic ") && url.pathname.startsWith("/oidcroute")) {
            allowed = Buffer.from(auth.slice(6), "base64").toString() === `${CLIENT_ID}:${CLIENT_SECRET}`;
        }
        if (!allowed) {
            return json(res, 401, { message: "Unauthorized" });
        }
        if (!url.pathname.startsWith("/cachedroute")) {
            return json(res, 200, { url: req.url });
        }
        cached(req, res, url, auth, 1, { auth: auth.slice(0, 20) });
    });

    gw = base(gateway);
    const signedOutUrl = `${gw}/signed-out`;
    browserRoutes.push(browserRouteStandIn("sampleroute", "/sampleroute", signedOutUrl));
    if (world.secondBrowserRoute) {
        browserRoutes.push(browserRouteStandIn("portal", "/portal", signedOutUrl));
    }
    for (const name of world.moreBrowserRoutes ?? []) {
        browserRoutes.push(browserRouteStandIn(name, `/${name}`, signedOutUrl));
    }
    const outputs: VerifyOutputs = {
        userPoolId: USER_POOL_ID,
        issuerUrl: issuer,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        tokenEndpoint: `${hosted}/oauth2/token`,
        authorizeEndpoint: `${hosted}/oauth2/authorize`,
        machineClientId: CLIENT_ID,
        machineClientSecret: CLIENT_SECRET,
        machineScopes: [SCOPE],
        routes: [
            {
                name: "oidcroute",
                url: `${gw}/oidcroute`,
                mode: "api",
                authMethods: ["bearer", "client_credentials"],
                upstream: "http://httpbin.org",
            },
            {
                name: "cachedroute",
                url: `${gw}/cachedroute`,
                mode: "api",
                authMethods: ["bearer"],
                upstream: "Service apps/web port 80 (not created by this stack)",
                cacheTtlSeconds: 1,
            },
            {
                name: "sampleroute",
                url: `${gw}/sampleroute`,
                mode: "browser",
                authMethods: ["authorization_code", "session"],
                upstream: "Service kong/sample-app port 80 (the sample app, deployed by this stack)",
                logoutUrl: `${gw}/sampleroute/logout`,
                logoutMethods: browserRoutes[0].logoutMethods,
                signedOutUrl,
                cacheTtlSeconds: 30,
            },
            ...(world.secondBrowserRoute
                ? [
                      {
                          name: "portal",
                          url: `${gw}/portal`,
                          mode: "browser",
                          authMethods: ["authorization_code", "session"],
                          upstream: "Service kong/portal port 80 (not created by this stack)",
                          logoutUrl: `${gw}/portal/logout`,
                          logoutMethods: browserRoutes[1].logoutMethods,
                          signedOutUrl,
                      },
                  ]
                : []),
            ...(world.moreBrowserRoutes ?? []).map((name) => ({
                name,
                url: `${gw}/${name}`,
                mode: "browser",
                authMethods: ["authorization_code", "session"],
                upstream: `Service kong/${name} port 80 (not created by this stack)`,
            })),
        ],
    };
    const tokenChecks = { checked: [...OSS_TOKEN_CHECKS.checked], notChecked: [...OSS_TOKEN_CHECKS.notChecked] };
    return {
        clock,
        hits,
        users,
        adminCalls,
        logouts,
        adminEndpoint: base(idp),
        // Kong OSS: API routes only, bearer tokens only; Kong trusts the key read at deploy time.
        outputs: world.jwtPlugin
            ? {
                  ...outputs,
                  routes: outputs.routes
                      .filter((r) => r.mode === "api")
                      .map((r) => ({ ...r, authMethods: ["bearer"], authPlugin: "jwt" as const, tokenChecks })),
                  jwtKeyIds: ["k1"],
              }
            : outputs,
        close: async () => {
            await Promise.all([idp, hostedDomain, gateway].filter((s) => s.listening).map((s) => new Promise((r) => s.close(r))));
        },
    };
}
