// The consumer example (examples/consumer) runs its own mocha test in its own process, as a
// project that imports kong-cognito does; here against the sources, in CI against the packed library.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PROVIDER_OUTPUTS } from "../testing";

describe("a project that imports kong-cognito", () => {
    it("passes its own tests with kong-cognito/testing's mocks", function () {
        this.timeout(90000);
        const root = path.resolve(__dirname, "..");
        // A child process: the consumer's mocha, its own mock runtime and module cache, as in its own project.
        const child = spawnSync(
            process.execPath,
            [
                require.resolve("mocha/bin/mocha.js"),
                "--no-config",
                "--require",
                "tsx/cjs",
                "--reporter",
                "dot",
                "examples/consumer/index.spec.ts",
            ],
            { cwd: root, encoding: "utf8", timeout: 80000 },
        );
        expect(child.stdout + child.stderr).to.match(/3 passing/);
        expect(child.status, child.stdout + child.stderr).to.equal(0);
    });
});

describe("the README's example programs", () => {
    const root = path.resolve(__dirname, "..");
    const readme = readFileSync(path.join(root, "README.md"), "utf8");

    for (const file of ["consumer/index.ts", "consumer/index.spec.ts", "oss/index.ts"]) {
        it(`shows examples/${file} as it is`, () => {
            const block = new RegExp(`<!-- example:${file} -->\n\`\`\`typescript\n([\\s\\S]*?)\`\`\`\n<!-- /example:${file} -->`).exec(
                readme,
            );
            expect(block, `README block <!-- example:${file} -->`).to.not.equal(null);
            expect(block![1]).to.equal(readFileSync(path.join(root, "examples", file), "utf8"));
        });
    }

    it("lists the provider outputs the components read, as PROVIDER_OUTPUTS does", () => {
        for (const { type, property, readBy } of PROVIDER_OUTPUTS) {
            expect(readme).to.contain(`| \`${type}\` | \`${property}\` | ${readBy} |`);
        }
    });
});
