// Kubernetes' name rules as kong-cognito applies them (apimachinery IsDNS1123Label, IsDNS1035Label,
// IsDNS1123Subdomain; an Ingress host), each on both sides of its length and at each end of a name.
import { expect } from "chai";
import {
    checkHostname,
    checkKubernetesName,
    checkKubernetesObjectName,
    checkServiceName,
    KONG_COGNITO_LABELS,
} from "../components/kubernetes";
import { issuesOf } from "./harness";

const label = (name: string, max?: number) => issuesOf((i) => checkKubernetesName(i, "name", name, max));
const service = (name: string, max?: number) => issuesOf((i) => checkServiceName(i, "upstreamService.name", name, max));
const objectName = (name: string) => issuesOf((i) => checkKubernetesObjectName(i, "tlsSecretName", name));
const host = (name: string) => issuesOf((i) => checkHostname(i, "host", name));

describe("Kubernetes names", () => {
    describe("DNS-1123 label", () => {
        it("takes 1 and 63 characters, digits first or last, and inner hyphens", () => {
            expect(["a", "a".repeat(63), "0a", "a0", "a-b", "a--b"].flatMap((name) => label(name))).to.deep.equal([]);
        });
        it("refuses 64 characters, an empty name, upper case, other characters and a hyphen at either end", () => {
            for (const name of ["a".repeat(64), "", "A", "a_b", "a.b", "-a", "a-", "ab\n"]) {
                expect(label(name), JSON.stringify(name)).to.deep.equal([
                    {
                        propertyPath: "name",
                        value: name,
                        rule: "must be a DNS-1123 label: lowercase letters, digits and inner hyphens, at most 63 characters",
                    },
                ]);
            }
        });
        it("takes a shorter limit where a name gets a suffix, and names it", () => {
            expect(label("a".repeat(40), 40)).to.deep.equal([]);
            expect(label("a".repeat(41), 40)[0].rule).to.equal(
                "must be a DNS-1123 label: lowercase letters, digits and inner hyphens, at most 40 characters",
            );
        });
    });

    describe("DNS-1035 label (a Service name)", () => {
        it("takes 1 and 63 characters starting with a letter", () => {
            expect(["a", "a".repeat(63), "a0", "a-b"].flatMap((name) => service(name))).to.deep.equal([]);
        });
        it("refuses a digit first, 64 characters, an empty name and a hyphen at either end", () => {
            for (const name of ["0a", "a".repeat(64), "", "-a", "a-", "A"]) {
                expect(service(name), JSON.stringify(name)).to.deep.equal([
                    {
                        propertyPath: "upstreamService.name",
                        value: name,
                        rule: "must be a DNS-1035 label (a Service name): a lowercase letter first, then lowercase letters, digits and inner hyphens, at most 63 characters",
                    },
                ]);
            }
        });
        it("takes a shorter limit and names it", () => {
            expect(service("a".repeat(30), 30)).to.deep.equal([]);
            expect(service("a".repeat(31), 30)[0].rule).to.contain("at most 30 characters");
        });
    });

    describe("DNS-1123 subdomain (a Secret's name)", () => {
        it("takes labels joined by dots, up to 253 characters", () => {
            const long = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
            expect(long).to.have.lengthOf(253);
            expect(["a", "kong-tls", "kong.example.com", "0.a-b.c", long].flatMap(objectName)).to.deep.equal([]);
        });
        it("refuses 254 characters, an empty name, empty labels, upper case and hyphens at a label's end", () => {
            const long = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`;
            for (const name of [long, "", ".a", "a.", "a..b", "Kong", "a-.b", "a.-b", "a_b"]) {
                expect(objectName(name), JSON.stringify(name)).to.deep.equal([
                    {
                        propertyPath: "tlsSecretName",
                        value: name,
                        rule: "must be a DNS-1123 subdomain: lowercase letters, digits, inner hyphens and dots, at most 253 characters",
                    },
                ]);
            }
        });
    });

    describe("an Ingress host", () => {
        it("takes a lowercase DNS name, a leading wildcard, and labels of 1 and 63 characters", () => {
            expect(
                [
                    "localhost",
                    "api.example.com",
                    "*.example.com",
                    `${"a".repeat(63)}.example.com`,
                    "a-b.c0",
                    "a.example.com",
                    "api.example.x",
                ].flatMap(host),
            ).to.deep.equal([]);
        });
        it("refuses a label of 64 characters, a name over 253, an inner wildcard, upper case and hyphens at a label's end", () => {
            const tooLong = Array.from({ length: 4 }, () => "a".repeat(63)).join(".");
            expect(tooLong).to.have.lengthOf(255);
            for (const name of [
                `${"a".repeat(64)}.example.com`,
                tooLong,
                "",
                "api.*.com",
                "*",
                "API.example.com",
                "-a.com",
                "a-.com",
                "a..com",
                "*.",
                "api.example.com.",
            ]) {
                expect(host(name), JSON.stringify(name)).to.deep.equal([
                    { propertyPath: "host", value: name, rule: "must be a lowercase DNS name such as api.example.com" },
                ]);
            }
        });
    });

    it("labels every object as managed by Pulumi and part of kong-cognito", () => {
        expect(KONG_COGNITO_LABELS).to.deep.equal({
            "app.kubernetes.io/managed-by": "pulumi",
            "app.kubernetes.io/part-of": "kong-cognito",
        });
    });
});
