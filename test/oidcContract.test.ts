// The contract between the identity provider and its routes (components/oidc.ts): the URLs browsers
// are sent to, the IdP's logout URL, a route's public URL and the route modes.
import { expect } from "chai";
import { checkHttpsUrl, idpLogoutUrl, ROUTE_MODES, RouteMode, routeUrl } from "../components/oidc";
import { issuesOf } from "./harness";

const withPath = (url: string) => issuesOf((i) => checkHttpsUrl(i, "signedOutUrl", url, { allowPath: true })).map((i) => i.rule);
const baseUrl = (url: string) => issuesOf((i) => checkHttpsUrl(i, "publicBaseUrl", url, { allowPath: false })).map((i) => i.rule);

describe("the OIDC contract", () => {
    describe("a URL browsers are sent to", () => {
        it("takes HTTPS anywhere and plain http on each name of the local machine", () => {
            expect(
                ["https://kong.example.com/cb?x=1", "http://localhost:8000/cb", "http://127.0.0.1/cb", "http://[::1]/cb"].flatMap(withPath),
            ).to.deep.equal([]);
        });
        it("refuses plain http elsewhere, and any other scheme", () => {
            expect(withPath("http://kong.example.com/cb")).to.deep.equal(["must use https (http is allowed only for localhost)"]);
            expect(withPath("http://localhost.example.com/cb")).to.deep.equal(["must use https (http is allowed only for localhost)"]);
            expect(withPath("ftp://kong.example.com/cb")).to.deep.equal(["must use https"]);
        });
        it("refuses a relative URL with the only rule it can check", () => {
            expect(issuesOf((i) => checkHttpsUrl(i, "signedOutUrl", "/signed-out", { allowPath: true }))).to.deep.equal([
                { propertyPath: "signedOutUrl", value: "/signed-out", rule: "must be an absolute URL such as https://kong.example.com" },
            ]);
        });
        it("refuses a fragment, an empty one too", () => {
            expect(withPath("https://kong.example.com/cb#top")).to.deep.equal(["must not contain a fragment (#...)"]);
            expect(withPath("https://kong.example.com/cb#")).to.deep.equal(["must not contain a fragment (#...)"]);
        });
        it("refuses a user name or a password in the URL", () => {
            expect(withPath("https://user@kong.example.com/")).to.deep.equal(["must not contain credentials"]);
            expect(withPath("https://:secret@kong.example.com/")).to.deep.equal(["must not contain credentials"]);
        });
        it("as a base URL, takes an origin with or without its slash, and refuses a path or a query", () => {
            expect([...baseUrl("https://kong.example.com"), ...baseUrl("https://kong.example.com/")]).to.deep.equal([]);
            const rule = "must be a base URL without path or query, such as https://kong.example.com";
            expect([...baseUrl("https://kong.example.com/api"), ...baseUrl("https://kong.example.com/?a=1")]).to.deep.equal([rule, rule]);
        });
        it("reports every broken rule of one URL, under its property path", () => {
            expect(
                issuesOf((i) => checkHttpsUrl(i, "publicBaseUrl", "http://u:p@kong.example.com/x#y", { allowPath: false })),
            ).to.deep.equal(
                [
                    "must use https (http is allowed only for localhost)",
                    "must not contain a fragment (#...)",
                    "must not contain credentials",
                    "must be a base URL without path or query, such as https://kong.example.com",
                ].map((rule) => ({ propertyPath: "publicBaseUrl", value: "http://u:p@kong.example.com/x#y", rule })),
            );
        });
    });

    it("sends the browser to Cognito's /logout with the client id and the registered sign-out URL", () => {
        expect(
            idpLogoutUrl(
                "https://kongidp.auth.us-east-1.amazoncognito.com/logout",
                "web-client-id",
                "https://kong.example.com/signed-out?a=1",
            ),
        ).to.equal(
            "https://kongidp.auth.us-east-1.amazoncognito.com/logout?client_id=web-client-id&logout_uri=https%3A%2F%2Fkong.example.com%2Fsigned-out%3Fa%3D1",
        );
    });

    it("puts a route's path on the public origin, whatever path the base URL has", () => {
        expect(routeUrl("https://kong.example.com", "/oidcroute")).to.equal("https://kong.example.com/oidcroute");
        expect(routeUrl("https://kong.example.com:8443/ignored/", "/app")).to.equal("https://kong.example.com:8443/app");
    });

    it("has two route modes: api for machines, browser for people", () => {
        expect(RouteMode).to.deep.equal({ Api: "api", Browser: "browser" });
        expect(ROUTE_MODES).to.deep.equal(["api", "browser"]);
    });
});
