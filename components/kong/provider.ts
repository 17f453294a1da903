// A typed binding of the `kong` Pulumi provider (pulumi/pulumi-kong) for the resources
// kong-cognito drives through Kong's Admin API, plus its provider resource. It exists because
// @pulumi/kong is not always installable; it follows that package's schema (type tokens and input
// names) at KONG_PROVIDER_VERSION, and pins that version so `pulumi up` installs the plugin.
// A `kong.Provider` from @pulumi/kong, passed through `provider`/`providers`, works the same.
import * as pulumi from "@pulumi/pulumi";

/** The pulumi-kong provider version these bindings follow. */
export const KONG_PROVIDER_VERSION = "4.6.1";

/**
 * The args plus every output property the class declares: the SDK resolves an output property
 * only for keys present in the inputs (generated SDKs list them all the same way).
 */
function withOutputs(args: object, outputs: readonly string[]): pulumi.Inputs {
    return { ...Object.fromEntries(outputs.map((key) => [key, undefined])), ...args };
}

function withVersion<T extends pulumi.CustomResourceOptions>(opts: T | undefined): T {
    return pulumi.mergeOptions({ version: KONG_PROVIDER_VERSION }, opts) as T;
}

/** Inputs of `kong:index/service:Service`. The provider has no `url`: split it (parseUpstreamUrl). */
export interface KongServiceArgs {
    readonly protocol: pulumi.Input<string>;
    readonly name?: pulumi.Input<string>;
    readonly host?: pulumi.Input<string>;
    readonly port?: pulumi.Input<number>;
    readonly path?: pulumi.Input<string>;
    readonly retries?: pulumi.Input<number>;
    readonly connectTimeout?: pulumi.Input<number>;
    readonly readTimeout?: pulumi.Input<number>;
    readonly writeTimeout?: pulumi.Input<number>;
    readonly tlsVerify?: pulumi.Input<boolean>;
    readonly tlsVerifyDepth?: pulumi.Input<number>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongService extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/service:Service";
    declare readonly name: pulumi.Output<string>;
    declare readonly protocol: pulumi.Output<string>;
    declare readonly host: pulumi.Output<string | undefined>;
    declare readonly port: pulumi.Output<number | undefined>;
    declare readonly path: pulumi.Output<string | undefined>;

    constructor(name: string, args: KongServiceArgs, opts?: pulumi.CustomResourceOptions) {
        super(KongService.__pulumiType, name, withOutputs(args, ["name", "protocol", "host", "port", "path"]), withVersion(opts));
    }
}

/** Inputs of `kong:index/route:Route` that kong-cognito sets. */
export interface KongRouteArgs {
    readonly protocols: pulumi.Input<pulumi.Input<string>[]>;
    readonly serviceId: pulumi.Input<string>;
    readonly name?: pulumi.Input<string>;
    readonly paths?: pulumi.Input<pulumi.Input<string>[]>;
    readonly hosts?: pulumi.Input<pulumi.Input<string>[]>;
    readonly methods?: pulumi.Input<pulumi.Input<string>[]>;
    readonly stripPath?: pulumi.Input<boolean>;
    readonly preserveHost?: pulumi.Input<boolean>;
    readonly httpsRedirectStatusCode?: pulumi.Input<number>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongRoute extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/route:Route";
    declare readonly name: pulumi.Output<string>;
    declare readonly paths: pulumi.Output<string[] | undefined>;

    constructor(name: string, args: KongRouteArgs, opts?: pulumi.CustomResourceOptions) {
        super(KongRoute.__pulumiType, name, withOutputs(args, ["name", "paths"]), withVersion(opts));
    }
}

/** Inputs of `kong:index/plugin:Plugin`. Always set `name` (the plugin type) and `strictMatch`. */
export interface KongPluginArgs {
    readonly name: pulumi.Input<string>;
    /** The plugin config as JSON; make it a secret when it holds one. */
    readonly configJson?: pulumi.Input<string>;
    readonly serviceId?: pulumi.Input<string>;
    readonly routeId?: pulumi.Input<string>;
    readonly consumerId?: pulumi.Input<string>;
    readonly enabled?: pulumi.Input<boolean>;
    /**
     * true: the provider reads Kong's whole config, defaults filled in, back into configJson, so a
     * partial config shows a change on every update. false (or unset) falls back to the provider's
     * `strictPluginsMatch` (terraform-provider-kong reads a false bool as unset).
     */
    readonly strictMatch?: pulumi.Input<boolean>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongPlugin extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/plugin:Plugin";
    declare readonly name: pulumi.Output<string>;
    declare readonly computedConfig: pulumi.Output<string>;

    constructor(name: string, args: KongPluginArgs, opts?: pulumi.CustomResourceOptions) {
        super(KongPlugin.__pulumiType, name, withOutputs(args, ["name", "computedConfig"]), withVersion(opts));
    }
}

/** Inputs of `kong:index/consumer:Consumer`: set username or customId. */
export interface KongConsumerArgs {
    readonly username?: pulumi.Input<string>;
    readonly customId?: pulumi.Input<string>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongConsumer extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/consumer:Consumer";
    declare readonly username: pulumi.Output<string | undefined>;

    constructor(name: string, args: KongConsumerArgs, opts?: pulumi.CustomResourceOptions) {
        super(KongConsumer.__pulumiType, name, withOutputs(args, ["username"]), withVersion(opts));
    }
}

/** Inputs of `kong:index/consumerJwtAuth:ConsumerJwtAuth` (Kong's `jwt_secrets`: `key` is unique across Kong). */
export interface KongConsumerJwtAuthArgs {
    readonly consumerId: pulumi.Input<string>;
    /** Required by the provider; for RS256 the public key as PEM. */
    readonly rsaPublicKey: pulumi.Input<string>;
    /** Kong's default is HS256. */
    readonly algorithm?: pulumi.Input<string>;
    /** What the jwt plugin looks the credential up by (the value of its `key_claim_name`). */
    readonly key?: pulumi.Input<string>;
    /**
     * Always set it: the provider sends an unset secret as "" (go-kong's pointer to an empty
     * string), which Kong refuses (strings need at least one character). Unused by RS256; a secret.
     */
    readonly secret?: pulumi.Input<string>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongConsumerJwtAuth extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/consumerJwtAuth:ConsumerJwtAuth";
    declare readonly key: pulumi.Output<string>;

    constructor(name: string, args: KongConsumerJwtAuthArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            KongConsumerJwtAuth.__pulumiType,
            name,
            withOutputs({ ...args, secret: args.secret === undefined ? undefined : pulumi.secret(args.secret) }, ["key"]),
            withVersion(pulumi.mergeOptions({ additionalSecretOutputs: ["secret"] }, opts)),
        );
    }
}

/** Inputs of `kong:index/consumerAcl:ConsumerAcl`: the consumer's membership of an ACL group. */
export interface KongConsumerAclArgs {
    readonly consumerId: pulumi.Input<string>;
    readonly group: pulumi.Input<string>;
    readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
}

export class KongConsumerAcl extends pulumi.CustomResource {
    static readonly __pulumiType = "kong:index/consumerAcl:ConsumerAcl";
    declare readonly group: pulumi.Output<string>;

    constructor(name: string, args: KongConsumerAclArgs, opts?: pulumi.CustomResourceOptions) {
        super(KongConsumerAcl.__pulumiType, name, withOutputs(args, ["group"]), withVersion(opts));
    }
}

/** Connection settings of the kong provider (`kong:kongAdminUri`, `kong:kongAdminToken`, ...). */
export interface KongProviderArgs {
    readonly kongAdminUri: pulumi.Input<string>;
    /** Kong Enterprise RBAC token; kept secret. */
    readonly kongAdminToken?: pulumi.Input<string>;
    readonly kongApiKey?: pulumi.Input<string>;
    readonly kongAdminUsername?: pulumi.Input<string>;
    readonly kongAdminPassword?: pulumi.Input<string>;
    readonly kongWorkspace?: pulumi.Input<string>;
    /** Compare every plugin's whole config, Kong's defaults included, on read. @default false */
    readonly strictPluginsMatch?: pulumi.Input<boolean>;
}

/** An explicit `kong` provider; every credential it is given stays a Pulumi secret. */
export class KongProvider extends pulumi.ProviderResource {
    constructor(name: string, args: KongProviderArgs, opts?: pulumi.ResourceOptions) {
        const secret = (value: pulumi.Input<string> | undefined) => (value === undefined ? undefined : pulumi.secret(value));
        super(
            "kong",
            name,
            {
                kongAdminUri: args.kongAdminUri,
                kongAdminToken: secret(args.kongAdminToken),
                kongApiKey: secret(args.kongApiKey),
                kongAdminUsername: args.kongAdminUsername,
                kongAdminPassword: secret(args.kongAdminPassword),
                kongWorkspace: args.kongWorkspace,
                strictPluginsMatch: args.strictPluginsMatch ?? false,
            },
            pulumi.mergeOptions({ version: KONG_PROVIDER_VERSION }, opts),
        );
    }
}
