// A Pulumi program of another project that uses kong-cognito: an orders API for machines and its
// web app for people, both behind one Cognito user pool, at a DNS name another resource makes.
// The README's "Use it in your own project" shows it; CI installs the packed library into a
// scratch project and type-checks and tests this file there (.ci/consumer-check.sh).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, KongOidcRoute } from "kong-cognito";

// The gateway's public name: a record pointing at the Kong proxy's load balancer. Its fqdn is an
// Output, known at deploy time; the routes take it as it is.
const gateway = new aws.route53.Record("gateway", {
    zoneId: "Z0EXAMPLE0ZONE0ID",
    name: "api",
    type: "CNAME",
    ttl: 300,
    records: ["kong-proxy-0123456789.elb.us-east-1.amazonaws.com"],
});
const publicBaseUrl = pulumi.interpolate`https://${gateway.fqdn}`;

const idp = new CognitoIdp("orders-idp", {
    domainPrefix: "orders-login",
    resourceServer: { identifier: "https://orders.example.com", scopes: [{ name: "read", description: "Read orders" }] },
    machineClient: {},
    // The app route below signs people in: its URL is the web client's callback (and makes the web client).
    callbackUrls: [pulumi.interpolate`${publicBaseUrl}/orders/app`],
    logoutUrls: [pulumi.interpolate`${publicBaseUrl}/orders/app`],
});

const api = new KongOidcRoute("orders-api", {
    namespace: "kong",
    publicBaseUrl,
    path: "/orders/api",
    mode: "api",
    upstreamService: { name: "orders", namespace: "orders", port: 8080 },
    oidc: idp.oidcSettings("api"),
});

const app = new KongOidcRoute("orders-app", {
    namespace: "kong",
    publicBaseUrl,
    path: "/orders/app",
    mode: "browser",
    upstreamService: { name: "orders-ui", namespace: "orders", port: 80 },
    oidc: idp.oidcSettings("browser"),
    cache: { ttlSeconds: 30 },
});

export const issuer = idp.issuerUrl;
export const tokenEndpoint = idp.tokenEndpoint;
export const apiUrl = api.url;
export const appUrl = app.url;
export const machineClientId = idp.machineClientId;
export const machineClientSecret = idp.machineClientSecret;
