// A route's args resolved into its target-free model, called directly: the defaults it applies and
// each rule it checks, with the property path the error names.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { KongOidcRouteArgs, resolveRouteModel, RouteModel } from "../components/kong/model/routeModel";
import { InputIssue } from "../components/validation";
import { issuesOf, resolve, seedApiRoute } from "./harness";

type RouteArgs = Omit<KongOidcRouteArgs, "oidc">;

/** The seed's API route without its provider, changed by `changes`. */
function apiRoute(changes: Partial<RouteArgs> = {}): RouteArgs {
    const { oidc: _oidc, ...args } = seedApiRoute();
    void _oidc;
    return { ...args, ...changes };
}

/** A browser route on the seed's host. */
function browserRoute(changes: Partial<RouteArgs> = {}): RouteArgs {
    return apiRoute({ mode: "browser", path: "/web", ...changes });
}

function resolved(args: RouteArgs, name = "web"): { route?: RouteModel; warnings: readonly string[]; issues: InputIssue[] } {
    let result: { route?: RouteModel; warnings: readonly string[] } = { warnings: [] };
    const issues = issuesOf((i) => {
        result = resolveRouteModel(i, name, args);
    });
    return { ...result, issues };
}

describe("resolveRouteModel", () => {
    it("gives an api route Cognito's audience claim, the path stripped and no session", () => {
        const { route, warnings, issues } = resolved(apiRoute());
        expect(issues).to.deep.equal([]);
        expect(warnings).to.deep.equal([]);
        expect(route).to.deep.include({
            publicUrl: "https://kong.example.com/oidcroute",
            audienceClaim: ["client_id"],
            authMethods: ["bearer", "client_credentials"],
            stripPath: true,
            sslVerify: true,
            kongVersion: { major: 3, minor: 14 },
            session: undefined,
            extraPlugins: [],
        });
    });

    it("gives a browser route cookies of its own name on its own path, and a secure cookie over HTTPS", () => {
        const { route, issues } = resolved(browserRoute(), "web");
        expect(issues).to.deep.equal([]);
        expect(route?.session).to.deep.equal({
            sessionCookieName: "web-session",
            authorizationCookieName: "web-authorization",
            cookiePath: "/web",
            logoutPath: "/logout",
            logoutMethods: ["POST", "DELETE"],
            signedOutUrl: "https://kong.example.com/web",
            secureCookie: true,
        });
    });

    it("sends the session cookie over plain http too when users reach Kong on http://localhost", () => {
        const { route } = resolved(browserRoute({ publicBaseUrl: "http://localhost:8000" }));
        expect(route?.session?.secureCookie).to.equal(false);
    });

    it("decides the secure cookie once an Output base URL resolves", async () => {
        const { route } = resolved(browserRoute({ publicBaseUrl: pulumi.output("http://localhost:8000") }));
        expect(await resolve(pulumi.output(route!.session!.secureCookie))).to.equal(false);
    });

    it("returns no route, and no error of its own, when the base URL is broken", () => {
        for (const args of [browserRoute({ publicBaseUrl: "kong.example.com" }), apiRoute({ publicBaseUrl: "kong.example.com" })]) {
            const { route, warnings, issues } = resolved(args);
            expect({ route, warnings }).to.deep.equal({ route: undefined, warnings: [] });
            expect(issues).to.deep.equal([
                {
                    propertyPath: "publicBaseUrl",
                    value: "kong.example.com",
                    rule: "must be an absolute URL such as https://kong.example.com",
                },
            ]);
        }
    });

    it("returns no route when the upstream is broken", () => {
        const { route, issues } = resolved(apiRoute({ upstreamUrl: "ftp://httpbin.org" }));
        expect(route).to.equal(undefined);
        expect(issues.map((i) => i.propertyPath)).to.deep.equal(["upstreamUrl"]);
    });

    it("names publicBaseUrl, and the empty value, when it is missing (an untyped caller)", () => {
        const { issues } = resolved(apiRoute({ publicBaseUrl: undefined as unknown as string }));
        expect(issues).to.deep.equal([
            { propertyPath: "publicBaseUrl", value: "", rule: "must be an absolute URL such as https://kong.example.com" },
        ]);
    });

    it("names path, and says it must not be empty, when it is missing (an untyped caller)", () => {
        const { issues } = resolved(apiRoute({ path: undefined as unknown as string }));
        expect(issues).to.deep.equal([{ propertyPath: "path", value: "", rule: 'must not be empty; use "/" for the whole host' }]);
    });

    it("refuses an unknown mode, which has no default auth methods", () => {
        const { issues } = resolved(apiRoute({ mode: "spa" as never }));
        expect(issues).to.deep.equal([
            { propertyPath: "mode", value: "spa", rule: "must be one of api, browser" },
            { propertyPath: "authMethods", value: [], rule: "must name at least one auth method" },
        ]);
    });

    describe("the host", () => {
        it("checks host only when it is set", () => {
            expect(resolved(apiRoute({ host: undefined })).issues).to.deep.equal([]);
            expect(resolved(apiRoute({ host: "kong.example.com" })).issues).to.deep.equal([]);
        });

        it("refuses a host that is not a lowercase DNS name, even when it is publicBaseUrl's", () => {
            const { issues } = resolved(apiRoute({ publicBaseUrl: "https://kong_1.example.com", host: "kong_1.example.com" }));
            expect(issues).to.deep.equal([
                { propertyPath: "host", value: "kong_1.example.com", rule: "must be a lowercase DNS name such as api.example.com" },
            ]);
        });
    });

    describe("an in-cluster upstream", () => {
        const service = (changes: object = {}) =>
            apiRoute({ upstreamUrl: undefined, upstreamService: { name: "httpbin", port: 80, ...changes } });

        it("takes ports 1 and 65535 and refuses 0 and 65536", () => {
            for (const port of [1, 65535]) {
                expect(resolved(service({ port })).issues, String(port)).to.deep.equal([]);
            }
            for (const port of [0, 65536]) {
                expect(resolved(service({ port })).issues, String(port)).to.deep.equal([
                    { propertyPath: "upstreamService.port", value: port, rule: "must be a port number from 1 to 65535" },
                ]);
            }
        });

        it("checks the namespace when it is known", () => {
            expect(resolved(service({ namespace: "Apps" })).issues.map((i) => [i.propertyPath, i.value])).to.deep.equal([
                ["upstreamService.namespace", "Apps"],
            ]);
            expect(resolved(service({ namespace: pulumi.output("Apps") })).issues).to.deep.equal([]);
        });

        it("leaves a name that is an Output to the Service that uses it", () => {
            const name = pulumi.output("httpbin");
            const { route, issues } = resolved(service({ name }));
            expect(issues).to.deep.equal([]);
            expect(route?.upstream).to.deep.equal({ kind: "service", service: { name, port: 80 } });
        });
    });

    describe("browser-only args", () => {
        it("refuses them on an api route, an Output named as such", () => {
            const { issues } = resolved(apiRoute({ logoutPath: "/bye", signedOutUrl: pulumi.output("https://kong.example.com/") }));
            expect(issues).to.deep.equal([
                { propertyPath: "logoutPath", value: "/bye", rule: "applies to browser routes only (mode: browser)" },
                { propertyPath: "signedOutUrl", value: "(an Output)", rule: "applies to browser routes only (mode: browser)" },
            ]);
        });

        it("takes a logout path suffix, not / nor one without a leading /", () => {
            expect(resolved(browserRoute({ logoutPath: "/signout" })).route?.session?.logoutPath).to.equal("/signout");
            for (const logoutPath of ["/", "logout"]) {
                expect(resolved(browserRoute({ logoutPath })).issues, logoutPath).to.deep.equal([
                    { propertyPath: "logoutPath", value: logoutPath, rule: 'must be a URL path suffix such as "/logout"' },
                ]);
            }
        });
    });

    describe("Kong OSS", () => {
        const oss = (changes: Partial<RouteArgs> = {}) =>
            apiRoute({ kongEdition: "oss", jwtConsumer: { aclGroup: "cognito-us-east-1_TEST" }, ...changes });

        it("takes kongTlsCertificateVerify at its default, and refuses on and off", () => {
            expect(resolved(oss({ kongTlsCertificateVerify: "default" })).issues).to.deep.equal([]);
            expect(resolved(oss({ kongTlsCertificateVerify: "on" })).issues.map((i) => [i.propertyPath, i.value])).to.deep.equal([
                ["kongTlsCertificateVerify", "on"],
            ]);
        });

        it("names each openid-connect arg it refuses with its value", () => {
            expect(resolved(oss({ authMethods: ["bearer"], audienceClaim: ["aud"] })).issues).to.deep.equal([
                {
                    propertyPath: "authMethods",
                    value: ["bearer"],
                    rule: "applies to kongEdition enterprise only: it is an openid-connect setting",
                },
                {
                    propertyPath: "audienceClaim",
                    value: ["aud"],
                    rule: "applies to kongEdition enterprise only: it is an openid-connect setting",
                },
            ]);
        });
    });

    it("warns, naming the route, that 3.13 accepts ssl_verify false only while its option is off", () => {
        const { warnings, issues } = resolved(apiRoute({ sslVerify: false, kongVersion: "3.13" }), "oidcroute");
        expect(issues).to.deep.equal([]);
        expect(warnings).to.deep.equal([
            'KongOidcRoute "oidcroute": sslVerify = false: Kong 3.13 accepts ssl_verify: false only while its ' +
                "tls_certificate_verify option is off (Kong 3.13's default); a Kong that turns it on refuses this config, and " +
                "until then the IdP's certificate is not verified",
        ]);
    });

    it("names the property of each rule that depends on the edition: jwtConsumer, mode, kongTlsCertificateVerify", () => {
        expect(resolved(apiRoute({ jwtConsumer: { aclGroup: "cognito-us-east-1_TEST" } })).issues).to.deep.equal([
            {
                propertyPath: "jwtConsumer",
                value: "(set)",
                rule: "applies to kongEdition oss only (Kong Enterprise routes use openid-connect)",
            },
        ]);
        expect(resolved(browserRoute({ kongEdition: "oss", jwtConsumer: { aclGroup: "cognito-us-east-1_TEST" } })).issues).to.deep.equal([
            {
                propertyPath: "mode",
                value: "browser",
                rule:
                    "browser sign-in needs Kong Enterprise's openid-connect plugin (sessions, the authorization code flow); " +
                    "on kongEdition oss only api routes, protected by the jwt plugin, are possible",
            },
        ]);
        expect(resolved(apiRoute({ kongTlsCertificateVerify: "sometimes" as never })).issues.map((i) => i.propertyPath)).to.deep.equal([
            "kongTlsCertificateVerify",
        ]);
    });

    it("refuses a public base URL with a path: the route's path goes in path", () => {
        expect(resolved(apiRoute({ publicBaseUrl: "https://kong.example.com/base" })).issues).to.deep.equal([
            {
                propertyPath: "publicBaseUrl",
                value: "https://kong.example.com/base",
                rule: "must be a base URL without path or query, such as https://kong.example.com",
            },
        ]);
    });

    it("names the namespace and the TLS Secret Kubernetes would refuse", () => {
        expect(resolved(apiRoute({ namespace: "Kong" })).issues.map((i) => [i.propertyPath, i.value])).to.deep.equal([
            ["namespace", "Kong"],
        ]);
        expect(
            resolved(apiRoute({ host: "kong.example.com", tlsSecretName: "TLS" })).issues.map((i) => [i.propertyPath, i.value]),
        ).to.deep.equal([["tlsSecretName", "TLS"]]);
    });

    it("names the index of a KongPlugin name that is not a DNS label", () => {
        const { issues } = resolved(apiRoute({ extraPlugins: ["rate-limit", "Bad_Name"] }));
        expect(issues.map((i) => [i.propertyPath, i.value])).to.deep.equal([["extraPlugins[1]", "Bad_Name"]]);
    });
});
