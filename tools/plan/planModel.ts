// The offline plan as data: resources, dependency edges and the longest dependency chain, built
// from recorded registrations with every secret replaced by a marker; and its three renderings
// (tree, JSON, Mermaid). Pure: no Pulumi runtime here.
import { isSecretValue, Registration, UNKNOWN_VALUE } from "../shared/mockRuntime";

/** What a secret value is shown as, in every format. */
export const SECRET_MARKER = "[secret]";

export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** URN of the parent, or null at the top. */
    readonly parent: string | null;
    readonly custom: boolean;
    readonly protect: boolean;
    /** Inputs with secrets replaced by SECRET_MARKER. */
    readonly inputs: Record<string, unknown>;
    /** URNs named by `dependsOn`. */
    readonly dependsOn: string[];
    /** For each input property, the URNs its value came from. */
    readonly propertyDependencies: Record<string, string[]>;
    /** Every URN this resource waits for. */
    readonly dependencies: string[];
}

export interface PlanEdge {
    readonly from: string;
    readonly to: string;
    /** `dependsOn` (explicit) or `property` (an input came from the other resource's output). */
    readonly kind: "dependsOn" | "property";
}

export interface Plan {
    readonly project: string;
    readonly stack: string;
    readonly resourceCount: number;
    readonly customResourceCount: number;
    readonly resources: PlannedResource[];
    readonly edges: PlanEdge[];
    /** The longest chain of resources that must be created one after another. */
    readonly longestChain: { readonly depth: number; readonly urns: string[] };
    /** Stack outputs, secrets replaced by SECRET_MARKER. */
    readonly outputs: Record<string, unknown>;
}

/** Replaces every secret (and unknown) in a serialized value by its marker. */
export function redact(value: unknown): unknown {
    if (isSecretValue(value)) {
        return SECRET_MARKER;
    }
    if (value === UNKNOWN_VALUE) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

/** What KIC credential Secrets of these types hold: public keys and group names, nothing secret. */
const PUBLIC_CREDENTIAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
    jwt: ["key", "algorithm", "rsa_public_key"],
    acl: ["group"],
};

/**
 * A Kubernetes Secret that holds no secret: a KongConsumer's RS256 jwt credential (a public key
 * and its kid) or ACL group. Kubernetes has no other object for credentials, and @pulumi/kubernetes
 * marks every Secret's data secret; the same values are plain elsewhere (the KongConsumer's
 * username, the acl plugin's config), so the plan's secret check leaves these out.
 */
export function isPublicCredentialSecret(registration: Registration): boolean {
    const inputs = registration.inputs as { metadata?: { labels?: Record<string, string> }; stringData?: unknown; data?: unknown };
    const fields = PUBLIC_CREDENTIAL_FIELDS[inputs.metadata?.labels?.["konghq.com/credential"] ?? ""];
    if (registration.type !== "kubernetes:core/v1:Secret" || fields === undefined || inputs.data !== undefined) {
        return false;
    }
    const stringData = isSecretValue(inputs.stringData) ? (inputs.stringData as { value: unknown }).value : inputs.stringData;
    return typeof stringData === "object" && stringData !== null && Object.keys(stringData).every((key) => fields.includes(key));
}

/** The plain strings held inside secret markers, to prove none reaches the printed plan. */
export function secretStrings(value: unknown, inSecret = false): string[] {
    if (isSecretValue(value)) {
        return secretStrings((value as { value: unknown }).value, true);
    }
    if (typeof value === "string") {
        // The offline placeholder of an encrypted config value reads like the marker itself.
        return inSecret && value.length >= 8 && value !== SECRET_MARKER ? [value] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v) => secretStrings(v, inSecret));
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).flatMap((v) => secretStrings(v, inSecret));
    }
    return [];
}

export function buildPlan(project: string, stack: string, registrations: readonly Registration[], outputs: Record<string, unknown>): Plan {
    const known = new Set(registrations.map((r) => r.urn));
    // Sorted, so the same program always gives the same plan, whatever order registrations landed in.
    const sorted = [...registrations].sort((a, b) => a.urn.localeCompare(b.urn));
    const resources: PlannedResource[] = sorted.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent === "" || !known.has(r.parent) ? null : r.parent,
        custom: r.custom,
        protect: r.protect,
        inputs: redact(r.inputs) as Record<string, unknown>,
        dependsOn: [...r.explicitDependencies].sort(),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies)
                .filter(([, urns]) => urns.length > 0)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, urns]) => [k, [...urns].sort()]),
        ),
        dependencies: [...r.dependencies].sort(),
    }));
    const edges: PlanEdge[] = [];
    for (const resource of resources) {
        for (const to of resource.dependsOn) {
            edges.push({ from: resource.urn, to, kind: "dependsOn" });
        }
        const fromProperties = new Set(Object.values(resource.propertyDependencies).flat());
        for (const to of [...fromProperties].sort()) {
            edges.push({ from: resource.urn, to, kind: "property" });
        }
    }
    return {
        project,
        stack,
        resourceCount: resources.length,
        customResourceCount: resources.filter((r) => r.custom).length,
        resources,
        edges,
        longestChain: longestChain(resources),
        outputs: redact(outputs) as Record<string, unknown>,
    };
}

/**
 * The longest chain of custom resources each waiting for the one before: what bounds how fast
 * `pulumi up` can finish. Components cost nothing, so a dependency on one counts as one on its
 * custom descendants.
 */
export function longestChain(resources: readonly PlannedResource[]): { depth: number; urns: string[] } {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlannedResource[]>();
    for (const r of resources) {
        if (r.parent) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
        }
    }
    const customUnder = (urn: string): string[] => {
        const r = byUrn.get(urn);
        if (!r) {
            return [];
        }
        return r.custom ? [urn] : (children.get(urn) ?? []).flatMap((c) => customUnder(c.urn));
    };
    const waitsFor = (r: PlannedResource): string[] => {
        // A custom resource also waits for whatever its component ancestors depend on.
        const own = r.dependencies.flatMap(customUnder);
        let parent = r.parent ? byUrn.get(r.parent) : undefined;
        while (parent && !parent.custom) {
            own.push(...parent.dependencies.flatMap(customUnder));
            parent = parent.parent ? byUrn.get(parent.parent) : undefined;
        }
        return [...new Set(own)].filter((u) => u !== r.urn);
    };
    const memo = new Map<string, string[]>();
    const visiting = new Set<string>();
    const chainFrom = (urn: string): string[] => {
        const cached = memo.get(urn);
        if (cached) {
            return cached;
        }
        if (visiting.has(urn)) {
            throw new Error(`dependency cycle through ${urn}`);
        }
        visiting.add(urn);
        let best: string[] = [];
        for (const dep of waitsFor(byUrn.get(urn)!)) {
            const chain = chainFrom(dep);
            if (chain.length > best.length) {
                best = chain;
            }
        }
        visiting.delete(urn);
        const result = [...best, urn];
        memo.set(urn, result);
        return result;
    };
    let longest: string[] = [];
    for (const r of resources.filter((x) => x.custom)) {
        const chain = chainFrom(r.urn);
        if (chain.length > longest.length) {
            longest = chain;
        }
    }
    return { depth: longest.length, urns: longest };
}

/** The settings a reviewer looks at, per resource type; secrets already redacted. */
export function keySettings(resource: PlannedResource): Record<string, unknown> {
    // Inputs of many resource types, read loosely: a missing field just leaves a setting out.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const i = resource.inputs as Record<string, any>;
    const meta = i.metadata as
        { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;
    const pick = (...keys: string[]) => Object.fromEntries(keys.filter((k) => i[k] !== undefined).map((k) => [k, i[k]]));
    switch (resource.type) {
        case "aws:cognito/userPool:UserPool":
            return {
                ...pick("name", "usernameAttributes", "autoVerifiedAttributes", "mfaConfiguration", "deletionProtection"),
                requiredAttributes: (i.schemas ?? []).map((s: { name: string }) => s.name),
                passwordMinimumLength: i.passwordPolicy?.minimumLength,
                ...(resource.protect ? { protect: true } : {}),
            };
        case "aws:cognito/userPoolClient:UserPoolClient":
            return pick("name", "generateSecret", "allowedOauthFlows", "allowedOauthScopes", "explicitAuthFlows", "callbackUrls");
        case "aws:cognito/resourceServer:ResourceServer":
            return { identifier: i.identifier, scopes: (i.scopes ?? []).map((s: { scopeName: string }) => s.scopeName) };
        case "aws:cognito/userPoolDomain:UserPoolDomain":
            return pick("domain");
        case "kubernetes:networking.k8s.io/v1:Ingress": {
            const rule = i.spec?.rules?.[0];
            return {
                name: meta?.name,
                namespace: meta?.namespace,
                host: rule?.host,
                path: rule?.http?.paths?.[0]?.path,
                plugins: meta?.annotations?.["konghq.com/plugins"],
                stripPath: meta?.annotations?.["konghq.com/strip-path"],
            };
        }
        case "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": {
            const rule = i.spec?.rules?.[0];
            const backend = rule?.backendRefs?.[0];
            return {
                name: meta?.name,
                namespace: meta?.namespace,
                gateway: (i.spec?.parentRefs ?? []).map((p: { name?: string; namespace?: string }) =>
                    p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name,
                ),
                hosts: i.spec?.hostnames,
                path: rule?.matches?.[0]?.path?.value,
                backend: backend && `${backend.namespace !== undefined ? `${backend.namespace}/` : ""}${backend.name}:${backend.port}`,
                plugins: meta?.annotations?.["konghq.com/plugins"],
                stripPath: meta?.annotations?.["konghq.com/strip-path"],
            };
        }
        case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
            return {
                name: meta?.name,
                namespace: meta?.namespace,
                class: i.spec?.gatewayClassName,
                listeners: (i.spec?.listeners ?? []).map(
                    (l: { protocol?: string; port?: number; hostname?: string }) => `${l.protocol} ${l.hostname ?? "*"}:${l.port}`,
                ),
            };
        case "kubernetes:gateway.networking.k8s.io/v1:GatewayClass":
            return { name: meta?.name, controllerName: i.spec?.controllerName };
        case "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant":
            return { name: meta?.name, namespace: meta?.namespace, from: i.spec?.from, to: i.spec?.to };
        case "kubernetes:configuration.konghq.com/v1:KongPlugin":
            return {
                name: meta?.name,
                plugin: i.plugin,
                ...(i.config !== undefined ? { config: i.config } : {}),
                ...(i.configFrom !== undefined ? { configFrom: i.configFrom } : {}),
            };
        case "kubernetes:core/v1:Secret":
            return {
                name: meta?.name,
                ...(meta?.labels?.["konghq.com/credential"] ? { credential: meta.labels["konghq.com/credential"] } : {}),
                stringData: i.stringData,
            };
        case "kubernetes:configuration.konghq.com/v1:KongConsumer":
            return { name: meta?.name, namespace: meta?.namespace, username: i.username, credentials: i.credentials };
        case "pulumi-nodejs:dynamic:CognitoJwks":
            return pick("jwksUrl", "keySlots");
        case "kong:index/consumer:Consumer":
            return pick("username");
        case "kong:index/consumerJwtAuth:ConsumerJwtAuth":
            return pick("key", "algorithm");
        case "kong:index/consumerAcl:ConsumerAcl":
            return pick("group");
        case "kubernetes:core/v1:Service":
            return { name: meta?.name, type: i.spec?.type, externalName: i.spec?.externalName, ports: i.spec?.ports };
        case "kong:index/service:Service":
            return pick("name", "protocol", "host", "port", "path", "tlsVerify");
        case "kong:index/route:Route":
            return pick("name", "protocols", "hosts", "paths", "stripPath", "preserveHost");
        case "kong:index/plugin:Plugin":
            return {
                name: i.name,
                config: typeof i.configJson === "string" && i.configJson !== SECRET_MARKER ? JSON.parse(i.configJson) : i.configJson,
                ...pick("strictMatch", "enabled"),
            };
        case "pulumi:providers:kong":
            return pick("kongAdminUri", "kongAdminToken", "kongWorkspace");
        case "kubernetes:apps/v1:Deployment":
            return { name: meta?.name, image: i.spec?.template?.spec?.containers?.[0]?.image };
        default:
            return {};
    }
}

function formatSettings(settings: Record<string, unknown>): string {
    return Object.entries(settings)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join("  ");
}

/** What each Kong OSS route checks of a token and what it does not, from the stack outputs. */
function tokenCheckNotes(outputs: Record<string, unknown>): string[] {
    const routes = (outputs.routes ?? []) as { name: string; tokenChecks?: { checked: string[]; notChecked: string[] } }[];
    const lines: string[] = [];
    for (const route of Array.isArray(routes) ? routes : []) {
        if (route.tokenChecks) {
            lines.push(
                "",
                `Route ${route.name} (Kong OSS, jwt plugin):`,
                `  checks: ${route.tokenChecks.checked.join("; ")}`,
                `  does NOT check: ${route.tokenChecks.notChecked.join("; ")}`,
            );
        }
    }
    return lines;
}

/** The human-readable plan: resource tree, dependency edges, counts and the longest chain. */
export function renderTree(plan: Plan): string {
    const byParent = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) {
        byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
    }
    const names = new Map(plan.resources.map((r) => [r.urn, r.name]));
    const lines = [`Plan of stack "${plan.stack}" (project ${plan.project})`, ""];
    const walk = (parent: string | null, indent: string) => {
        const list = byParent.get(parent) ?? [];
        list.forEach((r, index) => {
            const last = index === list.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            const settings = formatSettings(keySettings(r));
            lines.push(`${indent}${branch}${r.name}  (${r.type})`);
            if (settings) {
                const pad = parent === null ? "     " : last ? "      " : "│     ";
                lines.push(`${indent}${pad}${settings}`);
            }
            walk(r.urn, parent === null ? indent : indent + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    lines.push("", `Dependencies (${plan.edges.length} edges; → waits for):`);
    const grouped = new Map<string, string[]>();
    for (const edge of plan.edges) {
        const label = `${names.get(edge.to) ?? edge.to}${edge.kind === "dependsOn" ? " [dependsOn]" : ""}`;
        grouped.set(edge.from, [...(grouped.get(edge.from) ?? []), label]);
    }
    for (const [from, targets] of grouped) {
        lines.push(`  ${names.get(from)} → ${targets.join(", ")}`);
    }
    lines.push(...tokenCheckNotes(plan.outputs));
    lines.push(
        "",
        `Resources: ${plan.resourceCount} (${plan.customResourceCount} to create, ${plan.resourceCount - plan.customResourceCount} components)`,
        `Longest dependency chain: ${plan.longestChain.depth} (${plan.longestChain.urns.map((u) => names.get(u)).join(" → ")})`,
    );
    return lines.join("\n");
}

function mermaidId(urn: string, ids: Map<string, string>): string {
    let id = ids.get(urn);
    if (!id) {
        id = `r${ids.size}`;
        ids.set(urn, id);
    }
    return id;
}

function mermaidLabel(text: string): string {
    return text.replace(/"/g, "#quot;");
}

/** A Mermaid flowchart: components as subgraphs, resources as nodes, dependency edges. */
export function renderMermaid(plan: Plan): string {
    const ids = new Map<string, string>();
    const byParent = new Map<string | null, PlannedResource[]>();
    for (const r of plan.resources) {
        byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
    }
    const lines = ["flowchart LR"];
    const shortType = (type: string) => type.split(":").pop()!.split("/").pop()!;
    const walk = (parent: string | null, indent: string) => {
        for (const r of byParent.get(parent) ?? []) {
            const id = mermaidId(r.urn, ids);
            if (r.custom) {
                lines.push(`${indent}${id}["${mermaidLabel(`${r.name}<br/><small>${shortType(r.type)}</small>`)}"]`);
            } else {
                lines.push(`${indent}subgraph ${id}["${mermaidLabel(`${r.name} (${shortType(r.type)})`)}"]`);
                walk(r.urn, indent + "    ");
                lines.push(`${indent}end`);
            }
        }
    };
    walk(null, "    ");
    for (const edge of plan.edges) {
        const arrow = edge.kind === "dependsOn" ? "-.->" : "-->";
        // Arrows point the way things are created: from what is needed to what needs it.
        lines.push(`    ${mermaidId(edge.to, ids)} ${arrow} ${mermaidId(edge.from, ids)}`);
    }
    return lines.join("\n") + "\n";
}
