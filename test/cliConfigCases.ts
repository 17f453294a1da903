// Pulumi.yaml and stack files the Pulumi CLI accepts or refuses before the program runs, one per part
// of its rule, with the CLI's message. test/cliConfig.test.ts holds the emulation (tools/shared/cliConfig.ts)
// to them; the engine test runs the real CLI on the same files.

export interface CliConfigCase {
    readonly name: string;
    /** Pulumi.yaml's `config:` block (project `kong-cognito`). */
    readonly project: Record<string, unknown>;
    /** Pulumi.dev.yaml's `config:` map, as YAML text so scalars read as the CLI reads them. */
    readonly stackYaml: string;
    /** The CLI's messages in order (it prints the first); empty when it runs the program. */
    readonly refusals: readonly string[];
    /**
     * Pulumi.yaml refused by its JSON schema: the CLI lists every refusal, each a line of its
     * message, with more lines for the schema's alternatives that did not match either.
     */
    readonly schema?: true;
}

const PUBLIC_URL = { publicBaseUrl: { type: "string" } };
const stack = (...lines: string[]) => ["config:", "  kong-cognito:publicBaseUrl: https://kong.example.com", ...lines].join("\n");

export const CLI_CONFIG_CASES: readonly CliConfigCase[] = [
    {
        name: "a declared key with a type and no default is required",
        project: { ...PUBLIC_URL, gatewayName: { type: "string", description: "optional, meant to be" } },
        stackYaml: stack(),
        refusals: ["Stack 'dev' is missing configuration value 'gatewayName'"],
    },
    {
        name: "a declared key without a type and without a default is required too",
        project: { ...PUBLIC_URL, gatewayName: { description: "untyped" } },
        stackYaml: stack(),
        refusals: ["Stack 'dev' is missing configuration value 'gatewayName'"],
    },
    {
        name: "the missing keys are named together, sorted",
        project: { ...PUBLIC_URL, zone: { type: "string" }, apex: { type: "string" }, mid: { type: "integer" } },
        stackYaml: stack(),
        refusals: ["Stack 'dev' is missing configuration values 'apex', 'mid' and 'zone'"],
    },
    {
        name: "a key with a default is optional, and its default must have the type",
        project: { ...PUBLIC_URL, gatewayName: { type: "string", default: "kong" }, slots: { type: "integer", default: 2 } },
        stackYaml: stack(),
        refusals: [],
    },
    {
        name: "another namespace's key is never required",
        project: { ...PUBLIC_URL, "aws:region": { value: "us-east-1" } },
        stackYaml: stack(),
        refusals: [],
    },
    {
        name: "integer: a word is refused",
        project: { ...PUBLIC_URL, days: { type: "integer", default: 30 } },
        stackYaml: stack("  kong-cognito:days: thirty"),
        refusals: ["Stack 'dev' with configuration key 'days' must be of type 'integer'"],
    },
    {
        name: "integer: a fraction is refused, a quoted whole number taken",
        project: { ...PUBLIC_URL, days: { type: "integer", default: 30 }, minutes: { type: "integer", default: 60 } },
        stackYaml: stack("  kong-cognito:days: 1.5", '  kong-cognito:minutes: "15"'),
        refusals: ["Stack 'dev' with configuration key 'days' must be of type 'integer'"],
    },
    {
        name: 'boolean: only true and false; a quoted "True" is refused, an unquoted True is YAML\'s true',
        project: { ...PUBLIC_URL, a: { type: "boolean", default: false }, b: { type: "boolean", default: false } },
        stackYaml: stack("  kong-cognito:a: True", '  kong-cognito:b: "True"'),
        refusals: ["Stack 'dev' with configuration key 'b' must be of type 'boolean'"],
    },
    {
        name: "boolean: yes is a string to the CLI's YAML reader, and refused",
        project: { ...PUBLIC_URL, flag: { type: "boolean", default: false } },
        stackYaml: stack("  kong-cognito:flag: yes"),
        refusals: ["Stack 'dev' with configuration key 'flag' must be of type 'boolean'"],
    },
    {
        name: "string: an unquoted 3.10 is accepted, as the string 3.1",
        project: { ...PUBLIC_URL, kongVersion: { type: "string", default: "3.14" } },
        stackYaml: stack("  kong-cognito:kongVersion: 3.10"),
        refusals: [],
    },
    {
        name: "array: each item has the items type",
        project: { ...PUBLIC_URL, scopes: { type: "array", items: { type: "string" }, default: ["scope1"] } },
        stackYaml: stack("  kong-cognito:scopes:", "    - read", "    - 2"),
        refusals: ["Stack 'dev' with configuration key 'scopes' must be of type 'array<string>'"],
    },
    {
        name: "array of objects: a list of maps is accepted, a map refused",
        project: {
            ...PUBLIC_URL,
            routes: { type: "array", items: { type: "object" } },
            more: { type: "array", items: { type: "object" } },
        },
        stackYaml: stack("  kong-cognito:routes:", "    - name: api", "      path: /api", "  kong-cognito:more:", "    name: api"),
        refusals: ["Stack 'dev' with configuration key 'more' must be of type 'array<object>'"],
    },
    {
        name: "secret: a key declared secret must be encrypted in the stack file",
        project: { ...PUBLIC_URL, token: { type: "string", secret: true, default: "none" } },
        stackYaml: stack("  kong-cognito:token: plain-text"),
        refusals: ["Stack 'dev' with configuration key 'token' must be encrypted as it's secret"],
    },
    {
        name: "a stack key without a namespace is the project's",
        project: { ...PUBLIC_URL, domainPrefix: { type: "string" }, days: { type: "integer", default: 30 } },
        stackYaml: stack("  domainPrefix: login", "  days: thirty"),
        refusals: ["Stack 'dev' with configuration key 'days' must be of type 'integer'"],
    },
    {
        name: "a stack key of three parts must be the old <namespace>:config:<name>",
        project: { ...PUBLIC_URL },
        stackYaml: stack("  kong-cognito:routes:extra: x"),
        refusals: [
            "could not parse kong-cognito:routes:extra as a configuration key (configuration keys should be of the form `<namespace>:<name>`)",
        ],
    },
    {
        name: "Pulumi.yaml: a declaration field the schema does not have",
        project: { publicBaseUrl: { type: "string", required: true } },
        stackYaml: stack(),
        refusals: ["#/config/publicBaseUrl: additionalProperties 'required' not allowed"],
        schema: true,
    },
    {
        name: "Pulumi.yaml: a type the CLI does not know",
        project: { ...PUBLIC_URL, ratio: { type: "number", default: 0.5 } },
        stackYaml: stack(),
        refusals: ['#/config/ratio/type: value must be one of "string", "integer", "boolean", "array", "object"'],
        schema: true,
    },
    {
        name: "Pulumi.yaml: items without a type",
        project: { ...PUBLIC_URL, scopes: { type: "array", items: {}, default: [] } },
        stackYaml: stack(),
        refusals: ["#/config/scopes/items: missing properties: 'type'", "#/config/scopes/items: missing properties: 'items'"],
        schema: true,
    },
    {
        name: "Pulumi.yaml: a shorthand default that is a fraction",
        project: { ...PUBLIC_URL, ratio: 0.5 },
        stackYaml: stack(),
        refusals: ["#/config/ratio: oneOf failed"],
        schema: true,
    },
    {
        name: "Pulumi.yaml: a default of the wrong type",
        project: { ...PUBLIC_URL, days: { type: "integer", default: "thirty" } },
        stackYaml: stack(),
        refusals: ["The default value specified for configuration key 'days' is not of the expected type 'integer'"],
    },
    {
        name: "Pulumi.yaml: an array without items",
        project: { ...PUBLIC_URL, scopes: { type: "array", default: [] } },
        stackYaml: stack(),
        refusals: ["The configuration key 'scopes' declares an array but does not specify the underlying type via the 'items' attribute"],
    },
    {
        name: "Pulumi.yaml: both a default and a value",
        project: { ...PUBLIC_URL, days: { type: "integer", default: 1, value: 2 } },
        stackYaml: stack(),
        refusals: ["project config 'days' cannot have both a 'default' and 'value' attribute"],
    },
    {
        name: "Pulumi.yaml: another namespace's key with a type",
        project: { ...PUBLIC_URL, "aws:region": { type: "string", value: "us-east-1" } },
        stackYaml: stack(),
        refusals: ["Configuration key 'aws:region' is not namespaced by the project and should not define a type"],
    },
    {
        name: "Pulumi.yaml: another namespace's key with a default",
        project: { ...PUBLIC_URL, "aws:region": { default: "us-east-1" } },
        stackYaml: stack(),
        refusals: [
            "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. " +
                "Did you mean to use the 'value' attribute instead of 'default'?",
        ],
    },
    {
        name: "Pulumi.yaml: another namespace's key without a value",
        project: { ...PUBLIC_URL, "aws:region": { description: "the region" } },
        stackYaml: stack(),
        refusals: ["Configuration key 'aws:region' is namespaced and must provide an attribute 'value'"],
    },
];
