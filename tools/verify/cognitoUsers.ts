// Temporary users for verify's sign-in: created with Cognito's admin API (AWS SDK v3) with a
// permanent random password and no invitation e-mail, deleted at the end of the run.
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "node:crypto";

export interface TemporaryUser {
    readonly username: string;
    /** Secret: never printed. */
    readonly password: string;
}

/** Creates and deletes sign-in users; verify's only way to reach a user pool. */
export interface TemporaryUsers {
    /** Where the users are made, for messages. */
    readonly description: string;
    create(): Promise<TemporaryUser>;
    delete(username: string): Promise<void>;
    /** Releases connections. */
    close(): void;
}

export interface CognitoUsersOptions {
    readonly userPoolId: string;
    readonly region: string;
    /** A profile of the shared AWS config files. @default the SDK's credential chain */
    readonly profile?: string;
    /** Tests only: another endpoint and fixed credentials. `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` also works. */
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The pool's region, from its issuer (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
export function regionOfIssuer(issuerUrl: string): string | undefined {
    return /^https:\/\/cognito-idp\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(issuerUrl)?.[1];
}

/** A password any pool policy takes: 100 characters (a policy asks for at most 99), every character class. */
export function temporaryPassword(): string {
    return `Kc1!${randomBytes(72).toString("base64url")}`;
}

/** The error as one line, the SDK's error name first (AccessDeniedException, CredentialsProviderError, ...). */
export function awsErrorLine(error: unknown): string {
    const e = error as { name?: string; message?: string };
    return `${e.name ?? "Error"}: ${(e.message ?? String(error)).split("\n")[0]}`;
}

export class CognitoUsers implements TemporaryUsers {
    private readonly client: CognitoIdentityProviderClient;
    readonly description: string;

    constructor(private readonly options: CognitoUsersOptions) {
        this.client = new CognitoIdentityProviderClient({
            region: options.region,
            ...(options.profile ? { profile: options.profile } : {}),
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
            ...(options.credentials ? { credentials: options.credentials } : {}),
            maxAttempts: 3,
            requestHandler: { connectionTimeout: 5000, requestTimeout: 10000 },
        });
        this.description = `user pool ${options.userPoolId} (${options.region})`;
    }

    async create(): Promise<TemporaryUser> {
        // The pools sign in by e-mail address: the user name is one. No message is sent (SUPPRESS).
        const username = `kong-cognito-verify-${randomBytes(6).toString("hex")}@example.com`;
        const password = temporaryPassword();
        await this.client.send(
            new AdminCreateUserCommand({
                UserPoolId: this.options.userPoolId,
                Username: username,
                MessageAction: "SUPPRESS",
                TemporaryPassword: temporaryPassword(),
                UserAttributes: [
                    { Name: "email", Value: username },
                    { Name: "email_verified", Value: "true" },
                    { Name: "given_name", Value: "Verify" },
                    { Name: "family_name", Value: "Kong-Cognito" },
                ],
            }),
        );
        try {
            // A permanent password: the hosted UI then signs the user in without asking for a new one.
            await this.client.send(
                new AdminSetUserPasswordCommand({
                    UserPoolId: this.options.userPoolId,
                    Username: username,
                    Password: password,
                    Permanent: true,
                }),
            );
        } catch (error) {
            await this.delete(username).catch(() => undefined);
            throw error;
        }
        return { username, password };
    }

    async delete(username: string): Promise<void> {
        await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: username }));
    }

    close(): void {
        this.client.destroy();
    }
}
