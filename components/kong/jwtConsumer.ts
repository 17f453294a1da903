// KongJwtConsumer: a user pool as one Kong consumer, for Kong OSS's jwt plugin. The pool's signing
// keys are read at deploy time (jwks.ts) and become one jwt credential each, keyed by the key id;
// the consumer's ACL group is what routes allow. One per pool per Kong: a jwt credential's key is
// unique across Kong, so every route of the pool shares it.
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesName } from "../kubernetes";
import { requiredOutput } from "../providerOutputs";
import { TypeScriptOnly } from "../typescriptOnly";
import { isPlain, Issues, ResolvedOnce } from "../validation";
import { CognitoJwks, DEFAULT_KEY_SLOTS, jwksUrlOf } from "./jwks";
import type { JwtConsumerReference, KongJwtConsumerArgs } from "./model/consumerModel";
import type { KongTarget } from "./model/kongTarget";
import { checkTarget, emitterOf, KongConsumerResources } from "./targets";

export const KONG_JWT_CONSUMER_TYPE = "kong-cognito:index:KongJwtConsumer";

/** Longest name that leaves room for the `-key-<i>` suffix of its credential Secrets. */
const MAX_CONSUMER_NAME = 56;

/** The slots a consumer may have: Cognito publishes two; a rotation may add one for a while. */
const MAX_KEY_SLOTS = 10;

/** `cognito-<userPoolId>` from `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
export function defaultUsername(issuer: string): string {
    const segments = new URL(issuer).pathname.split("/").filter((s) => s !== "");
    return `cognito-${segments.at(-1) ?? new URL(issuer).hostname}`;
}

interface ResolvedConsumerArgs {
    readonly target: KongTarget;
    readonly keySlots: number;
}

function resolveArgs(name: string, args: KongJwtConsumerArgs): ResolvedConsumerArgs {
    const issues = new Issues(`KongJwtConsumer "${name}"`);
    const target = args.target ?? "ingress";
    const knownTarget = checkTarget(issues, target, args, (emitter) => emitter.consumerArgs);
    // The name becomes the KongConsumer's and its Secrets' (`<name>-key-<i>`, `<name>-acl`).
    checkKubernetesName(issues, "name", name, MAX_CONSUMER_NAME);
    if (args.namespace !== undefined && isPlain(args.namespace)) {
        checkKubernetesName(issues, "namespace", args.namespace);
    }
    const keySlots = args.keySlots ?? DEFAULT_KEY_SLOTS;
    if (!Number.isInteger(keySlots) || keySlots < 1 || keySlots > MAX_KEY_SLOTS) {
        issues.add("keySlots", keySlots, `must be a whole number from 1 to ${MAX_KEY_SLOTS}`);
    }
    if (isPlain(args.issuer) && !URL.canParse(args.issuer)) {
        issues.add("issuer", args.issuer, "must be the issuer URL, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
    }
    if (args.username !== undefined && isPlain(args.username) && args.username.trim() === "") {
        issues.add("username", args.username, "must not be empty");
    }
    if (knownTarget) {
        emitterOf(target).checkConsumer(issues, { namespace: args.namespace });
    }
    issues.throwIfAny();
    return { target: target as KongTarget, keySlots };
}

const resolutions = new ResolvedOnce<KongJwtConsumerArgs, ResolvedConsumerArgs>(resolveArgs, []);

/** Checks a consumer's args; throws one KongCognitoInputError listing every broken rule. Registers nothing. */
export function resolveKongJwtConsumerArgs(name: string, args: KongJwtConsumerArgs): void {
    resolutions.get(name, args);
}

const consumerResources = new TypeScriptOnly<KongJwtConsumer, KongConsumerResources>("KongJwtConsumer");

/**
 * A Kong consumer standing for a user pool: `<name>-jwks` (the pool's signing keys, read at deploy
 * time and on refresh), one jwt credential per key (`key` = the key's kid, `algorithm: RS256`,
 * `rsa_public_key`), and an ACL group. Routes on Kong OSS take its `reference`.
 *
 * A key rotation: `pulumi up --refresh` (or `pulumi refresh`, then `pulumi up`) reads the JWKS
 * again; a new key takes the slot of the key it replaces and that credential is updated in place.
 * Until then Kong answers 401 to tokens signed with the new key: it fails closed.
 *
 * ingress, gateway targets: a KongConsumer `<name>` with credential Secrets `<name>-key-<i>` and
 * `<name>-acl`. admin target: the kong provider's Consumer, ConsumerJwtAuth and ConsumerAcl.
 */
export class KongJwtConsumer extends pulumi.ComponentResource {
    /** What was registered, by target. TypeScript only. */
    get resources(): KongConsumerResources {
        return consumerResources.get(this);
    }
    /** Where the keys are read. */
    readonly jwksUrl: pulumi.Output<string>;
    /** The key ids Kong trusts, slot by slot. */
    readonly keyIds: pulumi.Output<string[]>;
    readonly username: pulumi.Output<string>;
    /** What routes take (`jwtConsumer`); its group resolves once the consumer and every credential exist. */
    readonly reference: JwtConsumerReference;

    constructor(name: string, args: KongJwtConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
        const { target, keySlots } = resolutions.get(name, args);
        super(KONG_JWT_CONSUMER_TYPE, name, {}, opts);
        this.jwksUrl = pulumi.output(args.issuer).apply(jwksUrlOf);
        const jwks = new CognitoJwks(`${name}-jwks`, { jwksUrl: this.jwksUrl, keySlots }, { parent: this });
        const keys = requiredOutput("pulumi-nodejs:dynamic:CognitoJwks", `${name}-jwks`, "keys", jwks.keys);
        this.username = pulumi.output(args.username ?? pulumi.output(args.issuer).apply(defaultUsername));
        const emitted = emitterOf(target).emitConsumer(this, {
            name,
            namespace: args.namespace,
            username: this.username,
            keySlots,
            keys,
        });
        consumerResources.set(this, emitted.resources);
        this.keyIds = keys.apply((list) => list.map((key) => key.kid));
        this.reference = {
            aclGroup: pulumi.all([this.username, ...emitted.ready.map((resource) => resource.id)]).apply(([username]) => username),
        };
        this.registerOutputs({ jwksUrl: this.jwksUrl, keyIds: this.keyIds, username: this.username });
    }
}
