// The command line of every tool, the same way: `--help` prints the usage and exits 0; a bad
// option or argument is one line naming it (and how to get the usage), exit 2, no stack trace.
import { parseArgs, ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Command<O extends Options> {
    /** The npm script, e.g. `plan`: messages say `npm run plan -- --help`. */
    readonly name: string;
    /** The usage text; its first line is the synopsis. */
    readonly usage: string;
    readonly options: O;
    /** How many positional arguments it takes. @default { min: 0, max: 0 } */
    readonly positionals?: { readonly min: number; readonly max: number };
}

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Thrown by a command for bad arguments found after parsing; `runCommand` prints it as one line. */
export class UsageError extends Error {}

/** One line for a parse error: Node's message up to its first sentence end, with the help hint. */
function oneLine(command: string, message: string): string {
    const first = message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    return `${first} (npm run ${command} -- --help)`;
}

/**
 * Parses `argv` for `command`. Returns undefined after printing the usage for --help; throws
 * UsageError for anything it refuses.
 */
export function parseCommandLine<O extends Options>(command: Command<O>, argv: string[]): Parsed<O> | undefined {
    const withHelp = { ...command.options, help: { type: "boolean", short: "h" } } as const;
    let parsed: Parsed<O>;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: withHelp }) as unknown as Parsed<O>;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if ((parsed.values as Record<string, unknown>).help) {
        process.stdout.write(`${command.usage}\n`);
        return undefined;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    const count = parsed.positionals.length;
    if (count < min || count > max) {
        const synopsis = command.usage.split("\n")[0].replace(/^usage: /, "");
        throw new UsageError(
            count < min ? `missing argument: ${synopsis}` : `unexpected argument ${JSON.stringify(parsed.positionals[max])}: ${synopsis}`,
        );
    }
    return parsed;
}

/**
 * Runs a tool's main and exits with its status. A UsageError is one line and exit 2; any other
 * error one line and `failureCode` (its stack only with DEBUG set).
 */
export function runCommand(command: { readonly name: string }, main: () => Promise<number> | number, failureCode = 1): void {
    Promise.resolve()
        .then(main)
        .then(
            (code) => process.exit(code),
            (error: unknown) => {
                if (error instanceof UsageError) {
                    process.stderr.write(`${oneLine(command.name, error.message)}\n`);
                    process.exit(2);
                }
                const detail = process.env.DEBUG ? ((error as Error).stack ?? String(error)) : (error as Error).message;
                process.stderr.write(`${command.name} failed: ${detail}\n`);
                process.exit(failureCode);
            },
        );
}
