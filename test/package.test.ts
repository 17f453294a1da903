// The published package as `npm pack` makes it: what it holds, what it leaves out, and that every
// module it ships needs only Node, itself and its declared dependencies. Reads dist/, which
// `npm test` builds first (`npm run build` when running mocha alone).
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Manifest {
    private?: boolean;
    license?: string;
    repository?: { url?: string };
    main: string;
    types: string;
    exports: Record<string, string | { types: string; default: string }>;
    typesVersions: Record<string, Record<string, string[]>>;
    dependencies?: Record<string, string>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

/** The file list `npm pack` would publish, without running the build again: npm itself, in a child process. */
function packedFiles(): string[] {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const output = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
    return (JSON.parse(output) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
}

/** The package a module specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("the npm package", function () {
    this.timeout(60000);
    let files: string[];
    before(() => {
        expect(existsSync(path.join(ROOT, "dist", "components", "index.js")), "dist/ is built (npm run build)").to.equal(true);
        files = packedFiles();
    });

    it("is publishable: not private, licensed, with a repository and the license text", () => {
        expect(manifest.private).to.equal(undefined);
        expect(manifest.license).to.equal("Apache-2.0");
        expect(manifest.repository?.url).to.match(/^git\+https:\/\//);
        expect(files).to.include.members(["LICENSE", "README.md", "CHANGELOG.md", "package.json"]);
    });

    it("holds the compiled library, the testing mocks and the policy pack as JavaScript", () => {
        expect(files).to.include.members([
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/testing/index.js",
            "dist/testing/index.d.ts",
            "dist/policy/index.js",
            "dist/policy/policies.js",
            "dist/policy/PulumiPolicy.yaml",
            "dist/policy/package.json",
        ]);
        const pack = JSON.parse(readFileSync(path.join(ROOT, "dist", "policy", "package.json"), "utf8"));
        expect(pack.main).to.equal("index.js");
    });

    it("leaves out the project's own program, stacks, tools, tests and TypeScript sources", () => {
        const outside = files.filter(
            (f) => !f.startsWith("dist/") && !["LICENSE", "README.md", "CHANGELOG.md", "package.json"].includes(f),
        );
        expect(outside).to.deep.equal([]);
        expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
        expect(files.filter((f) => /^dist\/(stacks|tools|test)\//.test(f))).to.deep.equal([]);
    });

    it("points every entry, export and typesVersions path at a packed file", () => {
        const targets = [
            manifest.main,
            manifest.types,
            ...Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : [t.types, t.default])),
            ...Object.values(manifest.typesVersions["*"]).flat(),
        ].map((t) => t.replace(/^\.\//, ""));
        expect(targets.filter((t) => !files.includes(t))).to.deep.equal([]);
        expect(Object.keys(manifest.exports).sort()).to.deep.equal([".", "./package.json", "./policy", "./testing"]);
    });

    it("takes the Pulumi SDK and providers from the consumer (peer dependencies), the policy SDK optionally", () => {
        expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal([
            "@pulumi/aws",
            "@pulumi/kubernetes",
            "@pulumi/policy",
            "@pulumi/pulumi",
            "@pulumi/random",
        ]);
        expect(manifest.peerDependenciesMeta?.["@pulumi/policy"]?.optional).to.equal(true);
        expect(manifest.peerDependencies["@pulumi/pulumi"]).to.match(/^\^3\./);
        expect(manifest.dependencies ?? {}).to.deep.equal({});
    });

    it("ships modules that require only Node built-ins, its own files and its peer dependencies", () => {
        const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies)]);
        const undeclared: string[] = [];
        for (const file of files.filter((f) => f.endsWith(".js"))) {
            const source = readFileSync(path.join(ROOT, file), "utf8");
            for (const [, specifier] of source.matchAll(/require\("([^"]+)"\)/g)) {
                const external = !specifier.startsWith(".") && !builtinModules.includes(specifier.replace(/^node:/, ""));
                if (external && !declared.has(packageOf(specifier))) {
                    undeclared.push(`${file}: ${specifier}`);
                }
            }
        }
        expect(undeclared).to.deep.equal([]);
    });
});
