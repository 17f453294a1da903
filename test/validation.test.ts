// The error machinery every rule reports through (components/validation.ts): how a value is
// printed, how issues are collected, merged and thrown, and how Inputs are checked when known.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    checkInputsWhenKnown,
    checkInputWhenKnown,
    isPlain,
    issuesOf,
    Issues,
    KongCognitoInputError,
    SECRET_VALUE,
} from "../components/validation";
import { valueOf } from "../testing";

const line = (value: unknown) => new KongCognitoInputError("s", [{ propertyPath: "p", value, rule: "r" }]).message.split("\n")[1];

/** A check that refuses every value but "ok". */
const onlyOk = (issues: Issues, path: string, value: string) => {
    if (value !== "ok") {
        issues.add(path, value, 'must be "ok"');
    }
};

describe("input errors", () => {
    it("is a RunError named KongCognitoInputError that keeps its issues", () => {
        const issues = [{ propertyPath: "p", value: 1, rule: "r" }];
        const error = new KongCognitoInputError("s", issues);
        expect(error).to.be.instanceOf(pulumi.RunError);
        expect(error.name).to.equal("KongCognitoInputError");
        expect(error.issues).to.equal(issues);
    });

    it("prints a missing value, an Output, a secret and a value JSON cannot print for what they are", () => {
        expect(line(undefined)).to.equal("  - p = (not set): r");
        expect(line(pulumi.output("x"))).to.equal("  - p = (an Output): r");
        expect(line(SECRET_VALUE)).to.equal("  - p = (secret, not shown): r");
        expect(line(Symbol("other"))).to.equal("  - p = Symbol(other): r");
        expect(line(null)).to.equal("  - p = null: r");
    });

    it("hides a password or secret inside an object, and shows an Output or a promise there for what it is", () => {
        expect(line({ host: "redis.kong.svc", password: "hunter2" })).to.equal(
            '  - p = {"host":"redis.kong.svc","password":"(secret, not shown)"}: r',
        );
        expect(line({ clientId: "web", clientSecret: "s3cr3t", tlsSecretName: "tls" })).to.equal(
            '  - p = {"clientId":"web","clientSecret":"(secret, not shown)","tlsSecretName":"tls"}: r',
        );
        expect(line({ host: "redis.kong.svc", password: pulumi.secret("hunter2"), port: Promise.resolve(6379) })).to.equal(
            '  - p = {"host":"redis.kong.svc","password":"(an Output)","port":"(an Output)"}: r',
        );
        expect(line(Promise.resolve(1))).to.equal("  - p = (an Output): r");
    });

    it("masks the credentials of every URL a value holds, and nothing else", () => {
        expect(line(["redis://user:pw@cache:6379", "HTTPS://a@b.example.com/x", "mail user@example.com"])).to.equal(
            '  - p = ["redis://***@cache:6379","HTTPS://***@b.example.com/x","mail user@example.com"]: r',
        );
    });
});

describe("Issues", () => {
    it("lists an issue once however often it is found, and the same rule for other values or paths each time", () => {
        const issues = new Issues("s");
        issues.add("p", ["a"], "r");
        issues.add("p", ["a"], "r");
        issues.add("p", ["b"], "r");
        issues.add("q", ["a"], "r");
        issues.add("p", ["a"], "other rule");
        expect(issues.all).to.deep.equal([
            { propertyPath: "p", value: ["a"], rule: "r" },
            { propertyPath: "p", value: ["b"], rule: "r" },
            { propertyPath: "q", value: ["a"], rule: "r" },
            { propertyPath: "p", value: ["a"], rule: "other rule" },
        ]);
    });

    it("throws nothing without issues, and every issue under its subject with them", () => {
        const issues = new Issues('CognitoIdp "idp"');
        issues.throwIfAny();
        issues.add("mfa", "SMS", "must be one of OFF, OPTIONAL, ON");
        expect(() => issues.throwIfAny()).to.throw(
            KongCognitoInputError,
            'CognitoIdp "idp": invalid input\n  - mfa = "SMS": must be one of OFF, OPTIONAL, ON',
        );
    });

    it("stops with what it found, or says that no rule was named", () => {
        const empty = new Issues("stack");
        expect(() => empty.stop()).to.throw(Error, "stack: stopped without naming a broken rule");
        expect(() => empty.stop()).to.not.throw(KongCognitoInputError);
        const found = new Issues("stack");
        found.add("p", 1, "r");
        expect(() => found.stop()).to.throw(KongCognitoInputError, "stack: invalid input\n  - p = 1: r");
    });

    it("collects another check's issues under renamed paths, keeps a passing check's value, and rethrows other errors", () => {
        const issues = new Issues("stack");
        expect(issues.collect(() => 42)).to.equal(42);
        const failing = () => {
            throw new KongCognitoInputError("idp", [{ propertyPath: "mfa", value: "SMS", rule: "r" }]);
        };
        expect(issues.collect(failing, (p) => `kong-cognito:idp.${p}`)).to.equal(undefined);
        issues.collect(failing);
        expect(issues.all).to.deep.equal([
            { propertyPath: "kong-cognito:idp.mfa", value: "SMS", rule: "r" },
            { propertyPath: "mfa", value: "SMS", rule: "r" },
        ]);
        const bug = new TypeError("a bug, not bad input");
        expect(() =>
            issues.collect(() => {
                throw bug;
            }),
        ).to.throw(bug);
    });

    it("hands a reporting caller the issues of one check, or none", () => {
        expect(issuesOf((i) => onlyOk(i, "p", "no"))).to.deep.equal([{ propertyPath: "p", value: "no", rule: 'must be "ok"' }]);
        expect(issuesOf((i) => onlyOk(i, "p", "ok"))).to.deep.equal([]);
    });
});

describe("Inputs checked when known", () => {
    it("knows plain values now, and neither Outputs nor Promises", () => {
        expect([isPlain("x"), isPlain(undefined), isPlain(pulumi.output("x")), isPlain(Promise.resolve("x"))]).to.deep.equal([
            true,
            true,
            false,
            false,
        ]);
    });

    it("checks a plain value now and hands it back unchanged", () => {
        const issues = new Issues("s");
        expect(checkInputWhenKnown(issues, "p", "no", onlyOk)).to.equal("no");
        expect(issues.all).to.deep.equal([{ propertyPath: "p", value: "no", rule: 'must be "ok"' }]);
    });

    it("checks an Output once it resolves: its value passes through, or the deployment fails with the same message", async () => {
        const issues = new Issues("route");
        expect(await valueOf(checkInputWhenKnown(issues, "p", pulumi.output("ok"), onlyOk))).to.equal("ok");
        const failed = await valueOf(checkInputWhenKnown(issues, "p", Promise.resolve("no"), onlyOk)).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(failed).to.be.instanceOf(KongCognitoInputError);
        expect(failed?.message).to.equal('route: invalid input\n  - p = "no": must be "ok"');
        expect(issues.all).to.deep.equal([]);
    });

    it("names each element of a list by its index", () => {
        const issues = new Issues("s");
        expect(checkInputsWhenKnown(issues, "urls", ["ok", "no", "bad"], onlyOk)).to.deep.equal(["ok", "no", "bad"]);
        expect(issues.all.map((i) => i.propertyPath)).to.deep.equal(["urls[1]", "urls[2]"]);
    });
});
