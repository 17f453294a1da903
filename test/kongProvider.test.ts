// The typed binding of the kong provider: every output a class declares resolves even when its
// input is unset, secrets stay secret in inputs and state, and each resource pins the provider.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    KONG_PROVIDER_VERSION,
    KongConsumer,
    KongConsumerAcl,
    KongConsumerJwtAuth,
    KongPlugin,
    KongProvider,
    KongRoute,
    KongService,
} from "../components";
import { isSecretValue } from "../tools/shared/mockRuntime";
import { KONG, plainInputs, record, the } from "./harness";

/** The outputs a binding declares that are plain Outputs, whatever the inputs held. */
function outputsOf(resource: object, names: readonly string[]): string[] {
    return names.filter((name) => pulumi.Output.isInstance((resource as Record<string, unknown>)[name]));
}

describe("the kong provider binding", () => {
    it("resolves every output property a resource declares, also those whose input is unset", async () => {
        const { result } = await record(() => ({
            service: new KongService("bare-service", { protocol: "http" }),
            route: new KongRoute("bare-route", { protocols: ["https"], serviceId: "service-1" }),
            plugin: new KongPlugin("bare-plugin", { name: "jwt" }),
            consumer: new KongConsumer("bare-consumer", { customId: "pool" }),
            jwtAuth: new KongConsumerJwtAuth("bare-jwt", { consumerId: "consumer-1", rsaPublicKey: "PEM" }),
            acl: new KongConsumerAcl("bare-acl", { consumerId: "consumer-1", group: "pool" }),
        }));
        const declared: [object, string[]][] = [
            [result.service, ["name", "protocol", "host", "port", "path"]],
            [result.route, ["name", "paths"]],
            [result.plugin, ["name", "computedConfig"]],
            [result.consumer, ["username"]],
            [result.jwtAuth, ["key"]],
            [result.acl, ["group"]],
        ];
        for (const [resource, names] of declared) {
            expect(outputsOf(resource, names)).to.deep.equal(names);
        }
    });

    it("keeps a jwt credential's secret secret in its inputs and its state, and sends none when unset", async () => {
        const { registrations } = await record(() => [
            new KongConsumerJwtAuth("with-secret", { consumerId: "c", rsaPublicKey: "PEM", secret: "s3cret" }),
            new KongConsumerJwtAuth("without-secret", { consumerId: "c", rsaPublicKey: "PEM" }),
        ]);
        const withSecret = the(registrations, KONG.jwtAuth, "with-secret");
        expect(isSecretValue(withSecret.inputs.secret)).to.equal(true);
        expect(withSecret.additionalSecretOutputs).to.deep.equal(["secret"]);
        expect(withSecret.version).to.equal(KONG_PROVIDER_VERSION);
        const withoutSecret = the(registrations, KONG.jwtAuth, "without-secret");
        expect(withoutSecret.inputs).to.not.have.property("secret");
    });

    it("keeps every credential of the provider secret, sends the unset ones as nothing and turns strict matching off", async () => {
        const credentials = {
            kongAdminUri: "https://kong-admin.internal:8444",
            kongAdminToken: "token",
            kongApiKey: "api-key",
            kongAdminUsername: "admin",
            kongAdminPassword: "password",
            kongWorkspace: "team",
        };
        const { registrations } = await record(() => [
            new KongProvider("full", credentials),
            new KongProvider("bare", { kongAdminUri: "https://kong-admin.internal:8444", strictPluginsMatch: true }),
        ]);
        const full = the(registrations, KONG.provider, "full");
        for (const key of ["kongAdminToken", "kongApiKey", "kongAdminPassword"]) {
            expect(isSecretValue(full.inputs[key]), key).to.equal(true);
        }
        expect(plainInputs(full)).to.deep.include({ ...credentials, strictPluginsMatch: false });
        expect(full.version).to.equal(KONG_PROVIDER_VERSION);
        const bare = the(registrations, KONG.provider, "bare");
        for (const key of ["kongAdminToken", "kongApiKey", "kongAdminPassword"]) {
            expect(bare.inputs, key).to.not.have.property(key);
        }
        expect(plainInputs(bare).strictPluginsMatch).to.equal(true);
    });
});
