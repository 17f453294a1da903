// A KongJwtConsumer as every target sees it: its args, what a route needs of it, and the model an
// emitter registers (the pool's consumer, one credential per signing key). Nothing here registers a resource.
import * as pulumi from "@pulumi/pulumi";
import type { SigningKey } from "../jwks";
import type { KongTarget } from "./kongTarget";

export interface KongJwtConsumerArgs {
    /** How Kong is configured, as for the routes: `ingress`, `gateway` or `admin`. @default "ingress" */
    readonly target?: KongTarget;
    /**
     * The issuer whose tokens the consumer stands for (`CognitoIdp.issuerUrl`,
     * `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`); its keys are read from
     * `<issuer>/.well-known/jwks.json` when the consumer is created and on every refresh.
     */
    readonly issuer: pulumi.Input<string>;
    /** ingress, gateway: namespace of the KongConsumer and its credential Secrets. Required there. */
    readonly namespace?: pulumi.Input<string>;
    /**
     * The consumer's username, unique across the Kong instance, and the ACL group routes allow.
     * @default `cognito-<userPoolId>` (the issuer's last path segment)
     */
    readonly username?: pulumi.Input<string>;
    /**
     * How many signing keys the JWKS publishes, one credential each; creation and refresh fail
     * naming the number found when it differs. @default 2 (Cognito's key pairs per pool)
     */
    readonly keySlots?: number;
}

/** What a route needs of the consumer: the ACL group, which resolves once the consumer and its credentials exist. */
export interface JwtConsumerReference {
    readonly aclGroup: pulumi.Input<string>;
}

/** A consumer as every target sees it. */
export interface JwtConsumerModel {
    readonly name: string;
    readonly namespace?: pulumi.Input<string>;
    readonly username: pulumi.Input<string>;
    readonly keySlots: number;
    /** Slot i's key; resolves after the JWKS is read. */
    readonly keys: pulumi.Output<SigningKey[]>;
}
