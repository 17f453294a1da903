// Part of `npm run build`: makes dist/policy a policy pack Pulumi can load without TypeScript
// (`pulumi preview --policy-pack node_modules/kong-cognito/dist/policy`): the compiled JavaScript
// (tsc put it there), PulumiPolicy.yaml and a package.json whose main is the JavaScript entry.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCE = path.join(ROOT, "policy");
const TARGET = path.join(ROOT, "dist", "policy");

if (!existsSync(path.join(TARGET, "index.js"))) {
    process.stderr.write("dist/policy/index.js is missing: run tsc -p tsconfig.build.json first\n");
    process.exit(1);
}
const source = JSON.parse(readFileSync(path.join(SOURCE, "package.json"), "utf8")) as Record<string, unknown>;
const library = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; license: string };
const manifest = {
    name: source.name,
    version: library.version,
    private: true,
    description: "The kong-cognito policy pack, compiled; @pulumi/policy resolves from the project that installed kong-cognito.",
    license: library.license,
    main: "index.js",
};
writeFileSync(path.join(TARGET, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(path.join(SOURCE, "PulumiPolicy.yaml"), path.join(TARGET, "PulumiPolicy.yaml"));
copyFileSync(path.join(SOURCE, "dev-config.json"), path.join(TARGET, "dev-config.json"));
process.stdout.write("dist/policy: policy pack ready\n");
