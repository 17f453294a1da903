// `npm run engine:build`: builds the real Pulumi CLI at the version of the project's @pulumi/pulumi
// from its Go modules (the module proxy only, nothing copied into the project) into `.engine/bin`,
// once: a CLI of that version already there is kept. The engine tests (`npm run test:engine`) run it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseCommandLine, runCommand } from "../shared/cli";
import { PROJECT_DIR } from "../shared/stackFiles";

const USAGE = `usage: npm run engine:build [-- --force]

Builds the Pulumi CLI at the version of the project's @pulumi/pulumi from its Go modules into
.engine/bin (Go 1.25 or later needed; the first build takes minutes, later runs reuse it).

  --force   build again even when .engine/bin holds a CLI of that version`;

const COMMAND = { name: "engine:build", usage: USAGE, options: { force: { type: "boolean" } } } as const;

const ENGINE_DIR = path.join(PROJECT_DIR, ".engine");
export const ENGINE_BIN = path.join(ENGINE_DIR, "bin");

const PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const CLI_PACKAGE = `${PKG_MODULE}/cmd/pulumi`;
const VERSION_VARIABLE = `${SDK_MODULE}/go/common/version.Version`;

/** The @pulumi/pulumi version the project installs: the CLI is built at the same one. */
function sdkVersion(): string {
    const file = require.resolve("@pulumi/pulumi/package.json", { paths: [PROJECT_DIR] });
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function log(message: string): void {
    process.stdout.write(`engine:build: ${message}\n`);
}

function go(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
    const result = spawnSync("go", args, { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
    if (result.error) {
        throw new Error(`cannot run go (${result.error.message}): install Go 1.25 or later (https://go.dev/dl/) and put it on PATH`);
    }
    if (result.status !== 0) {
        throw new Error(`go ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr.trim()}`);
    }
    return result.stdout;
}

/**
 * The `replace` directives of a module's go.mod that point at other modules; the local ones
 * (`=> ../sdk`) are what stops `go install <module>@<version>`, and a wrapper module requiring
 * the module at the same version stands in for them.
 */
export function moduleReplaces(goMod: string): string[] {
    const lines: string[] = [];
    const block = /^replace \(\n([\s\S]*?)^\)/gm;
    for (const match of goMod.matchAll(block)) {
        lines.push(...match[1].split("\n").map((l) => l.trim()));
    }
    for (const match of goMod.matchAll(/^replace (.+)$/gm)) {
        if (!match[1].startsWith("(")) {
            lines.push(match[1].trim());
        }
    }
    return lines.filter((l) => l !== "" && !/=>\s*\.{1,2}\//.test(l));
}

/** The CLI's own version string, or undefined when it does not run. */
function installedVersion(cli: string): string | undefined {
    if (!existsSync(cli)) {
        return undefined;
    }
    const result = spawnSync(cli, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Builds the CLI into .engine/bin unless one of the version is there; returns its path. */
function buildCli(version: string, force = false): string {
    const cli = path.join(ENGINE_BIN, "pulumi");
    if (!force && installedVersion(cli) === `v${version}`) {
        log(`pulumi v${version} already built (${path.relative(PROJECT_DIR, cli)})`);
        return cli;
    }
    const started = Date.now();
    const dir = path.join(ENGINE_DIR, "build", `pulumi-v${version}`);
    mkdirSync(dir, { recursive: true });
    mkdirSync(ENGINE_BIN, { recursive: true });
    log(`reading ${PKG_MODULE}@v${version}'s go.mod`);
    const download = JSON.parse(go(["mod", "download", "-json", `${PKG_MODULE}@v${version}`], dir)) as { GoMod: string };
    const replaces = moduleReplaces(readFileSync(download.GoMod, "utf8"));
    writeFileSync(
        path.join(dir, "go.mod"),
        ["module kongcognito/engine/pulumi", "", "go 1.25", "", ...replaces.map((r) => `replace ${r}`), ""].join("\n"),
    );
    writeFileSync(path.join(dir, "tools.go"), `//go:build tools\n\npackage engine\n\nimport _ "${CLI_PACKAGE}"\n`);
    log(`resolving the CLI's modules (${replaces.length} replace directive(s) carried over)`);
    go(["get", `${CLI_PACKAGE}@v${version}`, `${SDK_MODULE}@v${version}`], dir);
    log(`compiling pulumi v${version} (a cold build takes several minutes)`);
    go(["build", "-o", cli, "-ldflags", `-X ${VERSION_VARIABLE}=v${version}`, CLI_PACKAGE], dir, { CGO_ENABLED: "0" });
    const built = installedVersion(cli);
    if (built !== `v${version}`) {
        throw new Error(`the built CLI says ${built ?? "nothing"} instead of v${version}`);
    }
    log(`pulumi ${built} built in ${Math.round((Date.now() - started) / 1000)} s`);
    return cli;
}

function main(argv: string[]): number {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    buildCli(sdkVersion(), parsed.values.force === true);
    return 0;
}

if (require.main === module) {
    runCommand(COMMAND, () => main(process.argv.slice(2)));
}
