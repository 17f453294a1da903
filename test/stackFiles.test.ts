// The project's own stack files (Pulumi.<stack>.yaml), whatever values a deployment gives them:
// each is valid, plans cleanly, keeps its secrets secret and matches its replacement-guard
// snapshot. Nothing here asserts a value, so editing a stack file and running
// `npm run guard:update` keeps `npm test` green; the seed's values are tested on test/fixtures/seed.
import { expect } from "chai";
import { existsSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { auditSecrets, compareSnapshots, readSnapshot, snapshotOf, snapshotPath } from "../tools/guard/snapshot";
import { readStackConfigFile, stackNames } from "../tools/shared/stackFiles";
import { evaluateProgram, resolve } from "./harness";

describe("the project's stack files", () => {
    const stacks = stackNames();

    it("has at least one", () => {
        expect(stacks, "Pulumi.<stack>.yaml files next to Pulumi.yaml").to.not.deep.equal([]);
    });

    for (const stack of stacks) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let evaluated: Awaited<ReturnType<typeof evaluateProgram>>;
            let config: Record<string, string>;
            before(async () => {
                config = readStackConfigFile(stack);
                evaluated = await evaluateProgram(config);
            });

            it("plans: every key valid, every rule met, resources registered", () => {
                expect(evaluated.registrations.length).to.be.greaterThan(0);
            });

            it(`replaces and deletes nothing that guard/${stack}.json holds`, () => {
                expect(existsSync(snapshotPath(stack)), `guard/${stack}.json: run \`npm run guard:update -- ${stack}\``).to.equal(true);
                const problems = compareSnapshots(stack, readSnapshot(stack), snapshotOf(evaluated.registrations, config));
                expect(problems.join("\n")).to.equal("");
            });

            it("keeps the client secrets out of plain inputs, outputs and log lines", async () => {
                const { outputs, registrations, logLines } = evaluated;
                const secrets: string[] = [];
                const resolved: Record<string, { value: unknown; secret: boolean }> = {};
                for (const [name, output] of Object.entries(outputs)) {
                    if (output === undefined) {
                        continue;
                    }
                    const value = await resolve(output as pulumi.Output<unknown>);
                    const secret = await pulumi.isSecret(output as pulumi.Output<unknown>);
                    resolved[name] = { value, secret };
                    if (/Secret$/.test(name)) {
                        expect(secret, `output ${name} is a secret`).to.equal(true);
                        secrets.push(value as string);
                    }
                }
                expect(secrets.length, "client secrets among the outputs").to.be.greaterThan(0);
                expect(auditSecrets(secrets, registrations, resolved, logLines)).to.deep.equal([]);
            });
        });
    }
});
