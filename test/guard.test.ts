// Guard rails: the replacement guard against the committed snapshots, the secret audit and
// determinism, each failing on the hazard it guards and passing on the project's own stacks.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { buildProgram } from "../stacks/program";
import { StackOutputs } from "../stacks/stack";
import { auditSecrets, compareSnapshots, readSnapshot, Snapshot, snapshotOf } from "../tools/guard";
import { Registration, SECRET_SIG, SIG_KEY } from "../tools/mockRuntime";
import { readStackConfigFile, secretKeysOf } from "../tools/stackFiles";
import { record, resolve } from "./harness";

const ADMIN_TOKEN = "kong-admin-token-for-the-audit";

/** Builds the program with a stack's config, capturing everything written to stdout and stderr. */
async function evaluate(
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

describe("guard rails", () => {
    describe("replacement guard", () => {
        for (const stack of ["dev", "prod"]) {
            it(`finds nothing replaced or deleted in ${stack} against guard/${stack}.json`, async () => {
                const { registrations } = await evaluate(readStackConfigFile(stack));
                expect(compareSnapshots(stack, readSnapshot(stack), snapshotOf(registrations)).join("\n")).to.equal("");
            });
        }

        it("names the pool, what a rename loses and how to proceed", async () => {
            const config = { ...readStackConfigFile("prod"), "kong-cognito:userPoolName": "kong-users" };
            const { registrations } = await evaluate(config);
            expect(compareSnapshots("prod", readSnapshot("prod"), snapshotOf(registrations))).to.deep.equal([
                'kong-cognito:index:CognitoIdp$aws:cognito/userPool:UserPool::cognito-pool would be REPLACED: name changes from "kongpool" to "kong-users", ' +
                    "which loses every user, their passwords and MFA devices; every client id changes. " +
                    "Keep the old value, or if the replacement is intended run `npm run guard:update -- prod` and commit the snapshot.",
            ]);
        });

        it("catches a renamed resource as a deletion and suggests an alias", () => {
            const before = readSnapshot("dev");
            const renamed: Snapshot = {
                ...before,
                resources: before.resources.map((t) => t.replace("::cognito-pool", "::users-pool")),
            };
            const [problem] = compareSnapshots("dev", before, renamed);
            expect(problem).to.match(
                /^kong-cognito:index:CognitoIdp\$aws:cognito\/userPool:UserPool::cognito-pool is gone: pulumi up would DELETE it \(loses every user/,
            );
            expect(problem).to.contain("add an alias");
        });

        it("catches a client losing its secret and a client moving to another pool", () => {
            const before = readSnapshot("dev");
            const tail = "kong-cognito:index:CognitoIdp$aws:cognito/userPoolClient:UserPoolClient::cognito-web-client";
            const after: Snapshot = {
                ...before,
                replacingInputs: { ...before.replacingInputs, [tail]: { generateSecret: false, userPoolId: ["<- elsewhere"] } },
            };
            const problems = compareSnapshots("dev", before, after);
            expect(problems).to.have.lengthOf(2);
            expect(problems[0]).to.contain(`${tail} would be REPLACED: generateSecret changes from true to false`);
            expect(problems[1]).to.contain("userPoolId changes");
        });

        it("lets changes that replace nothing through", async () => {
            const config = { ...readStackConfigFile("dev"), "kong-cognito:refreshTokenValidityDays": "7" };
            const { registrations } = await evaluate(config);
            expect(compareSnapshots("dev", readSnapshot("dev"), snapshotOf(registrations))).to.deep.equal([]);
        });
    });

    describe("secret audit", () => {
        async function knownSecrets(outputs: StackOutputs): Promise<string[]> {
            return [await resolve(outputs.webClientSecret!), await resolve(outputs.machineClientSecret), ADMIN_TOKEN];
        }
        async function resolvedOutputs(outputs: StackOutputs) {
            const result: Record<string, { value: unknown; secret: boolean }> = {};
            for (const [name, output] of Object.entries(outputs)) {
                result[name] = {
                    value: await resolve(output as pulumi.Output<unknown>),
                    secret: await pulumi.isSecret(output as pulumi.Output<unknown>),
                };
            }
            return result;
        }

        const stacks: [string, Record<string, string>, string[]][] = [
            ["dev", readStackConfigFile("dev"), []],
            ["prod", readStackConfigFile("prod"), []],
            [
                "admin",
                {
                    ...readStackConfigFile("admin", { stackFile: `${__dirname}/fixtures/Pulumi.admin.yaml` }),
                    "kong:kongAdminToken": ADMIN_TOKEN,
                },
                ["kong:kongAdminToken"],
            ],
        ];
        for (const [stack, config, secretKeys] of stacks) {
            it(`finds no client secret, plugin config or admin token in plain text in ${stack}`, async () => {
                const { registrations, outputs, logLines } = await evaluate(config, secretKeys);
                const secrets = await knownSecrets(outputs);
                expect(secrets[0]).to.match(/^mock-secret-/);
                expect(auditSecrets(secrets, registrations, await resolvedOutputs(outputs), logLines)).to.deep.equal([]);
            });
        }

        it("reports a secret in a plain input, a plain output and a log line", () => {
            const registration = {
                urn: "urn:pulumi:s::p::t::leaky",
                type: "kubernetes:configuration.konghq.com/v1:KongPlugin",
                name: "leaky",
                inputs: { config: { client_secret: ["s3cret-value"] }, stringData: { [SIG_KEY]: SECRET_SIG, value: "s3cret-value" } },
            } as unknown as Registration;
            expect(
                auditSecrets(
                    ["s3cret-value"],
                    [registration],
                    { webClientSecret: { value: "s3cret-value", secret: false }, fine: { value: "s3cret-value", secret: true } },
                    ["client secret is s3cret-value"],
                ),
            ).to.deep.equal([
                { where: "leaky (kubernetes:configuration.konghq.com/v1:KongPlugin) input.config.client_secret[0]" },
                { where: "stack output webClientSecret" },
                { where: "log line 1" },
            ]);
        });
    });

    describe("determinism", () => {
        it("registers exactly the same resources, inputs and dependencies twice in a row", async () => {
            const strip = (rs: Registration[]) => JSON.stringify([...rs].sort((a, b) => a.urn.localeCompare(b.urn)));
            const first = await evaluate(readStackConfigFile("dev"));
            const second = await evaluate(readStackConfigFile("dev"));
            expect(first.registrations).to.have.lengthOf(21);
            expect(strip(second.registrations)).to.equal(strip(first.registrations));
        });
    });
});
