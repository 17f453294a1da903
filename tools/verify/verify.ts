// verify's run: discovery and tokens, each route's checks, the browser routes signed in, and the
// summary; `npm run verify` (and deploy, after pulumi up) loads it once the command line is parsed.
import { checkBrowserRoute, checkBrowserRoutesTogether, People } from "./browserChecks";
import { CheckRunner, HttpClient } from "./checks";
import { Context } from "./context";
import { VerifyOptions, VerifySummary } from "./options";
import { checkRouteAuth, checkRouteCache, isBrowserOnly, tokenCallers } from "./routeChecks";
import { checkDiscovery, checkTokens, checkTrustedKeys } from "./tokenChecks";

export async function runVerify(options: VerifyOptions): Promise<VerifySummary> {
    const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const http = new HttpClient(options.insecure ?? false, options.timeoutMs ?? 10000, options.attempts ?? 3, sleep);
    const checks = new CheckRunner(log);
    const context: Context = { outputs: options.outputs, http, checks, options, sleep, log };
    const people = options.users && !options.sessionCookies?.length ? new People(options.users, checks) : undefined;
    if (options.insecure) {
        // Here, so that deploy, which runs verify in its own process, says it too.
        process.stderr.write("WARNING: --insecure: TLS certificates are not verified. Use it only against a test gateway.\n");
    }
    try {
        const keys = await checkDiscovery(context);
        await checkTrustedKeys(context, keys);
        const tokens = await checkTokens(context, keys);
        for (const route of options.outputs.routes) {
            log(`route ${route.name}: ${route.url} -> ${route.upstream}`);
            if (route.tokenChecks) {
                log(`route ${route.name}: Kong OSS jwt plugin; does not check ${route.tokenChecks.notChecked.join("; ")}`);
            }
            await checkRouteAuth(context, route, tokens);
            if (isBrowserOnly(route)) {
                await checkBrowserRoute(context, route, people);
            } else if (route.cacheTtlSeconds !== undefined) {
                await checkRouteCache(context, route, route.cacheTtlSeconds, tokenCallers(http, tokens), "token");
            }
        }
        await checkBrowserRoutesTogether(context, options.outputs.routes.filter(isBrowserOnly), people);
    } finally {
        try {
            await people?.cleanUp();
        } finally {
            await http.close();
        }
    }
    const { passed, failed, skipped } = checks.counts;
    log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
    return { ...checks.counts, requests: http.requests };
}

/** verify's exit status for a run: 0 every check passed (or was skipped), 1 one failed. */
export function exitCode(summary: VerifySummary): 0 | 1 {
    return summary.failed === 0 ? 0 : 1;
}
