// What every check group of verify works with, and who calls a route.
import { CheckRunner, HttpClient, HttpResponse } from "./checks";
import { VerifyOptions, VerifyOutputs } from "./options";

/** What every check group works with. */
export interface Context {
    readonly outputs: VerifyOutputs;
    readonly http: HttpClient;
    readonly checks: CheckRunner;
    readonly options: VerifyOptions;
    readonly sleep: (ms: number) => Promise<void>;
    readonly log: (line: string) => void;
}

/** Someone calling a route: a machine client with its token, or a person with a session. */
export interface Caller {
    /** How lines name it: `token#1a2b3c4d` or a user name; never a secret. */
    readonly label: string;
    get(url: string): Promise<HttpResponse>;
}

/** The callers of a route and why there may be no second one, or why there are none (the reasons checks are skipped). */
export type Callers = { readonly callers: Caller[]; readonly noSecond: string } | { readonly none: string };
