// Helpers the tests share: build something on the mock runtime, then look at what it registered.
import { expect } from "chai";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { KongOidcRouteArgs } from "../components";
import { InputIssue, Issues, KongCognitoInputError } from "../components/validation";
import { buildProgram } from "../stacks/program";
import { StackOutputs } from "../stacks/stack";
import { Registration, unwrapSecrets } from "../tools/shared/mockRuntime";
import { readStackConfigFile, secretKeysOf } from "../tools/shared/stackFiles";
import { mockRuntime } from "./setup";

/** Runs `build` on a clean recorder and waits until every registration has landed. */
export async function record<T>(
    build: () => T,
): Promise<{ result: T; registrations: Registration[]; registeredOutputs: Map<string, Record<string, unknown>> }> {
    const runtime = mockRuntime();
    await runtime.settle();
    runtime.reset();
    const result = build();
    await runtime.settle();
    return { result, registrations: [...runtime.registrations], registeredOutputs: new Map(runtime.registeredOutputs) };
}

/**
 * Loads a program module that registers its resources when loaded (index.ts, an example), afresh:
 * Node evaluates a module once per process, so a second test (or a second run in one process, as
 * StrykerJS and `npm run test:twice` do) would otherwise get the cached exports and no registrations.
 */
export function loadProgram<T>(modulePath: string): T {
    delete require.cache[require.resolve(modulePath)];
    return require(modulePath) as T;
}

/** Builds the program with a stack's config, capturing everything written to stdout and stderr. */
export async function evaluateProgram(
    config: Record<string, string>,
    secretKeys: string[] = secretKeysOf(config),
): Promise<{ registrations: Registration[]; outputs: StackOutputs; logLines: string[] }> {
    const previous = pulumi.runtime.allConfig();
    const logLines: string[] = [];
    const writes = [process.stdout.write, process.stderr.write];
    const capture = (chunk: unknown) => {
        logLines.push(...String(chunk).split("\n"));
        return true;
    };
    pulumi.runtime.setAllConfig(config, secretKeys);
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
        const { result, registrations } = await record(() => buildProgram());
        return { registrations, outputs: result, logLines };
    } finally {
        [process.stdout.write, process.stderr.write] = writes;
        pulumi.runtime.setAllConfig(previous);
    }
}

/** Records what `build` registers when it throws; the error and the (hopefully empty) registrations. */
export async function recordFailure(build: () => unknown): Promise<{ error: Error; registrations: Registration[] }> {
    const runtime = mockRuntime();
    await runtime.settle();
    runtime.reset();
    let error: Error | undefined;
    try {
        build();
    } catch (e) {
        error = e as Error;
    }
    await runtime.settle();
    expect(error, "expected the build to throw").to.be.instanceOf(Error);
    return { error: error!, registrations: [...runtime.registrations] };
}

/** The one registration of this type and name; fails the test if there is none or several. */
/** The issues a pure check records, as the error it throws lists them; empty when it passes. */
export function issuesOf(check: (issues: Issues) => void): InputIssue[] {
    const issues = new Issues("test");
    check(issues);
    try {
        issues.throwIfAny();
        return [];
    } catch (error) {
        expect(error).to.be.instanceOf(KongCognitoInputError);
        return [...(error as KongCognitoInputError).issues];
    }
}

export function the(registrations: readonly Registration[], type: string, name: string): Registration {
    const found = registrations.filter((r) => r.type === type && r.name === name);
    expect(found, `registrations of ${type} ${name}`).to.have.lengthOf(1);
    return found[0];
}

/** The `<type> <name>` of each child of the one component of this type and name, sorted. */
export function childrenOf(registrations: readonly Registration[], type: string, name: string): string[] {
    const component = the(registrations, type, name);
    return registrations
        .filter((r) => r.parent === component.urn)
        .map((r) => `${r.type} ${r.name}`)
        .sort();
}

/** Inputs with secret markers removed: what the provider receives. */
export function plainInputs(registration: Registration): Record<string, any> {
    return unwrapSecrets(registration.inputs) as Record<string, any>;
}

export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => output.apply(r));
}

export const TYPES = {
    idp: "kong-cognito:index:CognitoIdp",
    route: "kong-cognito:index:KongOidcRoute",
    cache: "kong-cognito:index:KongProxyCache",
    userPool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    resourceServer: "aws:cognito/resourceServer:ResourceServer",
    domain: "aws:cognito/userPoolDomain:UserPoolDomain",
    secret: "kubernetes:core/v1:Secret",
    service: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    kongPlugin: "kubernetes:configuration.konghq.com/v1:KongPlugin",
    httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    gatewayClass: "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
    referenceGrant: "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant",
    deployment: "kubernetes:apps/v1:Deployment",
} as const;

/** The Admin API target's resource types (the kong provider's, and the session secret's random bytes). */
export const KONG = {
    service: "kong:index/service:Service",
    route: "kong:index/route:Route",
    plugin: "kong:index/plugin:Plugin",
    consumer: "kong:index/consumer:Consumer",
    jwtAuth: "kong:index/consumerJwtAuth:ConsumerJwtAuth",
    acl: "kong:index/consumerAcl:ConsumerAcl",
    random: "random:index/randomBytes:RandomBytes",
    provider: "pulumi:providers:kong",
} as const;

/** A bad-input case: what is wrong, the args, the property the error must name, part of its rule. */
export type RejectionCase<A> = [what: string, args: A, property: string, rule: string];

/** One test per case: `build` throws a KongCognitoInputError naming the property and rule, registering nothing. */
export function itRejectsEach<A>(cases: readonly RejectionCase<A>[], build: (args: A) => unknown): void {
    for (const [what, args, property, rule] of cases) {
        it(`rejects ${what}`, async () => {
            const { error, registrations } = await recordFailure(() => build(args));
            expect(error).to.be.instanceOf(KongCognitoInputError);
            expect(error.message).to.contain(`${property} = `);
            expect(error.message).to.contain(rule);
            expect(registrations).to.deep.equal([]);
        });
    }
}

/** The test pool's issuer, and its discovery document. */
export const TEST_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST";
export const TEST_DISCOVERY_URL = `${TEST_ISSUER}/.well-known/openid-configuration`;
export const TEST_CLIENT_SECRET = "machine-client-secret-value";

/** The seed's oidcroute (httpbin.org for machine clients) as component args, on either target. */
export function seedApiRoute(extra: Partial<KongOidcRouteArgs> = {}): KongOidcRouteArgs {
    return {
        publicBaseUrl: "https://kong.example.com",
        path: "/oidcroute",
        mode: "api",
        upstreamUrl: "http://httpbin.org",
        oidc: {
            issuer: TEST_DISCOVERY_URL,
            clientId: "machine-client-id",
            clientSecret: pulumi.secret(TEST_CLIENT_SECRET),
            scopes: ["http://kongresource/scope1"],
            requiredScopes: ["http://kongresource/scope1"],
        },
        ...extra,
    };
}

/**
 * The seed's stacks, frozen as fixtures: tests that assert a stack's values read these, so the
 * project's own Pulumi.<stack>.yaml files hold whatever a deployment needs (test/stackFiles.test.ts
 * checks only that they are valid and plan cleanly).
 */
export type SeedStack = "dev" | "prod" | "admin" | "gateway" | "oss";

export function seedStackFile(stack: SeedStack): string {
    return path.join(__dirname, "fixtures", "seed", `Pulumi.${stack}.yaml`);
}

/** A seed stack's config as `pulumi up` hands it to the program. */
export function seedConfig(stack: SeedStack): Record<string, string> {
    return readStackConfigFile(stack, { stackFile: seedStackFile(stack) });
}
