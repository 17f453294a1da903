// The consumer program's unit test, as a project using kong-cognito writes it: kong-cognito's
// mocks answer for Cognito, the project's own answer for its DNS record.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { setKongCognitoMocks, valueOf } from "kong-cognito/testing";

describe("the orders gateway", function () {
    this.timeout(20000);
    let program: typeof import("./index");

    before(async () => {
        await setKongCognitoMocks({
            fallback: {
                newResource: (args) => ({
                    id: `${args.name}-id`,
                    state:
                        args.type === "aws:route53/record:Record"
                            ? { ...args.inputs, fqdn: `${args.inputs.name}.example.com` }
                            : args.inputs,
                }),
            },
        });
        // The program registers its resources when loaded, so it is loaded after the mocks are set.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        program = require("./index");
    });

    it("serves both routes at the record's name", async () => {
        expect(await valueOf(program.apiUrl)).to.equal("https://api.example.com/orders/api");
        expect(await valueOf(program.appUrl)).to.equal("https://api.example.com/orders/app");
    });

    it("trusts the pool's issuer and hosted domain", async () => {
        expect(await valueOf(program.issuer)).to.match(/^https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_\w+$/);
        expect(await valueOf(program.tokenEndpoint)).to.equal("https://orders-login.auth.us-east-1.amazoncognito.com/oauth2/token");
    });

    it("keeps the machine client's secret a secret", async () => {
        const secret = program.machineClientSecret as pulumi.Output<string>;
        expect(await pulumi.isSecret(secret)).to.equal(true);
        expect(await valueOf(secret))
            .to.be.a("string")
            .and.not.equal("");
    });
});
