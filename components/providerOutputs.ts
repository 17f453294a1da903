// The provider outputs the components read to build other values. A real deployment always
// returns them; Pulumi's mocks return only what a test's `newResource` gives, and an error inside
// a resource's inputs is swallowed under mocks, so a missing one would leave a test waiting forever.
// Each read goes through `requiredOutput`, which names what is missing instead.
import * as pulumi from "@pulumi/pulumi";

/** A provider output a component reads. `kong-cognito/testing`'s mocks return every one. */
export interface ProviderOutput {
    /** The resource type token. */
    readonly type: string;
    readonly property: string;
    /** What the components build from it. */
    readonly readBy: string;
}

export const PROVIDER_OUTPUTS: readonly ProviderOutput[] = [
    {
        type: "aws:cognito/userPool:UserPool",
        property: "arn",
        readBy: "CognitoIdp: the region in issuerUrl, discoveryUrl and the hosted-UI endpoints",
    },
    {
        type: "aws:cognito/userPoolClient:UserPoolClient",
        property: "clientSecret",
        readBy: "CognitoIdp: webClientSecret, machineClientSecret; KongOidcRoute: the browser route's plugin config",
    },
    {
        type: "aws:cognito/resourceServer:ResourceServer",
        property: "scopeIdentifiers",
        readBy: "CognitoIdp: machineScopes, the machine client's scopes and the api routes' required scopes",
    },
    {
        type: "random:index/randomBytes:RandomBytes",
        property: "base64",
        readBy: "KongOidcRoute: the browser route's session secret",
    },
    {
        type: "random:index/randomBytes:RandomBytes",
        property: "hex",
        readBy: "KongJwtConsumer (admin target): the jwt credentials' secret, which Kong requires and RS256 does not use",
    },
    {
        type: "pulumi-nodejs:dynamic:CognitoJwks",
        property: "keys",
        readBy: "KongJwtConsumer: one jwt credential per signing key (kid, PEM)",
    },
];

/** Thrown (and logged) when a provider output the components read resolved to nothing. */
export class MissingProviderOutputError extends Error {
    constructor(
        readonly type: string,
        readonly resourceName: string,
        readonly property: string,
    ) {
        super(
            `${type} "${resourceName}" returned no ${property}. Every deployment sets it, so this is a mock that leaves it out: ` +
                `use kong-cognito/testing's kongCognitoMocks(), or return ${property} from your mocks' newResource for ${type}.`,
        );
        this.name = "MissingProviderOutputError";
    }
}

/**
 * `output` (the `property` output of resource `resourceName`), failing with an error that names it
 * when it resolves to undefined; the error is also logged, since Pulumi's mocks drop errors in
 * resource inputs. Unknown values (previews) pass through as unknown.
 */
export function requiredOutput<T>(
    type: string,
    resourceName: string,
    property: string,
    output: pulumi.Output<T | undefined>,
): pulumi.Output<T> {
    return output.apply((value) => {
        if (value === undefined || value === null) {
            const error = new MissingProviderOutputError(type, resourceName, property);
            void pulumi.log.error(error.message);
            throw error;
        }
        return value;
    });
}
