// How the tests start a command as `npm run <name>` runs it, without npm's own start-up: the node
// arguments of the script in package.json, run with this process's node. Read from package.json, so
// a test runs what users run, and a script the tests cannot run this way fails here instead.
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** The node arguments of the npm script `name` (`node --require tsx/cjs tools/plan/main.ts` gives all but `node`). */
export function npmScriptArgs(name: string): string[] {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const script = scripts[name];
    if (script === undefined) {
        throw new Error(`package.json has no script "${name}"`);
    }
    const [command, ...args] = script.split(" ");
    if (command !== "node" || args.some((arg) => arg === "" || /["'&|;$<>]/.test(arg))) {
        throw new Error(`npm script "${name}" is not one plain node command line: ${script}`);
    }
    return args;
}
