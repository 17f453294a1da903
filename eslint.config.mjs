// Lint: typescript-eslint's type-aware recommended rules and the Pulumi plugin, which catches
// Outputs inside template strings (they print as "Calling [toString] on an Output").
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", ".engine/", "reports/", ".stryker-tmp/", "eslint.config.mjs", ".dependency-cruiser.cjs"] },
    ...tseslint.configs.recommended,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        // Tests read untyped provider inputs and load the program module on purpose.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
    },
);
