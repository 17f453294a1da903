// A Pulumi program for the open-source Kong Gateway: an API route that trusts a Cognito user pool
// through Kong's bundled jwt and acl plugins. The README's "Kong OSS" shows it; the tests run it
// on the mock runtime.
import { CognitoIdp, KongJwtConsumer, KongOidcRoute } from "kong-cognito";

const idp = new CognitoIdp("orders-idp", {
    domainPrefix: "orders-login",
    resourceServer: { identifier: "https://orders.example.com", scopes: [{ name: "read", description: "Read orders" }] },
    machineClient: {},
});

// The pool as one Kong consumer: its signing keys, read at deploy time, one jwt credential each.
const consumer = new KongJwtConsumer("orders-jwt", { namespace: "kong", issuer: idp.issuerUrl });

const api = new KongOidcRoute("orders-api", {
    namespace: "kong",
    publicBaseUrl: "https://api.example.com",
    path: "/orders/api",
    mode: "api",
    upstreamService: { name: "orders", namespace: "orders", port: 8080 },
    oidc: idp.oidcSettings("api"),
    kongEdition: "oss",
    jwtConsumer: consumer.reference,
});

export const apiUrl = api.url;
export const trustedKeyIds = consumer.keyIds;
export const tokenEndpoint = idp.tokenEndpoint;
export const machineClientId = idp.machineClientId;
export const machineClientSecret = idp.machineClientSecret;
