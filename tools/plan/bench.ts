// `npm run bench`: plans synthetic stacks of 1, 10, 100 and 500 routes, each in its own process
// (the program is evaluated once per process), and prints time and memory so growth is visible.
import { spawnSync } from "node:child_process";
import { parseCommandLine, runCommand, UsageError } from "../shared/cli";

const SIZES = [1, 10, 100, 500];

/**
 * A stack of `routes` routes: api routes plus one browser route (Cognito allows 100 callback URLs).
 * Self-contained, so the figures do not depend on what the project's own stack files say.
 */
export function syntheticConfig(routes: number): Record<string, string> {
    const config = {
        "aws:region": "us-east-1",
        "kong-cognito:publicBaseUrl": "https://kong.bench.example.com",
        "kong-cognito:domainPrefix": "kong-bench",
        "kong-cognito:deletionProtection": "false",
        "kong-cognito:protectUserPool": "false",
    };
    const list = [
        {
            name: "browser-0",
            path: "/browser-0",
            mode: "browser",
            upstreamService: { name: "web", port: 80 },
            cache: { ttlSeconds: 30, contentTypes: ["text/html; charset=utf-8"] },
        },
        ...Array.from({ length: routes - 1 }, (_, i) => ({
            name: `api-${i + 1}`,
            path: `/api-${i + 1}`,
            mode: "api",
            upstreamUrl: "http://httpbin.org",
            ...(i % 2 === 0 ? { cache: { ttlSeconds: 30 } } : {}),
        })),
    ];
    return { ...config, "kong-cognito:routes": JSON.stringify(list), "kong-cognito:deploySampleApp": "false" };
}

interface Measurement {
    routes: number;
    resources: number;
    chain: number;
    ms: number;
    maxRssMiB: number;
}

async function worker(routes: number): Promise<void> {
    // The SDK only in the worker. require(), not import(): the npm scripts run the tools under
    // tsx/cjs, which import() of a .ts file bypasses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { planStack } = require("./plan") as typeof import("./plan");
    const started = process.hrtime.bigint();
    const { plan } = await planStack("bench", syntheticConfig(routes));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const measurement: Measurement = {
        routes,
        resources: plan.resourceCount,
        chain: plan.longestChain.depth,
        ms,
        maxRssMiB: process.resourceUsage().maxRSS / 1024,
    };
    process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

function main(): void {
    const rows: Measurement[] = [];
    for (const routes of SIZES) {
        const child = spawnSync(process.execPath, [...process.execArgv, __filename, "--routes", String(routes)], {
            encoding: "utf8",
            timeout: 300_000,
        });
        if (child.status !== 0) {
            process.stderr.write(child.stderr);
            process.exit(1);
        }
        rows.push(JSON.parse(child.stdout.trim().split("\n").pop()!));
    }
    console.log("routes  resources  chain  plan time   ms/route  max RSS");
    for (const r of rows) {
        console.log(
            `${String(r.routes).padStart(6)}  ${String(r.resources).padStart(9)}  ${String(r.chain).padStart(5)}  ` +
                `${(r.ms / 1000).toFixed(2).padStart(7)} s  ${(r.ms / r.routes).toFixed(1).padStart(8)}  ${r.maxRssMiB.toFixed(0).padStart(4)} MiB`,
        );
    }
    const [small, large] = [rows[rows.length - 2], rows[rows.length - 1]];
    console.log(
        `growth ${small.routes} → ${large.routes} routes: time x${(large.ms / small.ms).toFixed(1)} for x${large.routes / small.routes} routes`,
    );
}

const COMMAND = {
    name: "bench",
    usage: `usage: npm run bench

Plans synthetic stacks of ${SIZES.join(", ")} routes, each in its own process, and prints the
resources, the longest dependency chain, plan time and peak memory of each, and how time grows.

  -h, --help   print this and exit`,
    // --routes <n>: one measurement, in the child process the benchmark starts for each size.
    options: { routes: { type: "string" } },
} as const;

runCommand(COMMAND, async () => {
    const parsed = parseCommandLine(COMMAND, process.argv.slice(2));
    if (!parsed) {
        return 0;
    }
    if (parsed.values.routes === undefined) {
        main();
        return 0;
    }
    const routes = Number(parsed.values.routes);
    if (!Number.isInteger(routes) || routes < 1) {
        throw new UsageError(`--routes ${parsed.values.routes}: must be a whole number of routes, 1 or more`);
    }
    await worker(routes);
    return 0;
});
