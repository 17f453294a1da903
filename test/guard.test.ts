// Guard rails: the replacement guard, the secret audit and determinism, each failing on the hazard
// it guards and passing on the seed's stacks.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { StackOutputs } from "../stacks/stack";
import { auditSecrets, compareSnapshots, Snapshot, snapshotOf } from "../tools/guard/snapshot";
import { Registration, SECRET_SIG, SIG_KEY } from "../tools/shared/mockRuntime";
import { evaluateProgram, resolve, seedConfig } from "./harness";

const ADMIN_TOKEN = "kong-admin-token-for-the-audit";

describe("guard rails", () => {
    describe("replacement guard", () => {
        // The seed's stacks, snapshotted here: the committed guard/<stack>.json files belong to the
        // project's own stack files and are checked in stackFiles.test.ts.
        const seedSnapshot = async (stack: "dev" | "prod") =>
            snapshotOf((await evaluateProgram(seedConfig(stack))).registrations, seedConfig(stack));

        it("names the pool, what a rename loses and how to proceed", async () => {
            const config = { ...seedConfig("prod"), "kong-cognito:userPoolName": "kong-users" };
            const { registrations } = await evaluateProgram(config);
            expect(compareSnapshots("prod", await seedSnapshot("prod"), snapshotOf(registrations, config))).to.deep.equal([
                'kong-cognito:index:CognitoIdp$aws:cognito/userPool:UserPool::cognito-pool would be REPLACED: name changes from "kongpool" to "kong-users", ' +
                    "which loses every user, their passwords and MFA devices; every client id changes. " +
                    "Keep the old value, or if the replacement is intended run `npm run guard:update -- prod` and commit the snapshot.",
            ]);
        });

        it("catches a renamed resource as a deletion and suggests an alias", async () => {
            const before = await seedSnapshot("dev");
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

        it("catches a client losing its secret and a client moving to another pool", async () => {
            const before = await seedSnapshot("dev");
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

        it("catches a region change, which replaces every AWS resource though no input changes", async () => {
            const config = { ...seedConfig("dev"), "aws:region": "eu-west-1" };
            const { registrations } = await evaluateProgram(config);
            const problems = compareSnapshots("dev", await seedSnapshot("dev"), snapshotOf(registrations, config));
            expect(problems).to.have.lengthOf(1);
            expect(problems[0]).to.match(
                /^aws:region changes from "us-east-1" to "eu-west-1": pulumi up would REPLACE every AWS resource, creating the user pool anew in eu-west-1/,
            );
            expect(problems[0]).to.contain("loses every user");
        });

        it("lets changes that replace nothing through", async () => {
            const config = { ...seedConfig("dev"), "kong-cognito:refreshTokenValidityDays": "7" };
            const { registrations } = await evaluateProgram(config);
            expect(compareSnapshots("dev", await seedSnapshot("dev"), snapshotOf(registrations, config))).to.deep.equal([]);
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
            ["dev", seedConfig("dev"), []],
            ["prod", seedConfig("prod"), []],
            [
                "admin",
                {
                    ...seedConfig("admin"),
                    "kong:kongAdminToken": ADMIN_TOKEN,
                },
                ["kong:kongAdminToken"],
            ],
        ];
        for (const [stack, config, secretKeys] of stacks) {
            it(`finds no client secret, plugin config or admin token in plain text in ${stack}`, async () => {
                const { registrations, outputs, logLines } = await evaluateProgram(config, secretKeys);
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
            const first = await evaluateProgram(seedConfig("dev"));
            const second = await evaluateProgram(seedConfig("dev"));
            expect(first.registrations).to.have.lengthOf(21);
            expect(strip(second.registrations)).to.equal(strip(first.registrations));
        });
    });
});
