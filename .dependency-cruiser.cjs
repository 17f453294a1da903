// Arrows point one way (`npm run check:layers`, part of `npm test`). No import circle anywhere, and
// each floor imports only the floors below it:
//   components  ->  stacks, policy, testing  ->  index.ts  ->  tools  ->  test, examples
// Inside components/: validation, kubernetes, oidc, ... at the bottom; cognito/ and kong/ apart
// above them; index.ts on top. Inside components/kong/, bottom to top: model/ (the models, Kong's
// rules, the emitter contract; with jwks.ts and provider.ts, bindings that import nothing of
// kong) -> emitters/ (one per target, what the KIC targets share in kic.ts) -> targets.ts (the
// table of emitters) -> the components. Inside tools/: shared/ below the commands, which import
// only it and themselves (deploy also runs verify). Type-only imports count.
const KONG_BINDINGS = "^components/kong/(jwks|provider)[.]ts$";

/** A rule that forbids imports from `from` to `to` (regular expressions on paths from the root). */
function forbid(name, comment, from, to) {
    return { name, comment, severity: "error", from, to };
}

module.exports = {
    forbidden: [
        forbid("no-circular", "an import circle: no file of it can be read or changed alone", {}, { circular: true }),
        forbid(
            "components-at-the-bottom",
            "the library imports nothing of the program, the tools or the tests",
            { path: "^components/" },
            { path: "^(stacks|policy|testing|tools|test|examples)/|^index[.]ts$" },
        ),
        forbid(
            "stacks-policy-testing-apart",
            "stacks, policy and testing stand side by side on the library and import nothing above it",
            { path: "^(stacks|policy|testing)/" },
            { path: "^(stacks|policy|testing|tools|test|examples)/|^index[.]ts$", pathNot: "^$1/" },
        ),
        forbid("program-below-tools", "the program imports no tool or test", { path: "^index[.]ts$" }, { path: "^(tools|test|examples)/" }),
        forbid("tools-below-tests", "the tools import no test or example", { path: "^tools/" }, { path: "^(test|examples)/" }),
        forbid(
            "tools-shared-at-the-bottom",
            "tools/shared/ imports no command",
            { path: "^tools/shared/" },
            { path: "^tools/(?!shared/)" },
        ),
        forbid(
            "tools-commands-apart",
            "a command imports tools/shared/ and its own folder only",
            { path: "^tools/([^/]+)/", pathNot: "^tools/(shared|deploy)/" },
            { path: "^tools/", pathNot: "^tools/($1|shared)/" },
        ),
        forbid(
            "deploy-runs-verify",
            "deploy imports tools/shared/, verify (it runs it) and itself only",
            { path: "^tools/deploy/" },
            { path: "^tools/", pathNot: "^tools/(deploy|verify|shared)/" },
        ),
        forbid(
            "components-shared-at-the-bottom",
            "validation, kubernetes, oidc, ... import neither side nor the entry point",
            { path: "^components/[^/]+[.]ts$", pathNot: "^components/index[.]ts$" },
            { path: "^components/(cognito/|kong/|index[.]ts$)" },
        ),
        forbid(
            "cognito-apart-from-kong",
            "the Cognito side imports nothing of the Kong side",
            { path: "^components/cognito/" },
            { path: "^components/kong/" },
        ),
        forbid(
            "kong-apart-from-cognito",
            "the Kong side imports nothing of the Cognito side",
            { path: "^components/kong/" },
            { path: "^components/cognito/" },
        ),
        forbid(
            "cognito-rules-below-the-component",
            "Cognito's rules import no component",
            { path: "^components/cognito/rules[.]ts$" },
            { path: "^components/cognito/(?!rules[.]ts$)" },
        ),
        forbid(
            "kong-model-at-the-bottom",
            "the models, Kong's rules and the emitter contract import no emitter, table or component",
            { path: "^components/kong/model/" },
            { path: "^components/kong/", pathNot: ["^components/kong/model/", KONG_BINDINGS] },
        ),
        forbid(
            "kong-bindings-are-leaves",
            "jwks.ts and provider.ts import nothing of kong",
            { path: KONG_BINDINGS },
            { path: "^components/kong/" },
        ),
        forbid(
            "kong-emitters-below-the-table",
            "an emitter imports the model, the bindings and kic.ts, never the table or a component",
            { path: "^components/kong/emitters/" },
            { path: "^components/kong/", pathNot: ["^components/kong/(model|emitters)/", KONG_BINDINGS] },
        ),
        forbid(
            "kong-emitters-apart",
            "a variant is a file: an emitter imports no other emitter, only what the KIC targets share",
            { path: "^components/kong/emitters/" },
            { path: "^components/kong/emitters/", pathNot: "^components/kong/emitters/kic[.]ts$" },
        ),
        forbid(
            "kong-table-below-the-components",
            "the table of emitters imports no component",
            { path: "^components/kong/targets[.]ts$" },
            { path: "^components/kong/[^/]+[.]ts$", pathNot: KONG_BINDINGS },
        ),
    ],
    options: {
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(node_modules|dist|[.]engine)/" },
    },
};
