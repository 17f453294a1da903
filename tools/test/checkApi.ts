// `npm run check:api`: API Extractor on the package's two public entry points (config/api-extractor*.json),
// with one TypeScript program for both: building it is most of the work (the .d.ts of @pulumi/aws and
// the rest), and both configs compile the same dist/**/*.d.ts. Exit status 1 when either reports an
// error (a type the public API uses but does not export: ae-forgotten-export) or a compiler warning.
import { CompilerState, Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const CONFIGS = ["config/api-extractor.json", "config/api-extractor.testing.json"];

function main(): number {
    const configs = CONFIGS.map((file) => ExtractorConfig.loadFileAndPrepare(path.join(ROOT, file)));
    const compilerState = CompilerState.create(configs[0], {
        additionalEntryPoints: configs.slice(1).map((config) => config.mainEntryPointFilePath),
    });
    let failed = 0;
    for (const config of configs) {
        const result = Extractor.invoke(config, { compilerState });
        const entry = path.relative(ROOT, config.mainEntryPointFilePath);
        if (!result.succeeded) {
            failed++;
            process.stderr.write(`check:api: ${entry}: ${result.errorCount} errors, ${result.warningCount} warnings\n`);
        }
    }
    return failed > 0 ? 1 : 0;
}

process.exitCode = main();
