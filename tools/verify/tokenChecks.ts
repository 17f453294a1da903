// verify's first checks: the discovery document, the keys Kong trusts (Kong OSS) and the machine
// client's tokens, which the route checks then use.
import { createLocalJWKSet, decodeJwt, JSONWebKeySet, jwtVerify } from "jose";
import { CheckFailure, CheckSkipped, fingerprint, HttpResponse } from "./checks";
import { Context } from "./context";

/** The machine client's tokens from Cognito, and its credentials as HTTP Basic auth. */
export interface Tokens {
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
export async function checkDiscovery({ outputs, http, checks }: Context): Promise<PoolKeys | undefined> {
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
            if (published.status === 200) {
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
export async function checkTrustedKeys({ outputs, checks }: Context, keys: PoolKeys | undefined): Promise<void> {
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
export async function checkTokens({ outputs, http, checks }: Context, keys: PoolKeys | undefined): Promise<Tokens> {
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
            // Stryker disable next-line ArrayDeclaration: without a scope claim nothing is granted; a list holding any other string grants none of the stack's scopes either
            const granted = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
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
