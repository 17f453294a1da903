// Plausible provider answers for the resource types kong-cognito creates: ids shaped like the real
// ones, and every output the components read (PROVIDER_OUTPUTS). Deterministic per resource name,
// so two runs of a test, or two plans of a stack, are equal. The real providers draw these values.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** The account id in mocked ARNs. */
export const MOCK_ACCOUNT_ID = "123456789012";

function shortHash(text: string, length: number): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function pascalId(seed: string): string {
    // Cognito-like ids: base62 from a hash, stable per resource name.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const digest = createHash("sha256").update(seed).digest();
    return Array.from(digest.subarray(0, 9), (b) => alphabet[b % alphabet.length]).join("");
}

type MockState = { id: string; state: Record<string, unknown> };

/** What the provider would answer, for the types kong-cognito creates; undefined for any other type. */
function providerAnswer(args: pulumi.runtime.MockResourceArgs, region: string): MockState | undefined {
    // Provider inputs are untyped here; the cases below read the few fields they need.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const inputs = args.inputs as Record<string, any>;
    switch (args.type) {
        case "aws:cognito/userPool:UserPool": {
            const id = `${region}_${pascalId(args.name)}`;
            return {
                id,
                state: {
                    ...inputs,
                    arn: `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT_ID}:userpool/${id}`,
                    endpoint: `cognito-idp.${region}.amazonaws.com/${id}`,
                    region,
                },
            };
        }
        case "aws:cognito/userPoolClient:UserPoolClient": {
            const id = shortHash(`client:${args.name}`, 26);
            return { id, state: { ...inputs, clientSecret: `mock-secret-${shortHash(`secret:${args.name}`, 40)}` } };
        }
        case "aws:cognito/resourceServer:ResourceServer": {
            const scopes: { scopeName: string }[] = inputs.scopes ?? [];
            return {
                id: `${inputs.userPoolId}|${inputs.identifier}`,
                state: { ...inputs, scopeIdentifiers: scopes.map((s) => `${inputs.identifier}/${s.scopeName}`) },
            };
        }
        case "aws:cognito/userPoolDomain:UserPoolDomain":
            return { id: inputs.domain, state: { ...inputs, awsAccountId: MOCK_ACCOUNT_ID, version: "1" } };
        case "random:index/randomBytes:RandomBytes": {
            // Deterministic per name, so two plans of the same stack are equal; the real provider draws them.
            const bytes = createHash("sha256").update(`bytes:${args.name}`).digest().subarray(0, inputs.length);
            return { id: "none", state: { ...inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
        }
        case "pulumi-nodejs:dynamic:CognitoJwks": {
            // The real resource reads the JWKS; these stand in for a pool's keys (not usable keys).
            const keys = Array.from({ length: inputs.keySlots as number }, (_, slot) => {
                const kid = shortHash(`kid:${inputs.jwksUrl}:${slot}`, 43);
                return { kid, pem: `-----BEGIN PUBLIC KEY-----\nmock key ${slot} of ${inputs.jwksUrl}\n-----END PUBLIC KEY-----\n` };
            });
            return { id: inputs.jwksUrl, state: { ...inputs, keys } };
        }
        default:
            return undefined;
    }
}

/** Inputs echoed as state, with an id shaped like the type's: what a mock of another type answers. */
function echo(args: pulumi.runtime.MockResourceArgs): MockState {
    const inputs = args.inputs as { metadata?: { name?: string; namespace?: string } };
    if (args.type.startsWith("pulumi:providers:")) {
        return { id: `${args.name}-provider-id`, state: inputs };
    }
    const metadata = inputs.metadata;
    const id = metadata?.name ? `${metadata.namespace ?? "default"}/${metadata.name}` : `${args.name}-id`;
    return { id, state: inputs };
}

/** What the providers would answer, for the types kong-cognito creates; echoes inputs otherwise. */
export function fakeState(args: pulumi.runtime.MockResourceArgs, region: string): MockState {
    return providerAnswer(args, region) ?? echo(args);
}

export interface KongCognitoMocksOptions {
    /** Region in ARNs and endpoints. @default the config's `aws:region` when set, else "us-east-1" */
    readonly region?: string;
    /**
     * Your own mocks for the resource types kong-cognito does not know (and for calls); their
     * answer is used as is. @default inputs echoed as state, with id `<namespace>/<name>` for Kubernetes objects and `<name>-id` otherwise
     */
    readonly fallback?: Partial<pulumi.runtime.Mocks>;
}

/**
 * Pulumi mocks that answer like the providers for Cognito user pools, clients, resource servers,
 * domains, RandomBytes and the pool's signing keys (CognitoJwks) (every output in PROVIDER_OUTPUTS), and echo the inputs of anything else.
 */
export function kongCognitoMocks(options: KongCognitoMocksOptions = {}): pulumi.runtime.Mocks {
    const region = () => options.region ?? pulumi.runtime.allConfig()["aws:region"] ?? "us-east-1";
    const fallback = options.fallback ?? {};
    return {
        newResource: (args) => providerAnswer(args, region()) ?? (fallback.newResource ? fallback.newResource(args) : echo(args)),
        call: (args) => (fallback.call ? fallback.call(args) : args.inputs),
    };
}

export interface SetKongCognitoMocksOptions extends KongCognitoMocksOptions {
    /** @default "project" */
    readonly project?: string;
    /** @default "stack" */
    readonly stack?: string;
    /** Run as a preview (`pulumi preview`): outputs the providers compute stay unknown. @default false */
    readonly preview?: boolean;
}

/** Installs `kongCognitoMocks(options)` as Pulumi's mock runtime; call it before creating resources. */
export async function setKongCognitoMocks(options: SetKongCognitoMocksOptions = {}): Promise<void> {
    await pulumi.runtime.setMocks(
        kongCognitoMocks(options),
        options.project ?? "project",
        options.stack ?? "stack",
        options.preview ?? false,
    );
}

/**
 * The value of an Output, for assertions. Unlike waiting on `apply`, it rejects with the error when
 * the Output failed (a broken rule, a provider output a mock left out) instead of never resolving.
 * An output of a resource whose own inputs failed still never resolves under Pulumi's mocks (the
 * registration never happens): assert on the components' outputs.
 */
export function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
    const output = pulumi.output(input) as unknown as { promise?: () => Promise<T> } & pulumi.Output<T>;
    // `promise()` is how the SDK itself awaits an Output (pulumi.all, resource registration); it is
    // not in the typings, so fall back to apply on an SDK without it.
    if (typeof output.promise === "function") {
        return output.promise();
    }
    return new Promise((resolve) => output.apply((value) => resolve(value as T)));
}
