// How the program reads the running stack's config from the Pulumi runtime: which values came
// encrypted, every problem of the stack file in one run, and the Admin API connection.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { configSecretKeys, readKongAdminConnection, readStackConfig } from "../stacks/program";
import { resolve } from "./harness";

const STACK = {
    "aws:region": "us-east-1",
    "kong-cognito:publicBaseUrl": "https://kong.example.com",
    "kong-cognito:domainPrefix": "orders-login",
    "kong-cognito:routes": JSON.stringify([{ name: "api", path: "/api", mode: "api", upstreamUrl: "http://api.internal" }]),
};

/** Runs `read` with this config map in the runtime, `secretKeys` marked encrypted. */
function withConfig<T>(config: Record<string, string>, secretKeys: string[], read: () => T): T {
    const previous = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig(config, secretKeys);
    try {
        return read();
    } finally {
        pulumi.runtime.setAllConfig(previous);
    }
}

/** The message readStackConfig throws with this config map. */
function errorOf(config: Record<string, string>, secretKeys: string[] = []): string {
    return withConfig(config, secretKeys, () => {
        try {
            readStackConfig();
        } catch (error) {
            return (error as Error).message;
        }
        expect.fail("expected readStackConfig to throw");
    });
}

describe("the program's config", () => {
    it("knows which keys came encrypted", () => {
        const config = { ...STACK, "kong:kongAdminToken": "t" };
        expect(withConfig(config, ["kong:kongAdminToken"], () => configSecretKeys(config))).to.deep.equal(["kong:kongAdminToken"]);
        expect(withConfig(config, [], () => configSecretKeys(config))).to.deep.equal([]);
    });

    it("takes a kong-cognito credential set encrypted, and hides an encrypted value in an error", () => {
        const redis = { ...STACK, "kong-cognito:redis": JSON.stringify({ host: "redis.internal", password: "hunter22" }) };
        expect(withConfig(redis, ["kong-cognito:redis"], () => readStackConfig()).redis?.host).to.equal("redis.internal");
        expect(errorOf({ ...STACK, "kong-cognito:mfa": "SOMETIMES" }, ["kong-cognito:mfa"])).to.equal(
            'stack "test" config: invalid input\n  - kong-cognito:mfa = (secret, not shown): Invalid option: expected one of "OFF"|"OPTIONAL"|"ON"',
        );
    });

    it("checks the stack's rules on the rest of the config when a key has the wrong type", () => {
        const routes = JSON.stringify([
            { name: "api", path: "/api", mode: "api", upstreamUrl: "http://a.internal" },
            { name: "api", path: "/other", mode: "api", upstreamUrl: "http://b.internal" },
        ]);
        const message = errorOf({ ...STACK, "kong-cognito:routes": routes, "kong-cognito:mfa": "SOMETIMES" });
        expect(message.split("\n").map((line) => line.split(" = ")[0])).to.deep.equal([
            'stack "test" config: invalid input',
            "  - kong-cognito:mfa",
            "  - kong-cognito:routes[1].name",
        ]);
    });

    it("reports only the config errors when the rest is not enough to check the stack", () => {
        const message = errorOf({ ...STACK, "kong-cognito:routes": "[]", "kong-cognito:mfa": "SOMETIMES" });
        expect(message.split("\n").map((line) => line.split(" = ")[0])).to.deep.equal([
            'stack "test" config: invalid input',
            "  - kong-cognito:mfa",
            "  - kong-cognito:routes",
        ]);
    });

    it("reads the Admin API connection from the kong provider's keys, the token kept secret", async () => {
        expect(withConfig(STACK, [], () => readKongAdminConnection())).to.equal(undefined);
        const connection = withConfig(
            { ...STACK, "kong:kongAdminUri": "http://localhost:8001", "kong:kongAdminToken": "tok" },
            ["kong:kongAdminToken"],
            () => readKongAdminConnection(),
        );
        expect(connection?.adminUri).to.equal("http://localhost:8001");
        const token = connection!.adminToken as pulumi.Output<string>;
        expect(await pulumi.isSecret(token)).to.equal(true);
        expect(await resolve(token)).to.equal("tok");
    });
});
