// deploy's wait between `pulumi up` and verify: until the gateway serves what verify calls.
import { HttpClient } from "../verify/checks";
import { VerifyOutputs } from "../verify/options";

/** How often deploy asks whether the gateway serves the routes yet. */
const WAIT_STEP_MS = 5000;

/**
 * Waits until the endpoints verify calls are served: discovery answers, the hosted domain resolves
 * (a new prefix domain takes up to a minute), and every route is published (Kong answers 404 "no
 * Route matched" until KIC has synced it).
 */
export async function waitForGateway(
    outputs: VerifyOutputs,
    options: { readonly insecure?: boolean; readonly waitMs?: number; readonly sleep?: (ms: number) => Promise<void> },
    log: (line: string) => void,
): Promise<boolean> {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const waitMs = options.waitMs ?? 120000;
    const http = new HttpClient(options.insecure ?? false, 10000, 1, sleep);
    const served = (status: number) => status !== 404;
    const answers = () => true;
    const targets: { url: string; ready: (status: number) => boolean }[] = [
        { url: outputs.discoveryUrl, ready: served },
        { url: outputs.tokenEndpoint, ready: answers },
        ...outputs.routes.map((r) => ({ url: r.url, ready: served })),
    ];
    try {
        let waiting = targets;
        for (let waited = 0; ; waited += WAIT_STEP_MS) {
            const still: typeof targets = [];
            for (const target of waiting) {
                const ready = await http.request("GET", target.url).then(
                    (r) => target.ready(r.status),
                    () => false,
                );
                if (!ready) {
                    still.push(target);
                }
            }
            if (still.length === 0) {
                return true;
            }
            if (waited >= waitMs) {
                const paths = still.map((t) => `${new URL(t.url).host}${new URL(t.url).pathname}`);
                log(`deploy: still not served after ${waited / 1000} s: ${paths.join(", ")}; verifying anyway`);
                return false;
            }
            if (waited === 0) {
                log(
                    `deploy: waiting for ${still.length} of ${targets.length} endpoints (KIC publishes routes, Cognito's domain resolves)...`,
                );
            }
            waiting = still;
            await sleep(WAIT_STEP_MS);
        }
    } finally {
        await http.close();
    }
}
