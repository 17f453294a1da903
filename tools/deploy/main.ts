// `npm run deploy -- <stack>`: from a stack file to a verified deployment in one command. Runs
// `pulumi up` for the stack through Pulumi's Automation API (on the backend the CLI uses, the
// project's file backend only when there is none; the stack created on first use), streams the
// CLI's progress, waits until the gateway serves the routes, then runs verify on the stack's
// outputs. Exit status says which step failed.
import { LOCAL_STATE_DIR } from "../shared/backend";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { checkVerifyFlags, VERIFY_FLAGS } from "../verify/flags";
import { EXIT } from "./exit";

const USAGE = `usage: npm run deploy -- <stack> [--yes] [--preview] [--install-cli] [--local-backend] [--wait-seconds <s>]
                                [verify's options: --sign-in, --session-cookie, --skip-ttl, ...]

From Pulumi.<stack>.yaml to a checked deployment: runs \`pulumi up\` for the stack through Pulumi's
Automation API, streaming its progress, then waits until the gateway serves the routes and runs
\`npm run verify\` on the stack's outputs (see \`npm run verify -- --help\`).

  --yes              deploy without asking; needed when no terminal is attached (CI). On a
                     terminal, deploy previews first and asks before it changes anything.
  --preview          only preview the changes; change nothing, verify nothing
  --install-cli      install the Pulumi CLI (Automation API's installer) when none is found
  --local-backend    keep the state in ${LOCAL_STATE_DIR}/ of this project, whatever backend the CLI is
                     logged in to
  --wait-seconds <s> how long to wait for the gateway to serve the new routes (default 120)
  --sign-in, --session-cookie <cookie>, --aws-profile <name>, --skip-ttl, --insecure,
  --timeout-ms <ms>  passed to verify
  -h, --help         this text

State: the backend the Pulumi CLI uses: PULUMI_BACKEND_URL when set (Pulumi Cloud, s3://...,
file://...), else Pulumi.yaml's backend.url, else the one \`pulumi login\` chose. Only when there
is none (or with --local-backend) the file backend in ${LOCAL_STATE_DIR}/ of this project: it is
ignored by git and is the only record of what the stack owns, so back it up. Deploy prints which
backend it uses and why.
Secrets: with a passphrase (file and S3 backends), PULUMI_CONFIG_PASSPHRASE or
PULUMI_CONFIG_PASSPHRASE_FILE, or asked for on a terminal. The first deploy of a stack creates it
and writes its encryptionsalt into Pulumi.<stack>.yaml: commit that.
Credentials: the usual AWS chain and kubectl context, as for \`pulumi up\`.

Exit status: 0 deployed and every check passed, 1 a verify check failed, 2 nothing was run
(usage, no Pulumi CLI, no passphrase, no such stack file), 3 the Pulumi CLI failed (pulumi up,
preview, or opening the stack: a wrong passphrase, an unreachable backend).`;

const COMMAND = {
    name: "deploy",
    usage: USAGE,
    options: {
        yes: { type: "boolean", short: "y" },
        preview: { type: "boolean" },
        "install-cli": { type: "boolean" },
        "local-backend": { type: "boolean" },
        "wait-seconds": { type: "string" },
        ...VERIFY_FLAGS,
    },
    positionals: { min: 1, max: 1 },
} as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const { values, positionals } = parsed;
    checkVerifyFlags(values);
    const wait = values["wait-seconds"];
    if (wait !== undefined && !(Number.isInteger(Number(wait)) && Number(wait) >= 0)) {
        throw new UsageError(`--wait-seconds ${wait}: must be a whole number of seconds`);
    }
    if (values.preview) {
        const unused = ["wait-seconds", ...Object.keys(VERIFY_FLAGS)].filter((flag) => values[flag as keyof typeof values] !== undefined);
        if (unused.length > 0) {
            throw new UsageError(`--preview changes and verifies nothing: --${unused[0]} does not apply`);
        }
    }
    const onTerminal = process.stdin.isTTY === true;
    if (!values.yes && !values.preview && !onTerminal) {
        throw new UsageError("no terminal to confirm on: pass --yes to deploy without asking (or --preview)");
    }
    // The Automation API only now, and the rest once there is a CLI: --help and a refused command
    // line load none of it, a missing CLI not verify's.
    // require(), not import(): the npm scripts run the tools under tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CommandError } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DeploySetupError, findPulumi, firstLine } = require("./pulumi") as typeof import("./pulumi");
    const log = (line: string) => process.stdout.write(`${line}\n`);
    try {
        const pulumi = await findPulumi(values["install-cli"] ?? false, log);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { runDeploy, TERMINAL } = require("./deploy") as typeof import("./deploy");
        const result = await runDeploy({
            stack: positionals[0],
            pulumi,
            preview: values.preview,
            yes: values.yes,
            localBackend: values["local-backend"],
            terminal: onTerminal ? TERMINAL : undefined,
            verify: values,
            waitMs: wait === undefined ? undefined : Number(wait) * 1000,
        });
        return result.code;
    } catch (error) {
        if (error instanceof DeploySetupError) {
            process.stderr.write(`deploy: ${error.message}\n`);
            return EXIT.setup;
        }
        if (error instanceof CommandError) {
            process.stderr.write(`deploy: the Pulumi CLI failed: ${firstLine(error)}\n`);
            return EXIT.pulumiFailed;
        }
        throw error;
    }
}

runCommand(COMMAND, () => main(process.argv.slice(2)), EXIT.setup);
