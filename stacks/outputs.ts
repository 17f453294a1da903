// The stack's outputs, declared once: what `pulumi stack output --json` shows, which the program
// exports (as Outputs) and `npm run verify` reads back (as plain JSON).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

export const routeOutputSchema = z.object({
    name: z.string(),
    url: z.string(),
    mode: z.string(),
    authMethods: z.array(z.string()),
    /** openid-connect (Kong Enterprise) or jwt (Kong OSS); stacks of 0.1 did not say (openid-connect). */
    authPlugin: z.enum(["openid-connect", "jwt"]).optional(),
    /** Kong OSS routes: what the gateway checks of a token, and what it does not. */
    tokenChecks: z.object({ checked: z.array(z.string()), notChecked: z.array(z.string()) }).optional(),
    /** Where the route sends traffic, and whether this stack created that Service. */
    upstream: z.string(),
    /** Browser routes: opening it signs the user out of the gateway and of Cognito's hosted UI. */
    logoutUrl: z.string().optional(),
    /** Browser routes: where the logout ends, after Cognito's /logout (a logout URL of the web client). */
    signedOutUrl: z.string().optional(),
    /** Browser routes: the request methods the logout URL takes (older stacks: GET and POST). */
    logoutMethods: z.array(z.string()).optional(),
    /** Present on cached routes. */
    cacheTtlSeconds: z.number().optional(),
});

export const stackOutputsSchema = z.object({
    userPoolId: z.string(),
    issuerUrl: z.string(),
    discoveryUrl: z.string(),
    tokenEndpoint: z.string(),
    authorizeEndpoint: z.string(),
    hostedUiUrl: z.string(),
    /** Absent in a stack without browser routes (no web client). */
    webClientId: z.string().optional(),
    /** Secret. */
    webClientSecret: z.string().optional(),
    machineClientId: z.string(),
    /** Secret. */
    machineClientSecret: z.string(),
    machineScopes: z.array(z.string()),
    routes: z.array(routeOutputSchema),
    /** Kong OSS: the key ids Kong trusts, read from the pool's JWKS at the last update or refresh. */
    jwtKeyIds: z.array(z.string()).optional(),
});

export type RouteOutput = z.infer<typeof routeOutputSchema>;
/** The outputs as `pulumi stack output --json --show-secrets` prints them. */
export type StackOutputValues = z.infer<typeof stackOutputsSchema>;
/** The outputs as the program exports them. */
export type StackOutputs = { readonly [K in keyof StackOutputValues]: pulumi.Output<NonNullable<StackOutputValues[K]>> };
