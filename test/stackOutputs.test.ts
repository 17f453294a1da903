// The stack's outputs as `pulumi stack output --json` shows them: what the program exports parses
// back through the one declaration (stacks/outputs.ts) unchanged, and an older stack's still parses.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, projectConfig } from "../stacks/config";
import { stackOutputsSchema } from "../stacks/outputs";
import { buildStack, StackOutputs } from "../stacks/stack";
import { record, resolve, SeedStack, seedConfig } from "./harness";

/** A seed stack's outputs, resolved to plain JSON. */
async function outputsJson(stack: SeedStack): Promise<Record<string, unknown>> {
    const { result } = await record(() => buildStack(stack, parseStackConfig(stack, projectConfig(seedConfig(stack)))));
    const entries = await Promise.all(
        Object.entries(result as StackOutputs).map(async ([key, output]) => [key, await resolve(output as pulumi.Output<unknown>)]),
    );
    return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>;
}

describe("the stack outputs' declaration", () => {
    for (const stack of ["dev", "oss"] as const) {
        it(`reads back every output of the ${stack} stack unchanged`, async () => {
            const json = await outputsJson(stack);
            expect(stackOutputsSchema.parse(json)).to.deep.equal(json);
        });
    }

    it("reads a stack of 0.1, whose routes did not name their plugin, checks or logout methods", () => {
        const old = {
            userPoolId: "us-east-1_abc",
            issuerUrl: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
            discoveryUrl: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/openid-configuration",
            tokenEndpoint: "https://login.auth.us-east-1.amazoncognito.com/oauth2/token",
            authorizeEndpoint: "https://login.auth.us-east-1.amazoncognito.com/oauth2/authorize",
            hostedUiUrl: "https://login.auth.us-east-1.amazoncognito.com",
            machineClientId: "id",
            machineClientSecret: "secret",
            machineScopes: ["http://kongresource/scope1"],
            routes: [{ name: "api", url: "https://kong.example.com/api", mode: "api", authMethods: ["bearer"], upstream: "http://a" }],
        };
        expect(stackOutputsSchema.parse(old)).to.deep.equal(old);
    });

    it("refuses a route whose plugin is neither openid-connect nor jwt", () => {
        const route = { name: "api", url: "u", mode: "api", authMethods: [], upstream: "x", authPlugin: "key-auth" };
        const result = stackOutputsSchema.shape.routes.element.safeParse(route);
        expect(result.success).to.equal(false);
        expect(result.error?.issues.map((i) => i.path.join("."))).to.deep.equal(["authPlugin"]);
    });
});
