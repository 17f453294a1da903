// The Pulumi CLI's config checks as tools/shared/cliConfig.ts emulates them (one case per part of the rule,
// test/cliConfigCases.ts), and every stack file and fixture of the project passing them.
import { expect } from "chai";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { cliConfigRefusals, validateConfigValue } from "../tools/shared/cliConfig";
import {
    cliConfigErrors,
    readProjectFile,
    readStackConfigFile,
    stackNames,
    StackFileRefusedError,
    unquotedNumberErrors,
} from "../tools/shared/stackFiles";
import { CLI_CONFIG_CASES } from "./cliConfigCases";

const FIXTURES = path.join(__dirname, "fixtures", "seed");

describe("the Pulumi CLI's config checks (emulated from its source)", () => {
    for (const c of CLI_CONFIG_CASES) {
        it(c.name, () => {
            const stackConfig = (parse(c.stackYaml) as { config: Record<string, unknown> }).config;
            expect(cliConfigRefusals("dev", "kong-cognito", c.project, stackConfig)).to.deep.equal(c.refusals);
        });
    }

    it("takes an integer as Go's strconv.Atoi does: a sign and decimal digits within 64 bits", () => {
        expect(["0", "-7", "+7", "012", "9223372036854775807"].map((v) => validateConfigValue("integer", undefined, v))).to.deep.equal([
            true,
            true,
            true,
            true,
            true,
        ]);
        expect(
            ["", " 1", "1e3", "0x10", "1_000", "9223372036854775808"].map((v) => validateConfigValue("integer", undefined, v)),
        ).to.deep.equal([false, false, false, false, false, false]);
    });

    it("reads Pulumi.yaml's shorthand as the CLI does: a default for the project's keys, a value for another namespace's", () => {
        const project = { greeting: "hello", "aws:region": "us-east-1", count: 3, names: ["a"] };
        expect(cliConfigRefusals("dev", "kong-cognito", project, {})).to.deep.equal([]);
        expect(cliConfigRefusals("dev", "kong-cognito", { ...project, typed: { type: "string" } }, {})).to.deep.equal([
            "Stack 'dev' is missing configuration value 'typed'",
        ]);
    });

    it("hands the program Pulumi.yaml's shorthand values and defaults, and stack keys without a namespace as the project's", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "kong-cognito-shorthand-"));
        writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: kong-cognito\nconfig:\n  greeting: hello\n  aws:region: us-west-2\n  count: 3\n",
        );
        writeFileSync(path.join(dir, "Pulumi.t.yaml"), "config:\n  count: 4\n");
        expect(readStackConfigFile("t", { dir })).to.deep.equal({
            "kong-cognito:greeting": "hello",
            "aws:region": "us-west-2",
            "kong-cognito:count": "4",
        });
    });
});

describe("the project's Pulumi.yaml and stack files, as the Pulumi CLI checks them", () => {
    for (const stack of stackNames()) {
        it(`Pulumi.${stack}.yaml passes`, () => {
            expect(cliConfigErrors(stack)).to.deep.equal([]);
        });
    }

    for (const file of readdirSync(FIXTURES).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
        const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
        it(`the fixture ${file} passes`, () => {
            expect(cliConfigErrors(stack, { stackFile: path.join(FIXTURES, file) })).to.deep.equal([]);
        });
    }

    it("a stack file the CLI refuses is refused by every command that reads one, with the CLI's message", () => {
        const file = path.join(FIXTURES, "..", "cli-refused", "Pulumi.nokeys.yaml");
        let thrown: unknown;
        try {
            readStackConfigFile("nokeys", { stackFile: file });
        } catch (error) {
            thrown = error;
        }
        expect(thrown).to.be.instanceOf(StackFileRefusedError);
        expect((thrown as StackFileRefusedError).refusals).to.deep.equal([
            "Stack 'nokeys' is missing configuration values 'domainPrefix', 'publicBaseUrl' and 'routes'",
        ]);
    });
});

describe("a stack file's string value that YAML read as a number", () => {
    it("is refused with the text to quote: kongVersion 3.10 would reach the program as 3.1", () => {
        const errors = unquotedNumberErrors(
            readProjectFile(),
            "config:\n  kong-cognito:kongVersion: 3.10\n  kong-cognito:userPoolName: 3.14\n",
        );
        expect(errors).to.deep.equal(['kong-cognito:kongVersion: YAML reads the unquoted 3.10 as the number 3.1; quote it: "3.10"']);
    });

    it("stops every command that reads the stack file", () => {
        const file = path.join(FIXTURES, "..", "cli-refused", "Pulumi.unquoted.yaml");
        expect(() => readStackConfigFile("unquoted", { stackFile: file })).to.throw(
            StackFileRefusedError,
            'kong-cognito refuses Pulumi.unquoted.yaml before the program runs:\n  kong-cognito:kongVersion: YAML reads the unquoted 3.10 as the number 3.1; quote it: "3.10"',
        );
    });

    it("is not a number key's value, nor a number written as YAML writes it back", () => {
        const text =
            'config:\n  kong-cognito:passwordMinimumLength: 12\n  kong-cognito:kongVersion: 3.14\n  kong-cognito:userPoolName: "3.10"\n';
        expect(unquotedNumberErrors(readProjectFile(), text)).to.deep.equal([]);
    });
});
