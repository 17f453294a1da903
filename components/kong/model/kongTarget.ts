// The targets kong-cognito configures Kong through, by name: the one list the components' args,
// the emitter contract (emitter.ts) and the table of emitters (../targets.ts) share.

/**
 * How Kong is configured: Kong Ingress Controller objects with an Ingress (`ingress`) or a Gateway
 * API HTTPRoute (`gateway`), or Kong's Admin API through the `kong` provider (`admin`).
 */
export const KongTarget = {
    /** Kong Ingress Controller objects with an Ingress per route. */
    Ingress: "ingress",
    /** Kong Ingress Controller objects with a Gateway API HTTPRoute per route. */
    Gateway: "gateway",
    /** Kong's Admin API through the kong provider. */
    Admin: "admin",
} as const;
export type KongTarget = (typeof KongTarget)[keyof typeof KongTarget];
