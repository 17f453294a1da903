// The contract between the identity provider and the routes that trust it: who calls a route, what
// a route needs to know about its provider, and the public URL both sides agree on (a browser
// route's URL is the provider's callback URL). Neither side's rules live here.
import * as pulumi from "@pulumi/pulumi";
import { Issues } from "./validation";

/** Who calls a route: machines with tokens, or people in a browser. */
export const RouteMode = {
    /** Machines: bearer tokens, or (Kong Enterprise) the client's id and secret. */
    Api: "api",
    /** People: sign-in through the hosted UI and a session cookie (Kong Enterprise). */
    Browser: "browser",
} as const;
export type RouteMode = (typeof RouteMode)[keyof typeof RouteMode];
export const ROUTE_MODES: readonly RouteMode[] = Object.values(RouteMode);

/** The identity provider and client a route trusts. `CognitoIdp.oidcSettings()` builds one. */
export interface OidcProvider {
    /** Discovery URL (`<issuer>/.well-known/openid-configuration`) or issuer. */
    readonly issuer: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
    /** Kept in a Kubernetes Secret (ingress) or a secret configJson (admin), never in plain state. */
    readonly clientSecret: pulumi.Input<string>;
    /** Scopes the gateway requests from the IdP (client_credentials, authorization_code). @default ["openid"] */
    readonly scopes?: pulumi.Input<string[]>;
    /** Scopes every token must carry, all of them. @default none */
    readonly requiredScopes?: pulumi.Input<string[]>;
    /**
     * The IdP's logout endpoint (Cognito: `https://<domain>/logout`). Browser routes send the
     * browser there after the gateway's logout, with `client_id` and `logout_uri`, so the IdP's
     * own session ends too (openid-connect's `end_session_endpoint`, which overrides the one the
     * discovery document publishes). @default none: the gateway's session ends, then openid-connect
     * follows the discovery document's `end_session_endpoint` if there is one (with `id_token_hint`
     * and `post_logout_redirect_uri`, which Cognito's /logout does not take), else goes to the
     * signed-out URL
     */
    readonly logoutEndpoint?: pulumi.Input<string>;
    /** The IdP's token revocation endpoint (Cognito: `https://<domain>/oauth2/revoke`); logout revokes there. @default none */
    readonly revocationEndpoint?: pulumi.Input<string>;
}

const LOCALHOST_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A URL browsers are sent to (a route, a callback): absolute, HTTPS (http only for localhost), no
 * fragment, no credentials; with `allowPath: false` a bare origin such as https://kong.example.com.
 */
export function checkHttpsUrl(issues: Issues, propertyPath: string, url: string, options: { allowPath: boolean }): void {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        issues.add(propertyPath, url, "must be an absolute URL such as https://kong.example.com");
        return;
    }
    if (parsed.protocol === "http:" && !LOCALHOST_NAMES.has(parsed.hostname)) {
        issues.add(propertyPath, url, "must use https (http is allowed only for localhost)");
    } else if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
        issues.add(propertyPath, url, "must use https");
    }
    if (parsed.hash !== "" || url.includes("#")) {
        issues.add(propertyPath, url, "must not contain a fragment (#...)");
    }
    if (parsed.username !== "" || parsed.password !== "") {
        issues.add(propertyPath, url, "must not contain credentials");
    }
    if (!options.allowPath && (parsed.pathname !== "/" || parsed.search !== "")) {
        issues.add(propertyPath, url, "must be a base URL without path or query, such as https://kong.example.com");
    }
}

/**
 * The IdP's logout as a browser route's gateway sends the browser there: Cognito's `/logout` takes
 * `client_id` and `logout_uri` (a registered logout URL), ends the hosted UI's session and then
 * redirects to `logout_uri` (Cognito docs, "The managed login sign-out endpoint: /logout").
 */
export function idpLogoutUrl(logoutEndpoint: string, clientId: string, signedOutUrl: string): string {
    const url = new URL(logoutEndpoint);
    url.searchParams.set("client_id", clientId);
    url.searchParams.set("logout_uri", signedOutUrl);
    return url.toString();
}

/** Where users and clients call a route: the public origin plus the route path. */
export function routeUrl(publicBaseUrl: string, path: string): string {
    return `${new URL(publicBaseUrl).origin}${path}`;
}

/** OidcProvider by its former name. */
export type OidcProviderArgs = OidcProvider;
