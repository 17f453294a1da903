// npm test's type-check and lint on one program (tools/test/typecheckLint.ts): the type-check
// reports what `tsc --noEmit` reports, declaration errors included, and the lint's typed rules see
// the program they are given.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { linter, readTsconfig, typecheck } from "../tools/test/typecheckLint";

const ROOT = path.resolve(__dirname, "..");
const TSC = require.resolve("typescript/bin/tsc");

describe("npm test's type-check and lint on one program", function () {
    this.timeout(60000);

    /** typecheck() and the real `tsc --noEmit` on a scratch project of one file, a.ts: the same report. */
    function bothOn(source: string): string {
        const dir = mkdtempSync(path.join(tmpdir(), "typecheck-"));
        try {
            const options = { strict: true, declaration: true, types: [], lib: ["ES2022"], target: "ES2022", module: "commonjs" };
            writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["a.ts"] }));
            writeFileSync(path.join(dir, "a.ts"), source);
            const { program, diagnostics } = typecheck(path.join(dir, "tsconfig.json"));
            expect(program.getCompilerOptions().noEmit).to.equal(true);
            const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n" };
            const ours = ts.formatDiagnostics(diagnostics, host);
            // A child process: the real tsc, whose report this one must equal.
            const tsc = spawnSync(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", dir], { cwd: dir, encoding: "utf8" });
            expect(tsc.status).to.equal(2);
            expect(ours).to.equal(tsc.stdout);
            return ours;
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    // A private member of an exported anonymous class: an error of declaration emit only (TS4094).
    const DECLARATION_ERROR = ["export function make() {", "    return new (class {", "        private secret = 1;", "    })();", "}", ""];

    it("reports a declaration error as `tsc --noEmit` does with `declaration` set", () => {
        expect(bothOn(DECLARATION_ERROR.join("\n"))).to.equal(
            "a.ts(1,17): error TS4094: Property 'secret' of exported anonymous class type may not be private or protected.\n",
        );
    });

    it("reports a type error alone, as tsc does: declaration errors wait until there is none", () => {
        expect(bothOn(['export const n: number = "one";', ...DECLARATION_ERROR].join("\n"))).to.equal(
            "a.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n",
        );
    });

    it("lints with the project's config, the @pulumi rules typed by the program given", async () => {
        const file = path.join(ROOT, "stacks", "lintProbe.ts");
        const text = [
            'import * as pulumi from "@pulumi/pulumi";',
            "export function url(host: pulumi.Output<string>): string {",
            "    const unused = 1;",
            "    return `https://${host}/`;",
            "}",
            "",
        ].join("\n");
        // The probe exists only in this program: a compiler host that serves it beside the real files.
        const { parsed } = readTsconfig(path.join(ROOT, "tsconfig.json"));
        expect(parsed, "the project's tsconfig.json").to.not.equal(undefined);
        const host = ts.createCompilerHost(parsed!.options);
        const { getSourceFile, fileExists, readFile } = host;
        host.getSourceFile = (name, version, ...rest) =>
            name === file ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, ...rest);
        host.fileExists = (name) => name === file || fileExists(name);
        host.readFile = (name) => (name === file ? text : readFile(name));
        const program = ts.createProgram({ rootNames: [file], options: parsed!.options, host });

        const [result] = await linter(program).lintText(text, { filePath: file });
        expect(result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)).to.deep.equal([
            "3:11 @typescript-eslint/no-unused-vars: 'unused' is assigned a value but never used.",
            "4:12 @pulumi/no-output-in-template-literal: pulumi.Output<T> not permitted in template literals.",
        ]);
    });
});
