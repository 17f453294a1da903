// A user pool's signing keys as Kong's jwt plugin needs them: the JWKS read at deploy time
// (`<issuer>/.well-known/jwks.json`), its RSA keys converted to PEM with Node's crypto, kept in
// state by a dynamic resource. Preview reads nothing; `pulumi refresh` (or `pulumi up --refresh`)
// reads the JWKS again, and the credentials built from the keys follow.
import { createPublicKey, JsonWebKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** One signing key: its key id (the token header's `kid`) and its public key as PEM (SPKI). */
export interface SigningKey {
    readonly kid: string;
    readonly pem: string;
}

/**
 * Cognito generates two RSA key pairs per user pool (one signs ID tokens, the other access
 * tokens) and publishes both: two credential slots by default.
 */
export const DEFAULT_KEY_SLOTS = 2;

/** The JWKS of an issuer (Cognito: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`). */
export function jwksUrlOf(issuer: string): string {
    return `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;
}

/**
 * The RS256 signing keys of a JWKS document, in document order, as PEM. Keys of another type,
 * algorithm or use (`enc`) are left out: a jwt credential verifies one algorithm. Throws naming the
 * source and the key when the document is not a JWKS or a key is broken.
 */
export function signingKeysOf(document: unknown, source: string): SigningKey[] {
    const keys = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) {
        throw new Error(`${source} is not a JWKS: it has no "keys" list`);
    }
    const found: SigningKey[] = [];
    for (const [index, key] of keys.entries()) {
        const jwk = key as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
        if (jwk?.kty !== "RSA" || (jwk.use !== undefined && jwk.use !== "sig") || (jwk.alg !== undefined && jwk.alg !== "RS256")) {
            continue;
        }
        if (typeof jwk.kid !== "string" || jwk.kid === "") {
            throw new Error(`${source}: keys[${index}] has no "kid"; Kong finds a token's credential by it`);
        }
        if (found.some((k) => k.kid === jwk.kid)) {
            throw new Error(`${source}: keys[${index}] repeats the kid ${JSON.stringify(jwk.kid)}`);
        }
        let pem: string;
        try {
            pem = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" })
                .export({ type: "spki", format: "pem" })
                .toString();
        } catch (error) {
            throw new Error(
                `${source}: keys[${index}] (kid ${JSON.stringify(jwk.kid)}) is not an RSA public key: ${(error as Error).message}`,
            );
        }
        found.push({ kid: jwk.kid, pem });
    }
    return found;
}

/**
 * Places the keys in the credential slots. A key already in a slot stays there (its credential is
 * left alone); new keys take the slots of keys that left. So one refresh never moves a kid from
 * one credential to another, which Kong would refuse while both exist (a jwt credential's key is
 * unique). The number of keys must be the number of slots: a credential cannot be left empty.
 */
export function assignSlots(
    keys: readonly SigningKey[],
    previous: readonly SigningKey[] | undefined,
    slots: number,
    source: string,
): SigningKey[] {
    if (keys.length !== slots) {
        throw new Error(
            `${source} publishes ${keys.length} RS256 signing key(s), and the consumer has ${slots} credential slot(s): ` +
                `set keySlots to ${keys.length} (kong-cognito:jwtKeySlots in a stack)`,
        );
    }
    const byKid = new Map(keys.map((key) => [key.kid, key]));
    const placed: (SigningKey | undefined)[] = Array.from({ length: slots }, (_, i) => {
        const kept = previous?.[i] && byKid.get(previous[i].kid);
        if (kept) {
            byKid.delete(kept.kid);
        }
        return kept || undefined;
    });
    const rest = [...byKid.values()];
    return placed.map((key) => key ?? rest.shift()!);
}

/** Largest JWKS document read: Cognito's is about 1 KB. */
const MAX_JWKS_BYTES = 1024 * 1024;
const FETCH_TIMEOUT_MS = 10000;

/** Reads a JWKS over HTTPS (http only on loopback, for tests), bounded in time and size. */
export async function fetchJwks(url: string): Promise<unknown> {
    const parsed = new URL(url);
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
    if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
        throw new Error(`${url}: a JWKS is read over https only`);
    }
    let response: Response;
    try {
        response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        throw new Error(`${url} could not be read: ${cause?.code ?? (error as Error).message}`);
    }
    if (response.status !== 200) {
        throw new Error(`${url} answered ${response.status}; is the issuer right and the user pool there?`);
    }
    const text = await response.text();
    if (text.length > MAX_JWKS_BYTES) {
        throw new Error(`${url} answered ${text.length} bytes, more than a JWKS (${MAX_JWKS_BYTES} at most)`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new Error(`${url} did not answer JSON`);
    }
}

/** Reads the JWKS and places its keys in the slots, keeping the places of `previous`. */
export async function loadSigningKeys(jwksUrl: string, slots: number, previous?: readonly SigningKey[]): Promise<SigningKey[]> {
    return assignSlots(signingKeysOf(await fetchJwks(jwksUrl), jwksUrl), previous, slots, jwksUrl);
}

/** The dynamic resource's inputs and state. */
interface JwksState {
    readonly jwksUrl: string;
    readonly keySlots: number;
    readonly keys?: SigningKey[];
}

/**
 * Create and update read the JWKS; read (refresh) reads it again; diff compares inputs only, so a
 * preview makes no request. Deleting forgets the keys: nothing exists outside the state.
 */
export const jwksProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: JwksState, news: JwksState) {
        const changed = (["jwksUrl", "keySlots"] as const).filter((key) => olds[key] !== news[key]);
        return { changes: changed.length > 0, replaces: [] };
    },
    async create(inputs: JwksState) {
        const keys = await loadSigningKeys(inputs.jwksUrl, inputs.keySlots);
        return { id: inputs.jwksUrl, outs: { jwksUrl: inputs.jwksUrl, keySlots: inputs.keySlots, keys } };
    },
    async read(id: string, props: JwksState) {
        const keys = await loadSigningKeys(props.jwksUrl, props.keySlots, props.keys);
        return { id, props: { jwksUrl: props.jwksUrl, keySlots: props.keySlots, keys } };
    },
    async update(_id: string, olds: JwksState, news: JwksState) {
        const keys = await loadSigningKeys(news.jwksUrl, news.keySlots, news.jwksUrl === olds.jwksUrl ? olds.keys : undefined);
        return { outs: { jwksUrl: news.jwksUrl, keySlots: news.keySlots, keys } };
    },
};

export interface CognitoJwksArgs {
    /** `<issuer>/.well-known/jwks.json`. */
    readonly jwksUrl: pulumi.Input<string>;
    /** How many keys the JWKS must publish (one credential each). */
    readonly keySlots: number;
}

/** A user pool's signing keys, read at deploy time and on refresh; `keys[i]` feeds credential slot i. */
export class CognitoJwks extends pulumi.dynamic.Resource {
    declare readonly jwksUrl: pulumi.Output<string>;
    declare readonly keySlots: pulumi.Output<number>;
    declare readonly keys: pulumi.Output<SigningKey[]>;

    constructor(name: string, args: CognitoJwksArgs, opts?: pulumi.CustomResourceOptions) {
        super(jwksProvider, name, { jwksUrl: args.jwksUrl, keySlots: args.keySlots, keys: undefined }, opts, undefined, "CognitoJwks");
    }
}
