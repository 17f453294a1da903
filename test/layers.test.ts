// Arrows point one way: dependency-cruiser with the rule file .dependency-cruiser.cjs finds no
// import circle and no import against the layering in the project's sources (`npm run
// check:layers`), and the same rule file refuses a circle and a back-up arrow when there is one.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { ICruiseOptions } from "dependency-cruiser";

const ROOT = path.resolve(__dirname, "..");
const RULES = path.join(ROOT, ".dependency-cruiser.cjs");

/**
 * A module of dependency-cruiser's by its export name. Its subpath exports carry .d.mts types that
 * the project's `moduleResolution: node` cannot find, so the two used here are typed below.
 */
async function importDepcruise<T>(subpath: string): Promise<T> {
    return ((await import(`dependency-cruiser/${subpath}`)) as { default: T }).default;
}

/**
 * dependency-cruiser on `paths` of `dir`, with the project's rule file and the tsconfig.json of
 * `dir`, through its API as its CLI calls it (src/cli/index.mjs: the rule file's options, the
 * extracted tsconfig, the err reporter); status is the number of errors, as the CLI's exit status.
 */
async function cruise(dir: string, paths: string[]): Promise<{ status: number; output: string }> {
    const { cruise: run } = await import("dependency-cruiser");
    const extractDepcruiseOptions = await importDepcruise<(file: string) => Promise<ICruiseOptions>>(
        "config-utl/extract-depcruise-options",
    );
    const extractTSConfig = await importDepcruise<(file: string) => unknown>("config-utl/extract-ts-config");
    const options = await extractDepcruiseOptions(RULES);
    const tsConfig = extractTSConfig(path.join(dir, "tsconfig.json"));
    const result = await run(paths, { ...options, outputType: "err", baseDir: dir }, undefined, { tsConfig });
    return { status: result.exitCode, output: String(result.output) };
}

describe("the import graph", function () {
    this.timeout(60000);

    it("has no circle and no arrow pointing up (npm run check:layers)", () => {
        const npm = process.platform === "win32" ? "npm.cmd" : "npm";
        // A child process: the npm script itself, as `npm test` and a person run it.
        const child = spawnSync(npm, ["run", "-s", "check:layers"], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
        expect(child.status, `${child.stdout}${child.stderr}`).to.equal(0);
        expect(child.stdout).to.match(/no dependency violations found/);
    });

    describe("refuses, with the same rule file", () => {
        let scratch: string;
        /** A scratch project with one file per entry: path and source. */
        function project(files: Record<string, string>): void {
            for (const [file, source] of Object.entries(files)) {
                mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
                writeFileSync(path.join(scratch, file), source);
            }
        }
        beforeEach(() => {
            scratch = mkdtempSync(path.join(tmpdir(), "layers-"));
            writeFileSync(path.join(scratch, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", strict: true } }));
        });
        afterEach(() => rmSync(scratch, { recursive: true, force: true }));

        it("an import circle, even of type-only imports", async () => {
            project({
                "stacks/a.ts": 'import type { B } from "./b";\nexport interface A { b?: B }\n',
                "stacks/b.ts": 'import type { A } from "./a";\nexport interface B { a?: A }\n',
            });
            const { status, output } = await cruise(scratch, ["stacks"]);
            expect(status).to.not.equal(0);
            expect(output).to.match(/error no-circular: stacks\/a\.ts → /);
        });

        it("a model that imports the table of emitters, and an emitter that imports a component", async () => {
            project({
                "components/kong/model/routeModel.ts": 'import { TARGETS } from "../targets";\nexport const FIRST = TARGETS[0];\n',
                "components/kong/targets.ts": 'export const TARGETS = ["ingress"];\n',
                "components/kong/emitters/ingress.ts": 'import type { Route } from "../kongOidcRoute";\nexport type R = Route;\n',
                "components/kong/kongOidcRoute.ts": "export interface Route { name: string }\n",
            });
            const { status, output } = await cruise(scratch, ["components"]);
            expect(status).to.not.equal(0);
            expect(output).to.match(
                /error kong-model-at-the-bottom: components\/kong\/model\/routeModel\.ts → components\/kong\/targets\.ts/,
            );
            expect(output).to.match(
                /error kong-emitters-below-the-table: components\/kong\/emitters\/ingress\.ts → components\/kong\/kongOidcRoute\.ts/,
            );
        });

        it("a command that imports another one", async () => {
            project({
                "tools/plan/main.ts": 'import { run } from "../verify/main";\nexport const plan = run;\n',
                "tools/verify/main.ts": "export function run(): void {}\n",
            });
            const { status, output } = await cruise(scratch, ["tools"]);
            expect(status).to.not.equal(0);
            expect(output).to.match(/error tools-commands-apart: tools\/plan\/main\.ts → tools\/verify\/main\.ts/);
        });
    });
});
