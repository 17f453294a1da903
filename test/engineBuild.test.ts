// The engine build step without building anything: how it carries the CLI module's replace
// directives into its wrapper module, and what it says when Go is missing. The build itself runs
// in `npm run test:engine`.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { moduleReplaces } from "../tools/engine/build";

const ROOT = path.resolve(__dirname, "..");

describe("npm run engine:build", () => {
    it("carries over the replace directives that point at modules, not the local ones that stop go install", () => {
        const goMod = [
            "module github.com/pulumi/pulumi/pkg/v3",
            "",
            "go 1.25.11",
            "",
            "replace github.com/pulumi/pulumi/sdk/v3 => ../sdk",
            "",
            "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
            "",
            "replace (",
            "\texample.com/a => example.com/b v1.2.3",
            "\texample.com/local => ./local",
            ")",
            "",
            "require github.com/pulumi/pulumi/sdk/v3 v3.248.0",
        ].join("\n");
        expect(moduleReplaces(goMod)).to.deep.equal([
            "example.com/a => example.com/b v1.2.3",
            "github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
        ]);
    });

    // A child process: the command's own exit status and message, on a PATH without Go.
    it("without Go: says what to install, in one line, exit 1", function () {
        this.timeout(60000);
        const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "tools/engine/build.ts", "--force"], {
            cwd: ROOT,
            encoding: "utf8",
            env: { ...process.env, PATH: path.join(ROOT, "no-such-folder") },
        });
        expect(child.status).to.equal(1);
        expect(child.stderr).to.equal(
            "engine:build failed: cannot run go (spawnSync go ENOENT): install Go 1.25 or later (https://go.dev/dl/) and put it on PATH\n",
        );
    });
});
