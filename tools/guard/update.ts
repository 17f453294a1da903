// `npm run guard:update [-- <stack> ...]`: rewrites the committed replacement-guard snapshots
// (guard/<stack>.json) from the program, for every stack file or the ones named, and prints what
// each rewrite accepts. Run it when a stack file changed on purpose (a fork's own values, an
// intended replacement), read what it prints, and commit the result with the change.
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";
import { stackNames } from "../shared/stackFiles";

const USAGE = `usage: npm run guard:update [-- <stack> ...]

Rewrites guard/<stack>.json, the snapshot \`npm test\` compares each stack against so that no
change deletes or replaces the user pool, a client, the resource server or the domain unnoticed.
Without a stack, every Pulumi.<stack>.yaml is done. Prints, per stack, the deletions and
replacements the new snapshot accepts: read them before you commit it.

  -h, --help   print this and exit`;

const COMMAND = { name: "guard:update", usage: USAGE, options: {}, positionals: { min: 0, max: Infinity } } as const;

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(COMMAND, argv);
    if (!parsed) {
        return 0;
    }
    const known = stackNames();
    const unknown = parsed.positionals.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) {
        throw new UsageError(`no stack file Pulumi.${unknown[0]}.yaml (stacks: ${known.join(", ") || "none"})`);
    }
    // The program and the Pulumi SDK only now: --help and a refused command line load neither.
    // require(), not import(): the npm scripts run the tools under tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rewriteSnapshot } = require("./rewrite") as typeof import("./rewrite");
    for (const stack of parsed.positionals.length > 0 ? parsed.positionals : known) {
        await rewriteSnapshot(stack);
    }
    return 0;
}

runCommand(COMMAND, () => main(process.argv.slice(2)));
