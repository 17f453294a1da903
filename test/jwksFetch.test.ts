// Reading a JWKS: https only (http on loopback), no redirects, at most 1 MiB, JSON, with the URL in
// every error; and an update that keeps credential slots only while the URL stays the same.
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { fetchJwks, jwksProvider, jwksUrlOf, SigningKey, signingKeysOf } from "../components/kong/jwks";

const MAX_JWKS_BYTES = 1024 * 1024;

function rsaJwk(kid: string): object {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    return { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
}

/** A loopback server answering every request with what `answer` says; stopped by the test. */
async function serve(answer: (path: string) => { status: number; body: string; location?: string }): Promise<[string, Server]> {
    const server = createServer((req, res) => {
        const { status, body, location } = answer(req.url ?? "/");
        res.writeHead(status, { "content-type": "application/json", ...(location ? { location } : {}) });
        res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    return [`http://127.0.0.1:${(server.address() as AddressInfo).port}`, server];
}

function stop(server: Server): Promise<void> {
    return new Promise((ok) => server.close(() => ok()));
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
    try {
        await promise;
    } catch (error) {
        return (error as Error).message;
    }
    throw new Error("expected a failure");
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
    const [url, server] = await serve(() => ({ status: 200, body: "{}" }));
    await stop(server);
    return Number(new URL(url).port);
}

describe("reading a JWKS", () => {
    it("takes a document of 1 MiB and refuses one byte more, naming the size", async () => {
        const document = (size: number) => `{"keys":[],"pad":"${"x".repeat(size - '{"keys":[],"pad":""}'.length)}"}`;
        const [base, server] = await serve((path) => ({
            status: 200,
            body: document(path === "/max" ? MAX_JWKS_BYTES : MAX_JWKS_BYTES + 1),
        }));
        try {
            expect(await fetchJwks(`${base}/max`)).to.deep.include({ keys: [] });
            expect(await failureOf(fetchJwks(`${base}/over`))).to.equal(
                `${base}/over answered ${MAX_JWKS_BYTES + 1} bytes, more than a JWKS (${MAX_JWKS_BYTES} at most)`,
            );
        } finally {
            await stop(server);
        }
    });

    it("refuses an answer that is not JSON, and a redirect", async () => {
        const [base, server] = await serve((path) =>
            path === "/html" ? { status: 200, body: "<html></html>" } : { status: 302, body: "", location: "/html" },
        );
        try {
            expect(await failureOf(fetchJwks(`${base}/html`))).to.equal(`${base}/html did not answer JSON`);
            expect(await failureOf(fetchJwks(`${base}/moved`))).to.match(new RegExp(`^${base}/moved could not be read: `));
        } finally {
            await stop(server);
        }
    });

    it("names the URL and the network error when nothing answers", async () => {
        const port = await closedPort();
        for (const url of [`http://127.0.0.1:${port}/jwks`, `http://localhost:${port}/jwks`, `https://127.0.0.1:${port}/jwks`]) {
            expect(await failureOf(fetchJwks(url))).to.equal(`${url} could not be read: ECONNREFUSED`);
        }
        expect(await failureOf(fetchJwks(`http://[::1]:${port}/jwks`))).to.match(/could not be read: /);
    });

    it("reads over https only, plain http on loopback aside", async () => {
        for (const url of ["ftp://127.0.0.1/jwks", "http://idp.example/jwks", "http://127.0.0.2/jwks"]) {
            expect(await failureOf(fetchJwks(url))).to.equal(`${url}: a JWKS is read over https only`);
        }
    });

    it("finds the JWKS under an issuer written with several trailing slashes", () => {
        expect(jwksUrlOf("https://issuer.example/pool//")).to.equal("https://issuer.example/pool/.well-known/jwks.json");
    });

    it("skips what is not a key and refuses a document that is none, a kid that is no string", () => {
        const key = rsaJwk("k1");
        expect(signingKeysOf({ keys: [null, key] }, "src").map((k) => k.kid)).to.deep.equal(["k1"]);
        expect(() => signingKeysOf(null, "src")).to.throw('src is not a JWKS: it has no "keys" list');
        expect(() => signingKeysOf({ keys: [{ ...key, kid: 7 }] }, "src")).to.throw('src: keys[0] has no "kid"');
    });

    it("keeps the keys' slots on an update of the same JWKS, and places them afresh for another", async () => {
        const [a, b, c] = ["a", "b", "c"].map(rsaJwk);
        let keys = [a, b];
        const [base, server] = await serve(() => ({ status: 200, body: JSON.stringify({ keys }) }));
        try {
            const jwksUrl = `${base}/pool/.well-known/jwks.json`;
            const created = await jwksProvider.create({ jwksUrl, keySlots: 2 });
            keys = [c, a];
            const kids = (outs: { keys?: SigningKey[] }) => outs.keys!.map((k) => k.kid);
            const same = await jwksProvider.update!(created.id, created.outs, { jwksUrl, keySlots: 2 });
            expect(kids(same.outs!)).to.deep.equal(["a", "c"]);
            expect(same.outs).to.deep.include({ jwksUrl, keySlots: 2 });
            const otherUrl = `${base}/other/.well-known/jwks.json`;
            const other = await jwksProvider.update!(created.id, created.outs, { jwksUrl: otherUrl, keySlots: 2 });
            expect(kids(other.outs!)).to.deep.equal(["c", "a"]);
            expect(other.outs).to.deep.include({ jwksUrl: otherUrl, keySlots: 2 });
        } finally {
            await stop(server);
        }
    });
});
