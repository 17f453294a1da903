// The config table: Pulumi.yaml and the README say what it says, and every key reaches every
// component arg it feeds, so a key can be neither undeclared nor silently dropped.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { idpConfigPath, parseStackConfig, routeConfigPath, stackArgs, StackConfig } from "../stacks/config";
import { CONFIG_KEYS, ConfigKeyName, Feed } from "../stacks/configKeys";
import { configDeclarations, configTable, TABLE_END, TABLE_START } from "../tools/config/docs";
import { PROJECT_DIR, readProjectFile } from "../tools/shared/stackFiles";

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

    it("requires only publicBaseUrl, domainPrefix and routes", () => {
        const required = (Object.keys(CONFIG_KEYS) as ConfigKeyName[]).filter((k) => !CONFIG_KEYS[k].schema.safeParse(undefined).success);
        expect(required).to.deep.equal(["publicBaseUrl", "domainPrefix", "routes"]);
    });

    it("declares in Pulumi.yaml the keys with a default and the required ones, never an optional key without a default (the CLI would require it)", () => {
        const undeclared = Object.keys(CONFIG_KEYS).filter((k) => !(k in configDeclarations()));
        expect(undeclared).to.deep.equal([
            "gatewayName",
            "gatewayNamespace",
            "createGateway",
            "gatewayClassName",
            "createGatewayClass",
            "gatewayTlsSecretName",
            "jwtKeySlots",
            "redis",
        ]);
        const declaredWithoutDefault = Object.entries(configDeclarations()).filter(([, d]) => d.default === undefined);
        expect(declaredWithoutDefault.map(([key]) => key)).to.deep.equal(["publicBaseUrl", "domainPrefix", "routes"]);
        expect(configDeclarations().routes).to.deep.include({ type: "array", items: { type: "object" } });
    });

    describe("feeds every component arg it names", () => {
        // Parsed before the tests run, not while mocha collects them: a broken parser fails the tests, not the file's loading.
        let base: StackConfig;
        before(() => {
            base = parseStackConfig("t", MINIMAL);
        });
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
            kongVersion: "3.10",
            kongTlsCertificateVerify: "off",
            redis: { host: "redis.kong.svc.cluster.local", port: 6380, tls: true },
            userPoolTier: "PLUS",
            threatProtection: "ENFORCED",
            webClientAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            webClientScopes: ["openid"],
            deploySampleApp: true,
            sampleAppImage: "example/httpbin:1",
            gatewayName: "edge",
            gatewayNamespace: "gateways",
            createGateway: true,
            gatewayClassName: "kong-edge",
            createGatewayClass: true,
            gatewayTlsSecretName: "edge-tls",
            kongEdition: "oss",
            jwtKeySlots: 3,
        };
        for (const [key, row] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, (typeof CONFIG_KEYS)[ConfigKeyName]][]) {
            for (const feed of row.feeds as readonly Feed[]) {
                if ("derive" in feed && feed.derive) {
                    continue; // derived values: asserted below
                }
                it(`${key} → ${feed.component}.${feed.arg}`, () => {
                    const value = changed[key];
                    expect(value, `a changed value for ${key}`).to.not.equal(undefined);
                    // A feed with a condition (the gateway target's) is tested where it holds.
                    const args = stackArgs({ ...base, ...("when" in feed && feed.when ? { target: "gateway" } : {}), [key]: value });
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
            expect(idp.logoutUrls).to.deep.equal(["https://kong.example.com/app"]);
            expect(idp.resourceServer?.scopes).to.deep.equal([{ name: "read", description: "read on http://kongresource" }]);
        });

        it("gives the Gateway a stack creates its name, its namespace and the routes' namespace when that differs", () => {
            const gateway = (extra: Record<string, string>) =>
                stackArgs(parseStackConfig("t", { ...MINIMAL, target: "gateway", ...extra })).gateway;
            expect(gateway({})).to.deep.include({ gatewayName: "kong", namespace: "kong", publicBaseUrl: "https://kong.example.com" });
            expect(gateway({})).to.not.have.property("routeNamespaces");
            expect(gateway({ gatewayName: "edge", gatewayNamespace: "gateways" })).to.deep.include({
                gatewayName: "edge",
                namespace: "gateways",
                routeNamespaces: ["kong"],
            });
        });

        it("gives routes a Gateway reference on the gateway target only", () => {
            const routeOf = (target: string) =>
                stackArgs(parseStackConfig("t", { ...MINIMAL, target, gatewayName: "edge" })).routes[0].args as Record<string, unknown>;
            expect(routeOf("gateway").gateway).to.deep.equal({ name: "edge" });
            expect(routeOf("ingress")).to.not.have.property("gateway");
        });

        it("registers each browser route's signed-out URL as a logout URL, once", () => {
            const config = parseStackConfig("t", {
                ...MINIMAL,
                routes: JSON.stringify([
                    { name: "a", path: "/a", mode: "browser", upstreamUrl: "http://a", signedOutUrl: "https://www.example.com/bye" },
                    { name: "b", path: "/b", mode: "browser", upstreamUrl: "http://b", signedOutUrl: "https://www.example.com/bye" },
                    { name: "c", path: "/c", mode: "browser", upstreamUrl: "http://c" },
                ]),
            });
            expect(stackArgs(config).idp.logoutUrls).to.deep.equal(["https://www.example.com/bye", "https://kong.example.com/c"]);
        });

        it("gives a stack without browser routes no web client and no callback or logout URLs", () => {
            const config = parseStackConfig("t", {
                ...MINIMAL,
                webClientName: "unused",
                routes: JSON.stringify([{ name: "api", path: "/api", mode: "api", upstreamUrl: "http://a" }]),
            });
            const { idp } = stackArgs(config);
            expect(idp.webClient).to.equal(undefined);
            expect(idp.callbackUrls).to.deep.equal([]);
            expect(idp.logoutUrls).to.deep.equal([]);
        });

        it("keeps the Redis password a Pulumi secret and needs it encrypted in the stack file", async () => {
            const redis = JSON.stringify({ host: "redis.internal", password: "hunter22" });
            const config = parseStackConfig("t", { ...MINIMAL, redis }, { secretKeys: ["redis"] });
            const password = stackArgs(config).routes[0].args.redis!.password as pulumi.Output<string>;
            expect(await pulumi.isSecret(password)).to.equal(true);
            expect(() => parseStackConfig("t", { ...MINIMAL, redis })).to.throw(
                "kong-cognito:redis.password = (secret, not shown): is a credential in plain text: set it encrypted with " +
                    "pulumi config set --secret --path 'kong-cognito:redis.password' <value>",
            );
        });

        it("never shows an encrypted value in an error", () => {
            let message = "";
            try {
                parseStackConfig("t", { ...MINIMAL, domainPrefix: "Not-A-Prefix", mfa: "SOMETIMES" }, { secretKeys: ["mfa"] });
            } catch (error) {
                message = (error as Error).message;
            }
            expect(message).to.include("kong-cognito:mfa = (secret, not shown):");
            expect(message).to.not.include("SOMETIMES");
        });

        it("passes every field of a route to the route's args under the same name", () => {
            const route = {
                name: "app",
                path: "/app",
                mode: "browser",
                upstreamService: { name: "app", port: 8080, namespace: "apps" },
                logoutPath: "/signout",
                logoutMethods: ["GET", "POST"],
                signedOutUrl: "https://www.example.com/",
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
                    dictionaryName: "app_cache",
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
            ["redis.host", "kong-cognito:redis.host"],
            ["kongVersion", "kong-cognito:kongVersion"],
        ]) {
            it(`route ${argPath} → ${key}`, () => expect(routeConfigPath(2, argPath)).to.equal(key));
        }
    });
});
