// The provider outputs the components read (components/providerOutputs.ts) and what a component
// keeps for TypeScript callers only (components/typescriptOnly.ts), checked in this process: a
// missing output fails with an error naming it, not with a wait that never ends.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CognitoIdp, KongGateway, KongJwtConsumer, KongOidcRoute, KongProxyCache } from "../components";
import { MissingProviderOutputError, PROVIDER_OUTPUTS, requiredOutput } from "../components/providerOutputs";
import { TypeScriptOnly } from "../components/typescriptOnly";
import { valueOf } from "../testing";

const POOL = "aws:cognito/userPool:UserPool";

/** Runs `run` with what it writes to stderr captured (Pulumi's log writes there under mocks). */
async function capturingStderr<T>(run: () => Promise<T>): Promise<{ result: T; written: string }> {
    const write = process.stderr.write;
    let written = "";
    process.stderr.write = ((chunk: unknown) => {
        written += String(chunk);
        return true;
    }) as typeof process.stderr.write;
    try {
        return { result: await run(), written };
    } finally {
        process.stderr.write = write;
    }
}

describe("provider outputs", () => {
    it("passes a value through, a falsy one too", async () => {
        expect(await valueOf(requiredOutput(POOL, "idp-pool", "arn", pulumi.output<string | undefined>("arn:aws:x")))).to.equal(
            "arn:aws:x",
        );
        expect(await valueOf(requiredOutput(POOL, "idp-pool", "arn", pulumi.output<string | undefined>("")))).to.equal("");
    });

    for (const missing of [undefined, null]) {
        it(`fails naming the resource, the output and the fix, and logs it, when the output is ${String(missing)}`, async () => {
            const { result: error, written } = await capturingStderr(() =>
                valueOf(requiredOutput(POOL, "idp-pool", "arn", pulumi.output(missing as string | undefined))).then(
                    () => undefined,
                    (e: Error) => e,
                ),
            );
            expect(written).to.contain(
                'error: [runtime] aws:cognito/userPool:UserPool "idp-pool" returned no arn. Every deployment sets it',
            );
            expect(error).to.be.instanceOf(MissingProviderOutputError);
            expect(error).to.deep.include({ name: "MissingProviderOutputError", type: POOL, resourceName: "idp-pool", property: "arn" });
            expect(error?.message).to.equal(
                'aws:cognito/userPool:UserPool "idp-pool" returned no arn. Every deployment sets it, so this is a mock that leaves it out: ' +
                    "use kong-cognito/testing's kongCognitoMocks(), or return arn from your mocks' newResource for aws:cognito/userPool:UserPool.",
            );
        });
    }

    it("lists each output a component reads with its type, property and reader", () => {
        expect(PROVIDER_OUTPUTS.map((o) => `${o.type} ${o.property}`)).to.deep.equal([
            "aws:cognito/userPool:UserPool arn",
            "aws:cognito/userPoolClient:UserPoolClient clientSecret",
            "aws:cognito/resourceServer:ResourceServer scopeIdentifiers",
            "random:index/randomBytes:RandomBytes base64",
            "random:index/randomBytes:RandomBytes hex",
            "pulumi-nodejs:dynamic:CognitoJwks keys",
        ]);
        expect(PROVIDER_OUTPUTS.every((o) => o.readBy.length > 0)).to.equal(true);
    });
});

describe("what a component keeps for TypeScript callers", () => {
    it("gives back what was kept for each owner", () => {
        const kept = new TypeScriptOnly<object, string>("Thing");
        const [a, b] = [{}, {}];
        kept.set(a, "a's");
        kept.set(b, "b's");
        expect([kept.get(a), kept.get(b)]).to.deep.equal(["a's", "b's"]);
    });

    it("says, naming the component, that nothing is kept before its constructor has finished", () => {
        expect(() => new TypeScriptOnly<object, string>("CognitoIdp").get({})).to.throw(
            Error,
            "CognitoIdp: its resources are known once its constructor has finished",
        );
    });

    it("names the component whose getter was read too early, for each component", () => {
        const early: [string, object, string][] = [
            ["CognitoIdp", CognitoIdp.prototype, "userPool"],
            ["KongOidcRoute", KongOidcRoute.prototype, "resources"],
            ["KongProxyCache", KongProxyCache.prototype, "resources"],
            ["KongGateway", KongGateway.prototype, "gateway"],
            ["KongJwtConsumer", KongJwtConsumer.prototype, "resources"],
        ];
        for (const [component, prototype, getter] of early) {
            // An instance whose constructor never ran: what a getter sees while the constructor still runs.
            const unfinished = Object.create(prototype) as Record<string, unknown>;
            expect(() => unfinished[getter], component).to.throw(
                Error,
                `${component}: its resources are known once its constructor has finished`,
            );
        }
    });
});
