#!/usr/bin/env bash
# The library as another project gets it: pack it, install the tarball into a scratch Pulumi
# project on Node.js 22 with the newest @pulumi/pulumi that Node allows, type-check the consumer
# program (examples/consumer) with two module resolutions, and run its mocha test.
# Needs the npm registry; run after `npm ci && npm test` (dist/ built).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== pack"
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$scratch" | tail -1)"
echo "$tarball"

echo "== Node.js 22"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -ge 22 ]; then
    node22="$(command -v node)"
else
    # The node-<platform>-<arch> packages ship Node.js's own binary.
    platform="$(node -p 'process.platform + "-" + process.arch')"
    npm install --silent --no-audit --no-fund --prefix "$scratch/node22" "node-$platform@22" >/dev/null
    node22="$scratch/node22/node_modules/node-$platform/bin/node"
fi
export PATH="$(dirname "$node22"):$PATH"
node --version

echo "== the newest @pulumi/pulumi 3.x that Node $(node --version) may run"
sdk="${CONSUMER_PULUMI_VERSION:-$(
    npm view '@pulumi/pulumi@^3.248.0' version engines --json | node -e '
        const semver = require(process.argv[1]);
        const raw = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const allowed = (Array.isArray(raw) ? raw : [raw])
            .filter((v) => semver.satisfies(process.versions.node, (v.engines && v.engines.node) || "*"))
            .map((v) => v.version)
            .sort(semver.compare);
        if (allowed.length === 0) { throw new Error("no @pulumi/pulumi ^3.248.0 allows this Node"); }
        console.log(allowed.pop());
    ' "$root/node_modules/semver"
)}"
echo "@pulumi/pulumi@$sdk"

echo "== scratch project"
project="$scratch/consumer"
mkdir -p "$project"
cp examples/consumer/index.ts examples/consumer/index.spec.ts "$project/"
cat >"$project/package.json" <<'JSON'
{ "name": "consumer", "version": "1.0.0", "private": true, "main": "bin/index.js" }
JSON
# Pulumi's TypeScript template (module commonjs, moduleResolution node).
cat >"$project/tsconfig.json" <<'JSON'
{
    "compilerOptions": {
        "strict": true,
        "outDir": "bin",
        "target": "es2020",
        "module": "commonjs",
        "moduleResolution": "node",
        "sourceMap": true,
        "noImplicitReturns": true,
        "forceConsistentCasingInFileNames": true,
        "types": ["node", "mocha"]
    },
    "files": ["index.ts", "index.spec.ts"]
}
JSON
cd "$project"
npm install --no-audit --no-fund --prefer-offline \
    "$scratch/$tarball" "@pulumi/pulumi@$sdk" "@pulumi/aws@^7" "@pulumi/kubernetes@^4" "@pulumi/random@^4" \
    "typescript@5" "@types/node@22" "mocha@11" "@types/mocha@10" "chai@4" "@types/chai@4"
npm ls --depth=0 @pulumi/pulumi kong-cognito
# One SDK: the library must use the consumer's copy, or instanceof ComponentResource breaks.
if [ -d node_modules/kong-cognito/node_modules/@pulumi ]; then
    echo "kong-cognito installed its own copy of a @pulumi package:" >&2
    ls node_modules/kong-cognito/node_modules/@pulumi >&2
    exit 1
fi

echo "== type-check (moduleResolution node, then node16)"
npx tsc -p .
npx tsc -p . --noEmit --module node16 --moduleResolution node16

echo "== the consumer's tests"
npx mocha --timeout 20000 bin/index.spec.js

echo "== the policy pack loads without TypeScript"
node -e '
    const { policies } = require("kong-cognito/policy");
    if (!Array.isArray(policies) || policies.length === 0) { throw new Error("kong-cognito/policy exports no policies"); }
    console.log(`${policies.length} policies from kong-cognito/policy`);
'
test -f node_modules/kong-cognito/dist/policy/PulumiPolicy.yaml
echo "consumer check passed on Node $(node --version) with @pulumi/pulumi@$sdk"
