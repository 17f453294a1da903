// `npm run verify` against stand-ins started on 127.0.0.1 in the test: an IdP issuing signed JWTs
// (jose) and a gateway that enforces bearer tokens and answers with proxy-cache headers. Each
// failure mode gives its FAIL line; requests stay bounded; no secret is printed.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compactVerify, CryptoKey, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, JWK, jwtVerify, SignJWT } from "jose";
import { OSS_TOKEN_CHECKS } from "../components";
import { fingerprint, runVerify, VerifyOptions, VerifyOutputs, VerifySummary } from "../tools/verify";

const CLIENT_ID = "machine-client";
const CLIENT_SECRET = "machine-secret-do-not-print";
const SCOPE = "http://kongresource/scope1";

interface World {
    /** The discovery document names another issuer. */
    wrongIssuer?: boolean;
    /** The gateway lets requests without a token through. */
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
}

interface Servers {
    outputs: VerifyOutputs;
    /** Fake time: the gateway's clock, advanced by the verify sleep instead of waiting. */
    clock: { offsetMs: number };
    /** Requests each server answered. */
    hits: { idp: number; gateway: number };
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

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
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

async function startWorld(world: World = {}): Promise<Servers> {
    const { privateKey, publicKey, publicJwk } = await signingKeys();
    const hits = { idp: 0, gateway: 0 };
    const clock = { offsetMs: 0 };
    let issuer = "";

    // Like Cognito: the issuer (discovery, JWKS) and the hosted domain (token endpoint) are two hosts.
    const idp = await listen(async (req, res) => {
        hits.idp++;
        const url = new URL(req.url!, "http://x");
        if (url.pathname === "/pool/.well-known/openid-configuration") {
            return json(res, 200, { issuer: world.wrongIssuer ? `${issuer}-other` : issuer, jwks_uri: `${issuer}/.well-known/jwks.json` });
        }
        if (url.pathname === "/pool/.well-known/jwks.json") {
            return json(res, 200, { keys: world.rotated ? [publicJwk, { ...publicJwk, kid: "k2" }] : [publicJwk] });
        }
        json(res, 404, {});
    });
    const hostedDomain = await listen(async (req, res, body) => {
        hits.idp++;
        const url = new URL(req.url!, "http://x");
        if (url.pathname === "/oauth2/token" && req.method === "POST") {
            const form = new URLSearchParams(body);
            let [id, secret] = [form.get("client_id"), form.get("client_secret")];
            const auth = req.headers.authorization;
            if (auth?.startsWith("Basic ")) {
                [id, secret] = Buffer.from(auth.slice(6), "base64").toString().split(":");
            }
            if (form.get("grant_type") !== "client_credentials" || id !== CLIENT_ID || secret !== CLIENT_SECRET) {
                return json(res, 400, { error: "invalid_client" });
            }
            const token = await new SignJWT({ client_id: CLIENT_ID, scope: form.get("scope") ?? "", token_use: "access" })
                .setProtectedHeader({ alg: "RS256", kid: "k1" })
                .setIssuer(issuer)
                .setIssuedAt()
                .setExpirationTime("1h")
                .setJti(randomUUID())
                .sign(privateKey);
            return json(res, 200, { access_token: token, token_type: "Bearer", expires_in: 3600 });
        }
        json(res, 404, {});
    });
    issuer = `${base(idp)}/pool`;
    const hosted = base(hostedDomain);
    if (world.tokenDown) {
        // The hosted domain answers nothing: its port has no listener any more.
        hostedDomain.close();
    }

    const cache = new Map<string, { at: number; body: string }>();
    const gateway = await listen(async (req, res) => {
        hits.gateway++;
        const url = new URL(req.url!, "http://x");
        const auth = req.headers.authorization ?? "";
        if (url.pathname.startsWith("/sampleroute")) {
            res.writeHead(302, { location: `${hosted}/oauth2/authorize?client_id=web` });
            return res.end();
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
        const now = Date.now() + clock.offsetMs;
        const key = world.sharedCache ? req.url! : `${req.url}|${auth}`;
        const entry = cache.get(key);
        if (!world.noCache && entry && now - entry.at < 1000) {
            return json(res, 200, JSON.parse(entry.body), { "x-cache-status": "Hit", age: String(Math.floor((now - entry.at) / 1000)) });
        }
        const body = JSON.stringify({ url: req.url, auth: auth.slice(0, 20) });
        if (!world.noCache) {
            cache.set(key, { at: now, body });
        }
        json(res, 200, JSON.parse(body), { "x-cache-status": "Miss" });
    });

    const gw = base(gateway);
    const outputs: VerifyOutputs = {
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
                cacheTtlSeconds: 30,
            },
        ],
    };
    const tokenChecks = { checked: [...OSS_TOKEN_CHECKS.checked], notChecked: [...OSS_TOKEN_CHECKS.notChecked] };
    return {
        clock,
        hits,
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
function itFailsOn(what: string, world: World, line: string): void {
    it(`fails on ${what}`, async () => {
        const servers = await startWorld(world);
        try {
            const { lines, summary } = await verify(servers);
            expect(
                lines.some((l) => l.startsWith(line)),
                `${line}\n---\n${lines.join("\n")}`,
            ).to.equal(true);
            expect(summary.failed).to.be.greaterThan(0);
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
                "PASS sampleroute without a token",
                "SKIP sampleroute with a bearer token",
                "SKIP sampleroute with a token signed by another key",
                "SKIP sampleroute with client credentials",
                "SKIP sampleroute cache",
                "SKIP sampleroute cache per token",
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
        // Asynchronous: the stand-in servers answer from this process's event loop meanwhile.
        const run = (...args: string[]) =>
            new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
                const child = spawn(process.execPath, ["--require", "tsx/cjs", "tools/verify.ts", ...args], { cwd: root, timeout: 30000 });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d) => (stdout += d));
                child.stderr.on("data", (d) => (stderr += d));
                child.on("close", (status) => resolve({ status, stdout, stderr }));
            });

        it("prints its usage for --help and exits 0; an unknown option is one line and exit 2", async () => {
            const help = await run("--help");
            expect(help.status).to.equal(0);
            expect(help.stdout).to.match(/^usage: npm run verify -- <stack>/);
            expect(help.stdout).to.contain("--skip-ttl");
            const unknown = await run("dev", "--frobnicate");
            expect(unknown.status).to.equal(2);
            expect(unknown.stderr.split("\n")[0]).to.contain("--frobnicate");
            expect(unknown.stderr).to.not.contain("    at ");
        });

        it("exits 0 when every check passed and 1 when one failed", async () => {
            for (const [world, code] of [
                [{}, 0],
                [{ open: true }, 1],
            ] as [World, number][]) {
                const servers = await startWorld(world);
                try {
                    const file = path.join(dir, "outputs.json");
                    writeFileSync(file, JSON.stringify({ ...servers.outputs, routes: servers.outputs.routes.slice(0, 1) }));
                    const child = await run("dev", "--outputs", file, "--skip-ttl");
                    expect(child.status, child.stdout + child.stderr).to.equal(code);
                    expect(child.stdout).to.not.contain(CLIENT_SECRET);
                } finally {
                    await servers.close();
                }
            }
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
