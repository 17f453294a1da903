// `npm run verify -- <stack>`: the seed's end-to-end checks against a deployed stack. Gets tokens
// from Cognito, calls each route without and with them, signs temporary users in on browser
// routes (--sign-in), watches the proxy-cache headers, and exits non-zero when anything fails.
// Prints PASS/FAIL/SKIP lines; never a secret.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { deployedBackendUrl } from "../shared/backend";
import { parseCommandLine, runCommand } from "../shared/cli";
import { PROJECT_DIR } from "../shared/stackFiles";
import { checkVerifyFlags, VERIFY_FLAGS } from "./flags";
import type { VerifyOptions } from "./options";

const USAGE = `usage: npm run verify -- <stack> [--sign-in | --session-cookie <cookie>...] [--outputs <file>] [--skip-ttl]
                                [--insecure] [--timeout-ms <ms>] [--aws-profile <name>]

Checks a deployed stack end to end: discovery, client_credentials tokens, each route without a
token, with one, and with one signed by another key, and each cached route's X-Cache-Status
sequence; on Kong OSS, also that Kong trusts the keys the user pool publishes now. Run it after
every deploy: the requests without a token are the only proof a route is closed (KIC publishes a
route even when it cannot build its auth plugin). \`npm run deploy\` runs it after \`pulumi up\`.

Browser routes (sign-in through the hosted UI) are checked with a session:
  --sign-in          create two temporary users in the stack's user pool (Cognito admin API, the
                     AWS credentials of the usual chain; needs cognito-idp:AdminCreateUser,
                     AdminSetUserPassword and AdminDeleteUser), sign each in through the hosted UI
                     as a browser does, and check: 302 to the sign-in without a session, 200 with
                     one, X-Cache-Status Miss, Hit, then Miss after the TTL, the second user never
                     served the first user's cached response, and logout (followed through
                     Cognito's /logout to the signed-out URL) ending the session, after which the
                     hosted UI asks for credentials again; and, where browser routes share a host,
                     one browser signed in on all of them keeping each session. The users are
                     deleted at the end, also when a check fails.
  --session-cookie <cookie>
                     instead of --sign-in: the Cookie header a signed-in browser sends to the route
                     (devtools, Network, the request's Cookie), or @file to read it from a file.
                     Give it twice (two people) for the per-user cache check. Never printed.
  --aws-profile <name>
                     the AWS profile for --sign-in (default: AWS_PROFILE, then the default chain)

  --outputs <file>   stack outputs as \`pulumi stack output --json --show-secrets\` prints them
                     (default: ask the Pulumi CLI, on PULUMI_BACKEND_URL or else the project's
                     .pulumi-state/ that \`npm run deploy\` made, or else the CLI's login)
  --skip-ttl         do not wait out the cache TTL
  --insecure         do not verify TLS certificates (a test gateway only)
  --timeout-ms <ms>  per-request timeout (default 10000)
  -h, --help         this text

Exit status: 0 all passed, 1 a check failed, 2 the outputs could not be read.`;

/** Reads the stack's outputs with the Pulumi CLI. */
function readOutputsWithPulumi(stack: string): unknown {
    // The backend deploy used: PULUMI_BACKEND_URL, or the project's state folder when there is one.
    const backend = deployedBackendUrl(process.env, PROJECT_DIR);
    const child = spawnSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], {
        encoding: "utf8",
        timeout: 60000,
        env: { ...process.env, ...(backend ? { PULUMI_BACKEND_URL: backend } : {}) },
    });
    if (child.error) {
        throw new Error(`cannot run the Pulumi CLI (${(child.error as NodeJS.ErrnoException).code}); pass --outputs <file> instead`);
    }
    if (child.status !== 0) {
        throw new Error(`pulumi stack output failed: ${child.stderr.trim()}`);
    }
    return JSON.parse(child.stdout);
}

const COMMAND = {
    name: "verify",
    usage: USAGE,
    options: { outputs: { type: "string" }, ...VERIFY_FLAGS },
    positionals: { min: 1, max: 1 },
} as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const { values, positionals } = parsed;
    checkVerifyFlags(values);
    // What does the work only now: --help and a refused command line load none of it.
    // require(), not import(): the npm scripts run the tools under tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseOutputs, verifyOptionsFrom } = require("./options") as typeof import("./options");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { exitCode, runVerify } = require("./verify") as typeof import("./verify");
    let options: VerifyOptions;
    try {
        const json = values.outputs ? JSON.parse(readFileSync(values.outputs, "utf8")) : readOutputsWithPulumi(positionals[0]);
        options = verifyOptionsFrom(values, parseOutputs(json));
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
    return exitCode(await runVerify(options));
}

// An error of verify itself (not a failed check) means the stack could not be checked: 2.
runCommand(COMMAND, () => main(process.argv.slice(2)), 2);
