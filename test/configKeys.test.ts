// The config table: Pulumi.yaml and the README say what it says, and every key reaches every
// component arg it feeds, so a key can be neither undeclared nor silently dropped.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { idpConfigPath, parseStackConfig, routeConfigPath, stackArgs, StackConfig } from "../stacks/config";
import { CONFIG_KEYS, ConfigKeyName, defaultOf, Feed } from "../stacks/configKeys";
import { configDeclarations, configTable, TABLE_END, TABLE_START } from "../tools/configDocs";
import { PROJECT_DIR, readProjectFile } from "../tools/stackFiles";

const MINIMAL = {
    publicBaseUrl: "https://kong.example.com",
    domainPrefix: "orders-login",
    routes: JSON.stringify([{ name: "app", path: "/app", mode: "browser", upstreamUrl: "http://app.internal" }]),
};

/** The value at `a.b` of an object, or undefined. */
function at(value: unknown, dotted: string): unknown {
    return dotted.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

describe("config table", () => {
    it("is what Pulumi.yaml declares, key for key: type, default and description", () => {
        const declared = Object.fromEntries(Object.entries(readProjectFile().config).filter(([key]) => !key.includes(":")));
        expect(declared).to.deep.equal(configDeclarations());
    });

    it("is the README's configuration table", () => {
        const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        const table = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END) + TABLE_END.length);
        expect(table, "run npm run sync:config").to.equal(configTable(readProjectFile()));
    });

    it("declares every key but the routes list, and requires only publicBaseUrl, domainPrefix and routes", () => {
        expect(Object.keys(configDeclarations())).to.deep.equal(Object.keys(CONFIG_KEYS).filter((k) => k !== "routes"));
        const required = (Object.keys(CONFIG_KEYS) as ConfigKeyName[]).filter((k) => defaultOf(k) === undefined);
        expect(required).to.deep.equal(["publicBaseUrl", "domainPrefix", "routes"]);
    });

    describe("feeds every component arg it names", () => {
        const base = parseStackConfig("t", MINIMAL);
        /** A value of the key's type that differs from its default. */
        const changed: { [K in ConfigKeyName]?: StackConfig[K] } = {
            target: "admin",
            namespace: "orders",
            publicBaseUrl: "https://api.example.org",
            userPoolName: "orders-users",
            domainPrefix: "orders-two",
            deletionProtection: false,
            protectUserPool: false,
            selfSignUp: true,
            mfa: "ON",
            passwordMinimumLength: 20,
            webClientName: "orders-web",
            machineClientName: "orders-machine",
            accessTokenValidityMinutes: 15,
            idTokenValidityMinutes: 10,
            refreshTokenValidityDays: 7,
            resourceServerIdentifier: "https://api.example.org/orders",
            resourceServerScopes: ["read", "write"],
            sslVerify: false,
            deploySampleApp: true,
            sampleAppImage: "example/httpbin:1",
        };
        for (const [key, row] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, (typeof CONFIG_KEYS)[ConfigKeyName]][]) {
            for (const feed of row.feeds as readonly Feed[]) {
                if (feed.component === "idp" && feed.derive) {
                    continue; // derived values: asserted below
                }
                it(`${key} → ${feed.component}.${feed.arg}`, () => {
                    const value = changed[key];
                    expect(value, `a changed value for ${key}`).to.not.equal(undefined);
                    const args = stackArgs({ ...base, [key]: value });
                    const target = feed.component === "route" ? args.routes[0].args : args[feed.component];
                    expect(at(target, feed.arg)).to.deep.equal(value);
                });
            }
        }

        it("derives the callback URLs from the browser routes and the scopes' descriptions from the identifier", () => {
            const config = parseStackConfig("t", {
                ...MINIMAL,
                resourceServerScopes: '["read"]',
                routes: JSON.stringify([
                    { name: "api", path: "/api", mode: "api", upstreamUrl: "http://a" },
                    { name: "app", path: "/app", mode: "browser", upstreamUrl: "http://b" },
                ]),
            });
            const { idp } = stackArgs(config);
            expect(idp.callbackUrls).to.deep.equal(["https://kong.example.com/app"]);
            expect(idp.resourceServer?.scopes).to.deep.equal([{ name: "read", description: "read on http://kongresource" }]);
        });

        it("passes every field of a route to the route's args under the same name", () => {
            const route = {
                name: "app",
                path: "/app",
                mode: "browser",
                upstreamService: { name: "app", port: 8080 },
                host: "kong.example.com",
                tlsSecretName: "kong-tls",
                stripPath: false,
                protocols: ["https"],
                authMethods: ["authorization_code", "session"],
                cache: {
                    ttlSeconds: 30,
                    contentTypes: ["text/html; charset=utf-8"],
                    responseCodes: [200],
                    requestMethods: ["GET"],
                    varyHeaders: ["accept"],
                },
            };
            const [built] = stackArgs(parseStackConfig("t", { ...MINIMAL, routes: JSON.stringify([route]) })).routes;
            const { name, ...fields } = route;
            expect(built.name).to.equal(name);
            expect(built.args).to.deep.include(fields);
        });
    });

    describe("names the config key behind a component arg", () => {
        for (const [argPath, key] of [
            ["webClient.refreshTokenValidityDays", "kong-cognito:refreshTokenValidityDays"],
            ["machineClient.accessTokenValidityMinutes", "kong-cognito:accessTokenValidityMinutes"],
            ["resourceServer.scopes[1].name", "kong-cognito:resourceServerScopes[1].name"],
            ["machineClient.scopes", "kong-cognito:resourceServerScopes"],
            ["callbackUrls[0]", "kong-cognito:routes"],
            ["webClient.oauthFlows", "CognitoIdp.webClient.oauthFlows"],
        ]) {
            it(`CognitoIdp ${argPath} → ${key}`, () => expect(idpConfigPath(argPath)).to.equal(key));
        }
        for (const [argPath, key] of [
            ["publicBaseUrl", "kong-cognito:publicBaseUrl"],
            ["namespace", "kong-cognito:namespace"],
            ["cache.ttlSeconds", "kong-cognito:routes[2].cache.ttlSeconds"],
            ["upstreamService.port", "kong-cognito:routes[2].upstreamService.port"],
        ]) {
            it(`route ${argPath} → ${key}`, () => expect(routeConfigPath(2, argPath)).to.equal(key));
        }
    });
});
