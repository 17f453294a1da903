// `npm run sync:config`: rewrites Pulumi.yaml's kong-cognito config declarations and the README's
// configuration table from the config table (stacks/configKeys.ts). Other keys and text stay.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { parseCommandLine, runCommand } from "../shared/cli";
import { PROJECT_DIR, readProjectFile } from "../shared/stackFiles";

const USAGE =
    "usage: npm run sync:config\n\nRewrites Pulumi.yaml's config block and the README's configuration table from stacks/configKeys.ts.";

const COMMAND = { name: "sync:config", usage: USAGE, options: {} } as const;

async function main(argv: string[]): Promise<number> {
    if (!parseCommandLine(COMMAND, argv)) {
        return 0;
    }
    // The config table, and the components it reads its defaults from, only now.
    // require(), not import(): the npm scripts run the tools under tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { configDeclarations, configTable, replaceTable } = require("./docs") as typeof import("./docs");
    const projectPath = path.join(PROJECT_DIR, "Pulumi.yaml");
    const document = parseDocument(readFileSync(projectPath, "utf8"));
    const current = (readProjectFile().config ?? {}) as Record<string, unknown>;
    // Keys of other namespaces (aws:region) stay where they are; ours follow the table.
    const foreign = Object.fromEntries(Object.entries(current).filter(([key]) => key.includes(":")));
    const config = document.createNode({ ...foreign, ...configDeclarations() });
    config.comment =
        " Declared: the keys with a default and the required ones (the Pulumi CLI requires every declared key without a\n" +
        " default). The optional keys without one (the gateway target's, jwtKeySlots, redis) are in the README and\n" +
        " checked by the program (stacks/configKeys.ts). routes' object items need Pulumi CLI 3.187 or later.";
    document.set("config", config);
    writeFileSync(projectPath, document.toString({ lineWidth: 0 }));

    const readmePath = path.join(PROJECT_DIR, "README.md");
    writeFileSync(readmePath, replaceTable(readFileSync(readmePath, "utf8"), configTable(readProjectFile())));
    process.stdout.write("Pulumi.yaml and README.md follow stacks/configKeys.ts\n");
    return 0;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
