// The rules a stack checks across its components before registering anything (validateStack), and
// what buildStack outputs per route: each rule on the side it refuses and the side it lets through.
import { expect } from "chai";
import * as awsProvider from "@pulumi/aws/provider";
import { OSS_TOKEN_CHECKS } from "../components";
import { KongProvider } from "../components/kong/provider";
import { KongCognitoInputError } from "../components/validation";
import { parseStackConfig, StackConfig } from "../stacks/config";
import { BuildOptions, buildStack, validateStack } from "../stacks/stack";
import { plainInputs, record, resolve, the, TYPES } from "./harness";

const API_ROUTE = { name: "api", path: "/api", mode: "api", upstreamUrl: "http://api.internal" };
const BROWSER_ROUTE = { name: "app", path: "/app", mode: "browser", upstreamUrl: "http://app.internal" };

/** A stack's config from raw values (structured ones as JSON), as `pulumi up` hands it over. */
function config(raw: Record<string, unknown> = {}, routes: object[] = [API_ROUTE]): StackConfig {
    const strings = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return parseStackConfig("t", {
        publicBaseUrl: "https://kong.example.com",
        domainPrefix: "orders-login",
        routes: JSON.stringify(routes),
        ...strings,
    });
}

/** Each issue validateStack reports, as `<config key> = <value>: <rule>`; empty when the stack is valid. */
function stackIssues(stackConfig: StackConfig, options: BuildOptions = {}): string[] {
    try {
        validateStack("t", stackConfig, options);
        return [];
    } catch (error) {
        expect(error).to.be.instanceOf(KongCognitoInputError);
        return (error as Error).message
            .split("\n")
            .slice(1)
            .map((line) => line.replace(/^ {2}- /, ""));
    }
}

describe("a stack's own rules", () => {
    describe("the admin target's Admin API", () => {
        it("needs kong:kongAdminUri", () => {
            expect(stackIssues(config({ target: "admin" }))).to.deep.equal([
                "kong:kongAdminUri = (not set): the admin target needs the Admin API URL (pulumi config set kong:kongAdminUri ...)",
            ]);
        });

        it("checks the URL it is given: https, or http to localhost", () => {
            expect(stackIssues(config({ target: "admin" }), { kongAdmin: { adminUri: "http://kong.example.com:8001" } })).to.deep.equal([
                'kong:kongAdminUri = "http://kong.example.com:8001": must use https (http is allowed only for localhost)',
            ]);
            expect(stackIssues(config({ target: "admin" }), { kongAdmin: { adminUri: "http://localhost:8001" } })).to.deep.equal([]);
        });

        it("needs no URL when the caller's options bring a kong provider, as a map or a list", () => {
            const kong = new KongProvider("caller-kong", { kongAdminUri: "https://kong-admin.example.com" });
            expect(stackIssues(config({ target: "admin" }), { opts: { providers: { kong } } })).to.deep.equal([]);
            const aws = new awsProvider.Provider("caller-aws-too", { region: "us-east-1" });
            expect(stackIssues(config({ target: "admin" }), { opts: { providers: [aws, kong] } })).to.deep.equal([]);
        });

        it("still needs one when the caller's providers are for other packages", () => {
            const aws = new awsProvider.Provider("caller-aws", { region: "us-east-1" });
            const issues = stackIssues(config({ target: "admin" }), { opts: { providers: [aws] } });
            expect(issues.map((i) => i.split(" = ")[0])).to.deep.equal(["kong:kongAdminUri"]);
        });

        it("is no concern of the Kubernetes targets", () => {
            expect(stackIssues(config({ target: "ingress" }))).to.deep.equal([]);
        });
    });

    it("checks the Gateway's own args only when the stack creates it", () => {
        expect(stackIssues(config({ target: "gateway", gatewayClassName: "Kong_Edge" }))).to.deep.equal([
            'kong-cognito:gatewayClassName = "Kong_Edge": applies only to a Gateway the stack creates (kong-cognito:createGateway: true); an existing Gateway has its own',
        ]);
        expect(stackIssues(config({ target: "ingress", createGateway: true, gatewayClassName: "Kong_Edge" }))).to.deep.equal([
            "kong-cognito:createGateway = true: applies to the gateway target only (kong-cognito:target is ingress)",
            'kong-cognito:gatewayClassName = "Kong_Edge": applies to the gateway target only (kong-cognito:target is ingress)',
        ]);
        const created = stackIssues(config({ target: "gateway", createGateway: true, gatewayClassName: "Kong_Edge" }));
        expect(created).to.have.lengthOf(1);
        expect(created[0]).to.match(/^kong-cognito:gatewayClassName = "Kong_Edge": /);
    });

    it("checks the pool's Kong consumer on Kong OSS only", () => {
        expect(stackIssues(config({ jwtKeySlots: 0 }))).to.deep.equal([
            "kong-cognito:jwtKeySlots = 0: applies to kongEdition oss only (kong-cognito:kongEdition is enterprise)",
        ]);
        const oss = stackIssues(config({ kongEdition: "oss", jwtKeySlots: 0 }));
        expect(oss).to.have.lengthOf(1);
        expect(oss[0]).to.match(/^kong-cognito:jwtKeySlots = 0: /);
    });

    it("refuses two routes with one path on the same host, and lets a route for the public host share a path with one for any host", () => {
        const forPublicHost = { ...API_ROUTE, name: "api-public", host: "kong.example.com" };
        expect(stackIssues(config({}, [API_ROUTE, forPublicHost]))).to.deep.equal([]);
        expect(stackIssues(config({}, [forPublicHost, { ...forPublicHost, name: "again" }]))).to.deep.equal([
            'kong-cognito:routes[1].path = "/api": is already the path of routes[0] on the same host',
        ]);
        expect(stackIssues(config({}, [API_ROUTE, { ...API_ROUTE, name: "again" }]))).to.deep.equal([
            'kong-cognito:routes[1].path = "/api": is already the path of routes[0] on the same host',
        ]);
    });

    it("refuses a route to the sample app's Service only in the stack's namespace, where the stack would deploy it", () => {
        const toSampleApp = (namespace?: string) => ({
            ...API_ROUTE,
            upstreamUrl: undefined,
            upstreamService: { name: "sample-app", port: 80, ...(namespace ? { namespace } : {}) },
        });
        expect(stackIssues(config({}, [toSampleApp("apps")]))).to.deep.equal([]);
        expect(stackIssues(config({}, [toSampleApp("kong")]))).to.have.lengthOf(1);
        expect(stackIssues(config({ deploySampleApp: true }, [toSampleApp()]))).to.deep.equal([]);
    });

    it("reports a broken publicBaseUrl once, by the routes, not again as missing callback URLs", () => {
        const issues = stackIssues(config({ publicBaseUrl: "kong.example.com" }, [BROWSER_ROUTE]));
        expect(issues.map((i) => i.split(" = ")[0])).to.deep.equal(["kong-cognito:publicBaseUrl"]);
    });
});

describe("a stack's outputs", () => {
    async function outputsOf(stackConfig: StackConfig, options: BuildOptions = {}) {
        const { result, registrations } = await record(() => buildStack("t", stackConfig, options));
        return { outputs: result, routes: await resolve(result.routes), registrations };
    }

    it("say per route which plugin authenticates it and, on Kong OSS, what it checks of a token", async () => {
        const enterprise = await outputsOf(config());
        expect(enterprise.routes[0].authPlugin).to.equal("openid-connect");
        expect(enterprise.routes[0]).to.not.have.property("tokenChecks");
        expect(enterprise.outputs).to.not.have.property("jwtKeyIds");
        const oss = await outputsOf(config({ kongEdition: "oss" }));
        expect(oss.routes[0].authPlugin).to.equal("jwt");
        expect(oss.routes[0].tokenChecks).to.deep.equal({
            checked: [...OSS_TOKEN_CHECKS.checked],
            notChecked: [...OSS_TOKEN_CHECKS.notChecked],
        });
        expect(await resolve(oss.outputs.jwtKeyIds!)).to.have.lengthOf(2);
    });

    it("give a browser route its logout URL, methods and signed-out URL, and an API route none", async () => {
        const browser = { ...BROWSER_ROUTE, logoutPath: "/signout", logoutMethods: ["GET"], signedOutUrl: "https://www.example.com/bye" };
        const { routes, outputs } = await outputsOf(config({}, [API_ROUTE, browser]));
        expect(routes[1]).to.deep.include({
            logoutUrl: "https://kong.example.com/app/signout",
            logoutMethods: ["GET"],
            signedOutUrl: "https://www.example.com/bye",
        });
        for (const key of ["logoutUrl", "logoutMethods", "signedOutUrl", "cacheTtlSeconds"]) {
            expect(routes[0], key).to.not.have.property(key);
        }
        expect(await resolve(outputs.webClientId!)).to.be.a("string");
    });

    it("give a stack without browser routes no web client", async () => {
        const { outputs } = await outputsOf(config());
        expect(outputs).to.not.have.property("webClientId");
        expect(outputs).to.not.have.property("webClientSecret");
    });

    it("give a cached route its TTL", async () => {
        const { routes } = await outputsOf(config({}, [{ ...API_ROUTE, cache: { ttlSeconds: 45 } }]));
        expect(routes[0].cacheTtlSeconds).to.equal(45);
    });

    it("say where each route's traffic goes and whether the stack created that Service", async () => {
        const service = (name: string, namespace?: string) => ({
            ...API_ROUTE,
            name: `to-${name}-${namespace ?? "own"}`,
            path: `/${name}-${namespace ?? "own"}`,
            upstreamUrl: undefined,
            upstreamService: { name, port: 80, ...(namespace ? { namespace } : {}) },
        });
        const { routes } = await outputsOf(
            config({ deploySampleApp: true }, [API_ROUTE, service("sample-app"), service("sample-app", "apps"), service("orders", "apps")]),
        );
        expect(routes.map((r) => r.upstream)).to.deep.equal([
            "http://api.internal",
            "Service kong/sample-app port 80 (the sample app, deployed by this stack)",
            "Service apps/sample-app port 80 (not created by this stack)",
            "Service apps/orders port 80 (not created by this stack)",
        ]);
        const without = await outputsOf(config({}, [service("orders")]));
        expect(without.routes[0].upstream).to.equal("Service kong/orders port 80 (not created by this stack)");
    });

    it("deploy the sample app only when asked, and create a Gateway only on the gateway target with createGateway", async () => {
        const types = async (raw: Record<string, unknown>) => (await outputsOf(config(raw))).registrations.map((r) => r.type);
        expect(await types({})).to.not.include("kong-cognito:stacks:SampleApp");
        expect(await types({ deploySampleApp: true })).to.include("kong-cognito:stacks:SampleApp");
        expect(await types({ target: "gateway" })).to.not.include("kong-cognito:index:KongGateway");
        expect(await types({ target: "gateway", createGateway: true })).to.include("kong-cognito:index:KongGateway");
    });

    it("start a route to the sample app only after the sample app, and no other route", async () => {
        const toSampleApp = {
            ...API_ROUTE,
            name: "sample",
            path: "/sample",
            upstreamUrl: undefined,
            upstreamService: { name: "sample-app", port: 80 },
        };
        const { registrations } = await outputsOf(config({ deploySampleApp: true }, [API_ROUTE, toSampleApp]));
        const app = the(registrations, TYPES.service, "sample-app-service");
        expect(the(registrations, TYPES.route, "sample").dependencies).to.include(app.urn);
        expect(the(registrations, TYPES.route, "api").dependencies).to.not.include(app.urn);
    });

    it("attach the routes to the Gateway the stack creates", async () => {
        const { registrations } = await outputsOf(config({ target: "gateway", createGateway: true, gatewayName: "edge" }));
        const gateway = the(registrations, TYPES.gateway, "gateway-gateway");
        const httpRoute = the(registrations, TYPES.httpRoute, "api-httproute");
        expect(plainInputs(httpRoute).spec.parentRefs[0]).to.deep.include({ kind: "Gateway", name: "edge" });
        expect(httpRoute.dependencies).to.include(gateway.urn);
    });

    it("route through the caller's kong provider on the admin target instead of creating one", async () => {
        const kong = new KongProvider("caller-kong", { kongAdminUri: "https://kong-admin.example.com" });
        const { registrations } = await outputsOf(config({ target: "admin" }), { opts: { providers: { kong } } });
        expect(registrations.filter((r) => r.type === "pulumi:providers:kong").map((r) => r.name)).to.deep.equal([]);
        const own = await outputsOf(config({ target: "admin" }), { kongAdmin: { adminUri: "http://localhost:8001" } });
        const provider = own.registrations.find((r) => r.type === "pulumi:providers:kong")!;
        expect(provider.name).to.equal("kong-admin");
        const kongResources = own.registrations.filter((r) => r.type.startsWith("kong:"));
        expect(kongResources.length).to.be.greaterThan(0);
        expect(kongResources.every((r) => r.provider.startsWith(provider.urn))).to.equal(true);
    });
});
