// The real Pulumi CLI on the cases of test/cliConfigCases.ts and on the project's own Pulumi.yaml with
// every stack file and fixture: what it refuses is what tools/shared/cliConfig.ts says it refuses.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_DIR, stackNames } from "../../tools/shared/stackFiles";
import { CLI_CONFIG_CASES } from "../cliConfigCases";
import { ScratchProject } from "./cli";

/** What `pulumi preview` said of the config: its refusals, or none when it went on to run the program. */
function cliVerdict(project: ScratchProject): { refusals: string[]; output: string } {
    const result = project.pulumi("preview", "--stack", "dev");
    const output = `${result.stdout}\n${result.stderr}`;
    const validating = /error: validating stack config: (.*)/.exec(output);
    if (validating) {
        return { refusals: [validating[1].trim()], output };
    }
    const parseKey = /(could not parse \S+ as a configuration key .*)/.exec(output);
    if (parseKey) {
        return { refusals: [parseKey[1].trim()], output };
    }
    if (/could not validate '.*Pulumi\.yaml'/.test(output)) {
        return {
            refusals: output
                .split("\n")
                .filter((l) => l.startsWith("\t* "))
                .map((l) => l.slice(3).trim()),
            output,
        };
    }
    const unmarshal = /error: could not unmarshal '.*Pulumi\.yaml': (.*)/.exec(output);
    if (unmarshal) {
        return { refusals: [unmarshal[1].trim()], output };
    }
    return { refusals: [], output };
}

/**
 * A scratch project `kong-cognito` with the stack file (its encryptionsalt kept, else one made by
 * `pulumi stack init`), its stack dev created, then the case's Pulumi.yaml.
 */
function scratch(label: string, config: Record<string, unknown>, stackYaml: string): ScratchProject {
    const project = new ScratchProject(label);
    project.write("Pulumi.yaml", { name: "kong-cognito", runtime: "nodejs" });
    const salted = /^encryptionsalt: /m.test(stackYaml);
    if (salted) {
        project.write("Pulumi.dev.yaml", stackYaml);
    }
    const init = project.pulumi("stack", "init", "dev");
    expect(init.status, init.stderr).to.equal(0);
    if (!salted) {
        const salt = /^encryptionsalt: .*$/m.exec(readFileSync(path.join(project.dir, "Pulumi.dev.yaml"), "utf8"))![0];
        project.write("Pulumi.dev.yaml", `${stackYaml}\n${salt}\n`);
    }
    project.write("Pulumi.yaml", { name: "kong-cognito", runtime: "nodejs", main: "absent.js", config });
    return project;
}

describe("the real Pulumi CLI's config checks", function () {
    this.timeout(120_000);

    for (const c of CLI_CONFIG_CASES) {
        it(`${c.name}: as tools/shared/cliConfig.ts says`, () => {
            const { refusals, output } = cliVerdict(scratch("config-case", c.project, c.stackYaml));
            if (c.schema) {
                expect(refusals, output).to.include.members([...c.refusals]);
            } else {
                expect(refusals, output).to.deep.equal(c.refusals.slice(0, 1));
            }
        });
    }

    const project = parse(readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures", "seed");
    const files = [
        ...stackNames().map((stack) => path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`)),
        ...readdirSync(fixtures)
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => path.join(fixtures, f)),
    ];
    for (const file of files) {
        it(`accepts ${path.relative(PROJECT_DIR, file)} with the project's Pulumi.yaml`, () => {
            const stackYaml = readFileSync(file, "utf8");
            const { refusals, output } = cliVerdict(scratch("stack-file", project.config, stackYaml));
            expect(refusals, output).to.deep.equal([]);
            expect(output).to.match(/Previewing update/);
        });
    }
});
