// The README's example of importing the components into another Pulumi project. It is
// type-checked with the tests (tsconfig maps "kong-cognito" to components/), so it stays true.
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, KongOidcRoute } from "kong-cognito";

const idp = new CognitoIdp("orders-idp", {
    domainPrefix: "orders-login",
    callbackUrls: ["https://api.example.com/orders/app"],
    // Where the browser route's sign-out lands (its signedOutUrl, by default the route's URL).
    logoutUrls: ["https://api.example.com/orders/app"],
    resourceServer: { identifier: "https://api.example.com/orders", scopes: [{ name: "read", description: "Read orders" }] },
    machineClient: {},
});

const ordersApi = new KongOidcRoute("orders-api", {
    namespace: "kong",
    publicBaseUrl: "https://api.example.com",
    path: "/orders/api",
    mode: "api",
    upstreamService: { name: "orders", port: 8080 },
    oidc: idp.oidcSettings("api"),
});

const ordersApp = new KongOidcRoute("orders-app", {
    namespace: "kong",
    publicBaseUrl: "https://api.example.com",
    path: "/orders/app",
    mode: "browser",
    upstreamService: { name: "orders-ui", port: 80 },
    oidc: idp.oidcSettings("browser"),
    cache: { ttlSeconds: 30, contentTypes: ["text/html; charset=utf-8"] },
});

export const issuer = idp.issuerUrl;
export const urls = pulumi.all([ordersApi.url, ordersApp.url]);
