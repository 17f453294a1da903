// The plugin configs kong-cognito hands Kong, field by field in Kong's own names and types:
// openid-connect and proxy-cache-advanced (Kong Enterprise plugin schemas 3.10 and 3.15, their
// `redis` record), proxy-cache (kong/plugins/proxy-cache/schema.lua), jwt and acl (kong/plugins/jwt,
// kong/plugins/acl schema.lua).
import { expect } from "chai";
import {
    aclConfig,
    BrowserSessionSettings,
    jwtConfig,
    openIdConnectConfig,
    OpenIdConnectSettings,
    proxyCacheConfig,
    proxyCachePlugin,
    redisConfig,
} from "../components/kong/model/pluginConfigs";
import { ProxyCacheSettings, RedisSettings } from "../components/kong/model/rules";

const REDIS: RedisSettings = { host: "redis.kong.svc.cluster.local", port: 6379, tls: false, database: 0 };

describe("Kong plugin configs, field by field", () => {
    describe("the redis record (openid-connect, proxy-cache-advanced)", () => {
        it("says ssl and ssl_verify (whose default changed in 3.14) and no more without TLS, a user or a password", () => {
            expect(redisConfig(REDIS, undefined)).to.deep.equal({
                host: "redis.kong.svc.cluster.local",
                port: 6379,
                ssl: false,
                ssl_verify: false,
                database: 0,
            });
        });

        it("verifies the server's certificate against its host name with TLS, and carries the user and the password", () => {
            expect(redisConfig({ ...REDIS, tls: true, username: "kong", port: 6380, database: 2 }, "p4ss")).to.deep.equal({
                host: "redis.kong.svc.cluster.local",
                port: 6380,
                ssl: true,
                ssl_verify: true,
                server_name: "redis.kong.svc.cluster.local",
                username: "kong",
                password: "p4ss",
                database: 2,
            });
        });
    });

    describe("openid-connect", () => {
        const api: OpenIdConnectSettings = {
            issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x/.well-known/openid-configuration",
            clientId: "client-a",
            clientSecret: "s3cret",
            authMethods: ["bearer", "client_credentials"],
            scopes: ["http://kongresource/scope1"],
            scopesRequired: [],
            audienceClaim: ["client_id"],
            sslVerify: false,
        };
        const session: BrowserSessionSettings = {
            sessionSecret: "c2Vzc2lvbg==",
            secureCookie: true,
            sessionCookieName: "web-session",
            authorizationCookieName: "web-authorization",
            cookiePath: "/web",
            logoutSuffix: "/logout",
            logoutMethods: ["POST", "DELETE"],
            signedOutUrl: "https://kong.example.com/web",
        };
        const browser: OpenIdConnectSettings = {
            ...api,
            authMethods: ["authorization_code", "session"],
            scopes: ["openid", "email"],
            redirectUri: "https://kong.example.com/web",
            session,
        };
        /** What every config holds, browser or not. */
        const common = {
            issuer: api.issuer,
            client_id: ["client-a"],
            audience_claim: ["client_id"],
            audience_required: ["client-a"],
            ssl_verify: false,
            bearer_token_param_type: ["header"],
            client_credentials_param_type: ["header"],
        };

        it("leaves the client secret out for bearer and client_credentials, and out when there is none", () => {
            expect(openIdConnectConfig(api)).to.deep.equal({
                ...common,
                auth_methods: ["bearer", "client_credentials"],
                scopes: ["http://kongresource/scope1"],
            });
            expect(openIdConnectConfig({ ...api, authMethods: ["authorization_code"], clientSecret: undefined })).to.not.have.property(
                "client_secret",
            );
        });

        it("keeps the session in the cookie, redirects to the signed-out URL, and revokes nothing without an endpoint", () => {
            expect(openIdConnectConfig(browser)).to.deep.equal({
                ...common,
                client_secret: ["s3cret"],
                auth_methods: ["authorization_code", "session"],
                scopes: ["openid", "email"],
                redirect_uri: ["https://kong.example.com/web"],
                session_secret: "c2Vzc2lvbg==",
                session_cookie_secure: true,
                session_cookie_name: "web-session",
                session_cookie_path: "/web",
                authorization_cookie_name: "web-authorization",
                authorization_cookie_path: "/web",
                session_storage: "cookie",
                logout_uri_suffix: "/logout",
                logout_methods: ["POST", "DELETE"],
                logout_revoke: false,
                logout_redirect_uri: ["https://kong.example.com/web"],
            });
        });

        it("keeps the session in Redis, revokes the refresh token at logout and signs out through the IdP's endpoint", () => {
            const config = openIdConnectConfig({
                ...browser,
                session: {
                    ...session,
                    secureCookie: false,
                    logoutMethods: ["GET"],
                    redis: redisConfig(REDIS, undefined),
                    revocationEndpoint: "https://idp.auth.us-east-1.amazoncognito.com/oauth2/revoke",
                    endSessionEndpoint: "https://idp.auth.us-east-1.amazoncognito.com/logout?client_id=client-a",
                },
            });
            expect(config).to.deep.include({
                session_cookie_secure: false,
                session_storage: "redis",
                redis: { host: "redis.kong.svc.cluster.local", port: 6379, ssl: false, ssl_verify: false, database: 0 },
                logout_methods: ["GET"],
                logout_revoke: true,
                logout_revoke_access_token: false,
                logout_revoke_refresh_token: true,
                revocation_endpoint: "https://idp.auth.us-east-1.amazoncognito.com/oauth2/revoke",
                end_session_endpoint: "https://idp.auth.us-east-1.amazoncognito.com/logout?client_id=client-a",
            });
            expect(config).to.not.have.property("logout_redirect_uri");
        });
    });

    describe("jwt and acl (Kong OSS)", () => {
        it("finds the credential by kid, verifies and caps exp at 1 day, and reads the Authorization header alone", () => {
            expect(jwtConfig()).to.deep.equal({
                key_claim_name: "kid",
                claims_to_verify: ["exp"],
                maximum_expiration: 86400,
                header_names: ["authorization"],
                uri_param_names: [],
                cookie_names: [],
                secret_is_base64: false,
                run_on_preflight: true,
            });
        });

        it("lets the one group through and hides the groups header from the upstream", () => {
            expect(aclConfig("cognito-us-east-1_x")).to.deep.equal({ allow: ["cognito-us-east-1_x"], hide_groups_header: true });
        });
    });

    describe("proxy-cache and proxy-cache-advanced", () => {
        const settings: ProxyCacheSettings = {
            ttlSeconds: 30,
            contentTypes: ["application/json"],
            responseCodes: [200, 404],
            requestMethods: ["GET", "HEAD"],
            varyHeaders: ["Accept"],
            authenticated: true,
            consumerMapping: false,
            dictionaryName: "kong_db_cache",
        };

        it("is proxy-cache in memory, proxy-cache-advanced with Redis", () => {
            expect(proxyCachePlugin(settings)).to.equal("proxy-cache");
            expect(proxyCachePlugin({ redis: REDIS })).to.equal("proxy-cache-advanced");
        });

        it("puts the Redis strategy's record and password in place of the memory dict", () => {
            expect(proxyCacheConfig({ ...settings, redis: { ...REDIS, username: "kong" } }, "p4ss")).to.deep.equal({
                strategy: "redis",
                redis: {
                    host: "redis.kong.svc.cluster.local",
                    port: 6379,
                    ssl: false,
                    ssl_verify: false,
                    username: "kong",
                    password: "p4ss",
                    database: 0,
                },
                cache_ttl: 30,
                content_type: ["application/json"],
                response_code: [200, 404],
                request_method: ["GET", "HEAD"],
                vary_headers: ["accept", "authorization"],
                cache_control: false,
            });
        });
    });
});
