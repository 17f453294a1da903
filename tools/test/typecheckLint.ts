// `npm test`'s type-check and lint in one process, on one TypeScript program: `tsc --noEmit -p .` and
// `eslint .` each build a program of the whole project (the .d.ts of @pulumi/aws, @pulumi/kubernetes
// and the rest: most of their time), and the lint rules that need types (@pulumi's Output rules) can
// use the type-checker's. The type-check reports what `tsc --noEmit` reports, in tsc's order and with
// its gates (typescript's emitFilesAndReportErrors, taken whole below), printed as tsc prints them. The lint is ESLint's API with eslint.config.mjs, given that program instead
// of its project service (typescript-eslint's `programs` option). `npm run typecheck` and `npm run lint`
// stay the tools' own commands. Exit status: 2 for type errors, as tsc; else 1 for lint errors, as eslint.
import { ESLint } from "eslint";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/** A tsconfig as `tsc --noEmit -p <configFile>` reads it; undefined, with the reason, when it cannot be read at all. */
export function readTsconfig(configFile: string): { parsed?: ts.ParsedCommandLine; diagnostics: ts.Diagnostic[] } {
    const diagnostics: ts.Diagnostic[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(
        configFile,
        { noEmit: true },
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d) },
    );
    return { parsed, diagnostics };
}

/** The program `tsc --noEmit -p <configFile>` builds, and the diagnostics it reports. */
export function typecheck(configFile: string): { program: ts.Program; diagnostics: readonly ts.Diagnostic[] } {
    const { parsed, diagnostics } = readTsconfig(configFile);
    if (!parsed) {
        return { program: ts.createProgram([], {}), diagnostics };
    }
    const program = ts.createProgram({
        rootNames: parsed.fileNames,
        options: parsed.options,
        projectReferences: parsed.projectReferences,
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    });
    return { program, diagnostics: tscDiagnostics(program) };
}

/**
 * The diagnostics `tsc` reports for a program, as typescript 5.9's emitFilesAndReportErrors gathers
 * them: syntax errors stop there; then options and global errors; semantic errors only if there were
 * none; declaration-emit errors under noEmit with `declaration` or `composite` only if still none;
 * then emit's own (none under noEmit). getPreEmitDiagnostics has no such gates, so it reports more.
 */
function tscDiagnostics(program: ts.Program): readonly ts.Diagnostic[] {
    const options = program.getCompilerOptions();
    const all = [...program.getConfigFileParsingDiagnostics()];
    const configDiagnostics = all.length;
    all.push(...program.getSyntacticDiagnostics());
    if (all.length === configDiagnostics) {
        all.push(...program.getOptionsDiagnostics());
        all.push(...program.getGlobalDiagnostics());
        if (all.length === configDiagnostics) {
            all.push(...program.getSemanticDiagnostics());
        }
        if (options.noEmit && (options.declaration || options.composite) && all.length === configDiagnostics) {
            all.push(...program.getDeclarationDiagnostics());
        }
    }
    all.push(...program.emit().diagnostics);
    return ts.sortAndDeduplicateDiagnostics(all);
}

/** ESLint with the project's eslint.config.mjs, its typed rules reading `program` instead of a program of their own. */
export function linter(program: ts.Program): ESLint {
    return new ESLint({
        cwd: ROOT,
        overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
    });
}

/** As tsc prints them: with colour and source lines on a terminal or with `pretty`, else one line each. */
function formatted(program: ts.Program, diagnostics: readonly ts.Diagnostic[]): string {
    const host: ts.FormatDiagnosticsHost = {
        getCanonicalFileName: (file) => file,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => ts.sys.newLine,
    };
    const pretty = program.getCompilerOptions().pretty ?? process.stdout.isTTY === true;
    return pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
    let started = Date.now();
    const { program, diagnostics } = typecheck(path.join(ROOT, "tsconfig.json"));
    const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    process.stdout.write(formatted(program, diagnostics));
    process.stdout.write(`type-check: ${errors === 0 ? "passed" : `${errors} errors`} in ${seconds(started)}\n`);
    if (errors > 0) {
        return 2;
    }

    started = Date.now();
    const eslint = linter(program);
    const results = await eslint.lintFiles(["."]);
    process.stdout.write(await (await eslint.loadFormatter("stylish")).format(results));
    const lintErrors = results.reduce((sum, r) => sum + r.errorCount + r.fatalErrorCount, 0);
    process.stdout.write(`lint: ${results.length} files, ${lintErrors === 0 ? "passed" : `${lintErrors} errors`} in ${seconds(started)}\n`);
    return lintErrors > 0 ? 1 : 0;
}

if (require.main === module) {
    main().then(
        (code) => (process.exitCode = code),
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
