// What a YAML or Python program of the package (examples/package) uses, read as the package schema
// sees it: each resource's type, every property by name with a value of its type, and every
// `${resource.output}` or `resource.output`; and checkProgram, which holds that against the schema
// (required properties present, outputs of that resource with the type the property takes).
// Python is read with Python's own parser (ast); YAML with the yaml package.
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import { PackageSchema, SchemaProperty } from "./packageSchema";

const PACKAGE = "kong-cognito";

/** A value in a program, as far as its type goes. */
type Value =
    | { kind: "string"; literal?: string }
    | { kind: "number" | "bool" }
    | { kind: "list"; items: Value[] }
    | { kind: "map"; entries: Record<string, Value> }
    /** Python: an input type's constructor, e.g. kong_cognito.OidcProviderArgs(...). */
    | { kind: "args"; type: string; entries: Record<string, Value> }
    | { kind: "enum"; type: string; member: string }
    /** Another resource's output. */
    | { kind: "output"; resource: string; property: string }
    | { kind: "other"; text: string };

interface ProgramResource {
    readonly variable: string;
    readonly type: string;
    readonly properties: Record<string, Value>;
}

/** Checks a program's resources against the schema; returns one line per problem. */
export function checkProgram(schema: PackageSchema, resources: readonly ProgramResource[]): string[] {
    const problems: string[] = [];
    const byVariable = new Map(resources.map((r) => [r.variable, r]));
    const typeOf = (property: SchemaProperty): string =>
        property.$ref
            ? property.$ref.replace(`#/types/${PACKAGE}:index:`, "")
            : property.type === "array"
              ? `${typeOf(property.items!)}[]`
              : property.type!;

    function checkValue(where: string, value: Value, property: SchemaProperty): void {
        if (value.kind === "output") {
            const source = byVariable.get(value.resource);
            const output = source && schema.resources[source.type]?.properties[value.property];
            if (!output) {
                problems.push(
                    `${where}: ${value.resource}.${value.property} is no output of ${source?.type ?? "a resource of the program"}`,
                );
            } else if (typeOf(output) !== typeOf(property)) {
                problems.push(`${where}: ${value.resource}.${value.property} is ${typeOf(output)}, the property takes ${typeOf(property)}`);
            }
            return;
        }
        if (property.$ref) {
            const name = property.$ref.replace(`#/types/${PACKAGE}:index:`, "");
            const type = schema.types[`${PACKAGE}:index:${name}`];
            if (!type) {
                problems.push(`${where}: the schema has no type ${name}`);
            } else if (type.enum) {
                const ok =
                    (value.kind === "string" && type.enum.some((m) => m.value === value.literal)) ||
                    (value.kind === "enum" && value.type === name && type.enum.some((m) => upperSnake(m.name) === value.member));
                if (!ok) {
                    problems.push(`${where}: not a ${name} (${type.enum.map((m) => m.value).join(", ")})`);
                }
            } else if (value.kind === "map" || (value.kind === "args" && value.type === `${name}Args`)) {
                checkObject(where, value.entries, type.properties ?? {}, type.required ?? []);
            } else {
                problems.push(`${where}: takes a ${name}`);
            }
            return;
        }
        const expected = { string: "string", number: "number", integer: "number", boolean: "bool" } as const;
        if (property.type === "array") {
            if (value.kind !== "list") {
                problems.push(`${where}: takes a list`);
            } else {
                value.items.forEach((item, i) => checkValue(`${where}[${i}]`, item, property.items!));
            }
        } else if (property.type === "object") {
            if (value.kind !== "map") {
                problems.push(`${where}: takes a map`);
            } else {
                for (const [key, entry] of Object.entries(value.entries)) {
                    checkValue(`${where}.${key}`, entry, property.additionalProperties!);
                }
            }
        } else if (value.kind !== expected[property.type!]) {
            problems.push(`${where}: takes a ${property.type}, got ${value.kind}`);
        }
    }

    function checkObject(
        where: string,
        entries: Record<string, Value>,
        properties: Record<string, SchemaProperty>,
        required: string[],
    ): void {
        for (const [key, value] of Object.entries(entries)) {
            const property = properties[key];
            if (!property) {
                problems.push(`${where}.${key}: no such property (${Object.keys(properties).join(", ")})`);
            } else {
                checkValue(`${where}.${key}`, value, property);
            }
        }
        for (const key of required.filter((k) => !(k in entries))) {
            problems.push(`${where}.${key}: required`);
        }
    }

    for (const resource of resources) {
        const declared = schema.resources[resource.type];
        if (!declared) {
            problems.push(`${resource.variable}: the package has no resource ${resource.type}`);
            continue;
        }
        checkObject(resource.variable, resource.properties, declared.inputProperties, declared.requiredInputs);
    }
    return problems;
}

/** Python's names for a schema name: enum members UPPER_SNAKE, properties snake_case. */
function upperSnake(name: string): string {
    return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function camel(snake: string): string {
    return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A Pulumi YAML program's resources of the package, `${a.b}` read as outputs. */
export function yamlResources(text: string): ProgramResource[] {
    const program = parse(text) as { resources: Record<string, { type: string; properties?: Record<string, unknown> }> };
    const valueOf = (v: unknown): Value => {
        if (typeof v === "string") {
            const ref = /^\$\{(\w+)\.(\w+)\}$/.exec(v);
            return ref ? { kind: "output", resource: ref[1], property: ref[2] } : { kind: "string", literal: v };
        }
        if (typeof v === "number") return { kind: "number" };
        if (typeof v === "boolean") return { kind: "bool" };
        if (Array.isArray(v)) return { kind: "list", items: v.map(valueOf) };
        if (v && typeof v === "object") {
            return { kind: "map", entries: Object.fromEntries(Object.entries(v).map(([k, e]) => [k, valueOf(e)])) };
        }
        return { kind: "other", text: String(v) };
    };
    return Object.entries(program.resources)
        .filter(([, r]) => r.type.startsWith(`${PACKAGE}:`))
        .map(([variable, r]) => ({
            variable,
            type: r.type,
            properties: Object.fromEntries(Object.entries(r.properties ?? {}).map(([k, v]) => [k, valueOf(v)])),
        }));
}

/** Python's ast, dumped as the values above: calls of kong_cognito.X(...) and attributes of variables. */
const PYTHON_READER = String.raw`
import ast, json, sys
tree = ast.parse(sys.stdin.read())
def value(node):
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool): return {"kind": "bool"}
        if isinstance(node.value, str): return {"kind": "string", "literal": node.value}
        if isinstance(node.value, (int, float)): return {"kind": "number"}
    if isinstance(node, ast.List): return {"kind": "list", "items": [value(e) for e in node.elts]}
    if isinstance(node, ast.Dict): return {"kind": "map", "entries": {k.value: value(v) for k, v in zip(node.keys, node.values)}}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "kong_cognito":
        return {"kind": "args", "type": node.func.attr, "entries": {k.arg: value(k.value) for k in node.keywords}}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name) and node.value.value.id == "kong_cognito":
        return {"kind": "enum", "type": node.value.attr, "member": node.attr}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return {"kind": "output", "resource": node.value.id, "property": node.attr}
    return {"kind": "other", "text": ast.dump(node)}
resources = []
for stmt in tree.body:
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
        v = value(stmt.value)
        if v["kind"] == "args":
            resources.append({"variable": stmt.targets[0].id, "type": v["type"], "properties": v["entries"]})
print(json.dumps(resources))
`;

/** A Python program's resources of the package, its snake_case names turned back into the schema's. */
export function pythonResources(text: string): ProgramResource[] {
    // A child process: Python's own parser reads the Python program.
    const run = spawnSync("python3", ["-c", PYTHON_READER], { input: text, encoding: "utf8", timeout: 20000 });
    if (run.error || run.status !== 0) {
        throw new Error(`python3 could not read the program (python3 is needed for this test): ${run.error?.message ?? run.stderr}`);
    }
    const toSchema = (v: Value): Value => {
        switch (v.kind) {
            case "list":
                return { kind: "list", items: v.items.map(toSchema) };
            case "map":
            case "args":
                return { ...v, entries: Object.fromEntries(Object.entries(v.entries).map(([k, e]) => [camel(k), toSchema(e)])) };
            case "output":
                return { ...v, property: camel(v.property) };
            default:
                return v;
        }
    };
    return (JSON.parse(run.stdout) as { variable: string; type: string; properties: Record<string, Value> }[]).map((r) => ({
        variable: r.variable,
        type: `${PACKAGE}:index:${r.type}`,
        properties: Object.fromEntries(Object.entries(r.properties).map(([k, v]) => [camel(k), toSchema(v)])),
    }));
}
