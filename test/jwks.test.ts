// The pool's signing keys: JWKS to PEM with Node's crypto, credential slots that survive a
// rotation, and the dynamic provider against a JWKS served on loopback, as the engine runs it.
import { expect } from "chai";
import { generateKeyPairSync, JsonWebKey, KeyObject, sign, verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { assignSlots, jwksProvider, jwksUrlOf, SigningKey, signingKeysOf } from "../components/kong/jwks";

interface TestKey {
    readonly kid: string;
    readonly privateKey: KeyObject;
    readonly jwk: JsonWebKey & { kid: string; alg: string; use: string };
}

function rsaKey(kid: string): TestKey {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

// Key generation is slow: a few keys serve every test.
const [idKey, accessKey, rotatedKey] = ["id-key=", "access-key/1+", "rotated-key"].map(rsaKey);

/** A JWKS on loopback whose document a test may change; counts requests. */
class JwksServer {
    document: unknown = { keys: [idKey.jwk, accessKey.jwk] };
    status = 200;
    requests = 0;
    private server?: Server;

    async start(): Promise<string> {
        this.server = createServer((_req, res) => {
            this.requests++;
            // One request per connection: with keep-alive, a test's fetch can take a socket the
            // server is closing as idle (a load-dependent ECONNRESET seen once under mocha --parallel).
            res.writeHead(this.status, { "content-type": "application/json", connection: "close" });
            res.end(JSON.stringify(this.document));
        });
        await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/eu-west-1_Pool1`;
    }

    stop(): Promise<void> {
        return new Promise((ok) => this.server!.close(() => ok()));
    }
}

function signsFor(key: SigningKey, signer: TestKey): boolean {
    const data = Buffer.from("header.payload");
    return verify("RSA-SHA256", data, key.pem, sign("RSA-SHA256", data, signer.privateKey));
}

describe("the pool's signing keys", () => {
    describe("signingKeysOf", () => {
        it("turns each RS256 key into a PEM public key that verifies what the private key signed", () => {
            const keys = signingKeysOf({ keys: [idKey.jwk, accessKey.jwk] }, "jwks");
            expect(keys.map((k) => k.kid)).to.deep.equal(["id-key=", "access-key/1+"]);
            expect(keys[0].pem).to.match(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
            expect(signsFor(keys[0], idKey)).to.equal(true);
            expect(signsFor(keys[1], accessKey)).to.equal(true);
            expect(signsFor(keys[0], accessKey)).to.equal(false);
        });

        it("leaves out keys a RS256 credential cannot use: encryption keys, other algorithms, other key types", () => {
            const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
            const keys = signingKeysOf(
                {
                    keys: [
                        { ...idKey.jwk, kid: "enc", use: "enc" },
                        { ...idKey.jwk, kid: "rs384", alg: "RS384" },
                        { ...ec, kid: "ec" },
                        { ...accessKey.jwk, alg: undefined, use: undefined },
                    ],
                },
                "jwks",
            );
            expect(keys.map((k) => k.kid)).to.deep.equal(["access-key/1+"]);
        });

        it("names the source and the key when the document is broken", () => {
            expect(() => signingKeysOf({ nope: [] }, "https://idp/jwks.json")).to.throw(
                'https://idp/jwks.json is not a JWKS: it has no "keys" list',
            );
            expect(() => signingKeysOf({ keys: [{ ...idKey.jwk, kid: "" }] }, "src")).to.throw('src: keys[0] has no "kid"');
            expect(() => signingKeysOf({ keys: [idKey.jwk, idKey.jwk] }, "src")).to.throw('src: keys[1] repeats the kid "id-key="');
            expect(() => signingKeysOf({ keys: [{ ...idKey.jwk, n: undefined }] }, "src")).to.throw(
                'src: keys[0] (kid "id-key=") is not an RSA public key',
            );
        });

        it("finds the JWKS under the issuer", () => {
            expect(jwksUrlOf("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1")).to.equal(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1/.well-known/jwks.json",
            );
            expect(jwksUrlOf("https://issuer.example/")).to.equal("https://issuer.example/.well-known/jwks.json");
        });
    });

    describe("assignSlots", () => {
        // Read before the tests run, not while mocha collects them: a broken reader fails the tests, not the file's loading.
        let [a, b, c]: SigningKey[] = [];
        before(() => {
            [a, b, c] = [idKey, accessKey, rotatedKey].map((k) => signingKeysOf({ keys: [k.jwk] }, "jwks")[0]);
        });

        it("fills the slots in document order the first time", () => {
            expect(assignSlots([a, b], undefined, 2, "jwks").map((k) => k.kid)).to.deep.equal([a.kid, b.kid]);
        });

        it("keeps a key that stays in its slot and puts a new key in the slot of the key it replaced", () => {
            // Document order changed and a was replaced by c: b must not move (Kong refuses two credentials with one key).
            expect(assignSlots([b, c], [a, b], 2, "jwks").map((k) => k.kid)).to.deep.equal([c.kid, b.kid]);
            expect(assignSlots([b, a], [a, b], 2, "jwks").map((k) => k.kid)).to.deep.equal([a.kid, b.kid]);
        });

        it("refuses a key set of another size, naming the number found and the setting", () => {
            expect(() => assignSlots([a, b, c], [a, b], 2, "https://idp/jwks.json")).to.throw(
                "https://idp/jwks.json publishes 3 RS256 signing key(s), and the consumer has 2 credential slot(s): set keySlots to 3",
            );
            expect(() => assignSlots([a], undefined, 2, "jwks")).to.throw("publishes 1 RS256 signing key(s)");
        });
    });

    describe("the dynamic provider, with the JWKS on loopback", () => {
        const server = new JwksServer();
        let issuer = "";
        before(async () => (issuer = await server.start()));
        after(() => server.stop());
        beforeEach(() => {
            server.document = { keys: [idKey.jwk, accessKey.jwk] };
            server.status = 200;
            server.requests = 0;
        });

        it("reads the keys on create", async () => {
            const jwksUrl = jwksUrlOf(issuer);
            const created = await jwksProvider.create({ jwksUrl, keySlots: 2 });
            expect(created.id).to.equal(jwksUrl);
            expect((created.outs.keys as SigningKey[]).map((k) => k.kid)).to.deep.equal(["id-key=", "access-key/1+"]);
            expect(server.requests).to.equal(1);
        });

        it("diffs inputs only: a preview makes no request", async () => {
            const jwksUrl = jwksUrlOf(issuer);
            const olds = { jwksUrl, keySlots: 2, keys: [] };
            expect(await jwksProvider.diff!(jwksUrl, olds, { jwksUrl, keySlots: 2 })).to.deep.equal({ changes: false, replaces: [] });
            expect(await jwksProvider.diff!(jwksUrl, olds, { jwksUrl, keySlots: 3 })).to.deep.equal({ changes: true, replaces: [] });
            expect(server.requests).to.equal(0);
        });

        it("picks up a rotated key on refresh, in the slot of the key it replaced", async () => {
            const jwksUrl = jwksUrlOf(issuer);
            const created = await jwksProvider.create({ jwksUrl, keySlots: 2 });
            server.document = { keys: [accessKey.jwk, rotatedKey.jwk] };
            const refreshed = await jwksProvider.read!(created.id, created.outs);
            const keys = refreshed.props!.keys as SigningKey[];
            expect(keys.map((k) => k.kid)).to.deep.equal(["rotated-key", "access-key/1+"]);
            expect(signsFor(keys[0], rotatedKey)).to.equal(true);
        });

        it("fails a refresh with the URL and the status when the JWKS is gone, instead of emptying the credentials", async () => {
            const jwksUrl = jwksUrlOf(issuer);
            const created = await jwksProvider.create({ jwksUrl, keySlots: 2 });
            server.status = 404;
            let error: Error | undefined;
            await jwksProvider.read!(created.id, created.outs).catch((e: Error) => (error = e));
            expect(error?.message).to.equal(`${jwksUrl} answered 404; is the issuer right and the user pool there?`);
        });

        it("refuses to read keys over plain http from anywhere but loopback", async () => {
            let error: Error | undefined;
            await jwksProvider
                .create({ jwksUrl: "http://idp.example/.well-known/jwks.json", keySlots: 2 })
                .catch((e: Error) => (error = e));
            expect(error?.message).to.equal("http://idp.example/.well-known/jwks.json: a JWKS is read over https only");
        });

        it("works as the engine runs it: serialized into a module of its own, then loaded", async () => {
            const serialized = await pulumi.runtime.serializeFunction(() => jwksProvider);
            const dir = mkdtempSync(path.join(tmpdir(), "kong-cognito-provider-"));
            try {
                const file = path.join(dir, "provider.js");
                writeFileSync(file, serialized.text);
                // The dynamic provider host requires the text and calls its export for the provider.
                const loaded = (require(file) as Record<string, () => pulumi.dynamic.ResourceProvider>)[serialized.exportName]();
                const created = await loaded.create({ jwksUrl: jwksUrlOf(issuer), keySlots: 2 });
                expect((created.outs.keys as SigningKey[]).map((k) => k.kid)).to.deep.equal(["id-key=", "access-key/1+"]);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
