// kong-cognito/testing, the mocks a consumer's tests use: they return every provider output the
// components read, and a consumer's own mocks that leave one out get an error naming it, not a hang.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { kongCognitoMocks, MOCK_ACCOUNT_ID, PROVIDER_OUTPUTS, valueOf } from "../testing";

const ROOT = path.resolve(__dirname, "..");

/** The smallest inputs each type's real provider accepts, as far as the mocks read them. */
const INPUTS: Record<string, Record<string, unknown>> = {
    "aws:cognito/userPool:UserPool": { name: "pool" },
    "aws:cognito/userPoolClient:UserPoolClient": { name: "client", generateSecret: true },
    "aws:cognito/resourceServer:ResourceServer": {
        identifier: "https://api.example.com",
        scopes: [{ scopeName: "read", scopeDescription: "Read" }],
    },
    "random:index/randomBytes:RandomBytes": { length: 32 },
    "pulumi-nodejs:dynamic:CognitoJwks": {
        jwksUrl: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X/.well-known/jwks.json",
        keySlots: 2,
    },
};

function newResource(mocks: pulumi.runtime.Mocks, type: string, name = "thing") {
    return mocks.newResource({ type, name, inputs: INPUTS[type] ?? {}, custom: true }) as { id: string; state: Record<string, any> };
}

describe("kong-cognito/testing", () => {
    it("documents an input for every provider output the components read", () => {
        expect([...new Set(PROVIDER_OUTPUTS.map((o) => o.type))].sort()).to.deep.equal(Object.keys(INPUTS).sort());
    });

    for (const { type, property } of PROVIDER_OUTPUTS) {
        it(`returns ${property} for ${type}`, () => {
            const value = newResource(kongCognitoMocks(), type).state[property];
            expect(value, `${type}.${property}`).to.not.equal(undefined);
        });
    }

    it("answers like the providers: pool ARNs in the region, scope identifiers, base64 of the asked length", () => {
        const mocks = kongCognitoMocks({ region: "eu-west-1" });
        const pool = newResource(mocks, "aws:cognito/userPool:UserPool", "users");
        expect(pool.id).to.match(/^eu-west-1_\w{9}$/);
        expect(pool.state.arn).to.equal(`arn:aws:cognito-idp:eu-west-1:${MOCK_ACCOUNT_ID}:userpool/${pool.id}`);
        expect(newResource(mocks, "aws:cognito/resourceServer:ResourceServer").state.scopeIdentifiers).to.deep.equal([
            "https://api.example.com/read",
        ]);
        expect(Buffer.from(newResource(mocks, "random:index/randomBytes:RandomBytes").state.base64, "base64")).to.have.lengthOf(32);
    });

    it("hands other types to the consumer's own mocks, and keeps the Cognito ones", () => {
        const mocks = kongCognitoMocks({
            fallback: { newResource: (args) => ({ id: "from-fallback", state: { mine: args.name } }) },
        });
        expect(newResource(mocks, "aws:lb/loadBalancer:LoadBalancer", "lb")).to.deep.equal({ id: "from-fallback", state: { mine: "lb" } });
        expect(newResource(mocks, "aws:cognito/userPool:UserPool").state.arn).to.match(/^arn:aws:cognito-idp:/);
    });

    it("valueOf gives an Output's value and rejects with the error of a failed one", async () => {
        expect(await valueOf(pulumi.output("value"))).to.equal("value");
        const failed = pulumi.output(1).apply(() => {
            throw new Error("broken rule");
        });
        let error: Error | undefined;
        await valueOf(failed).catch((e: Error) => (error = e));
        expect(error?.message).to.equal("broken rule");
    });

    it("names the missing output when a consumer's own mocks leave it out, instead of hanging", function () {
        this.timeout(60000);
        // A child process: the consumer's own mocks replace the process-global runtime, and what it logs is under test.
        const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "test/fixtures/naiveMocks.ts"], {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 50000,
        });
        expect(child.status, child.stderr).to.equal(0);
        expect(child.stdout).to.contain(
            'machineScopes failed: error serializing property "allowedOauthScopes": aws:cognito/resourceServer:ResourceServer "idp-resource-server" returned no scopeIdentifiers.',
        );
        expect(child.stdout).to.contain(
            'issuerUrl failed: error serializing property "outputs": aws:cognito/userPool:UserPool "idp-pool" returned no arn.',
        );
        // Logged too: a test waiting on `apply` instead of valueOf still sees why.
        expect(child.stderr).to.contain('error: [runtime] aws:cognito/userPool:UserPool "idp-pool" returned no arn.');
        expect(child.stderr).to.contain("use kong-cognito/testing's kongCognitoMocks()");
    });
});
