// The upstream OpenAPI schemas of the Kubernetes objects kong-cognito registers: Kubernetes' own
// (kubernetes-models) and the Gateway API's (@kubernetes-models/gateway-api), both generated from
// the upstream definitions. The packages are ES modules, hence the dynamic imports.
import type { Registration } from "../tools/shared/mockRuntime";
import { plainInputs } from "./harness";

/** What every model class has (the packages' base type does not resolve under this project's moduleResolution). */
interface Model {
    validate(): void;
}
type ModelClass = new (data: never) => object;

/** The model of each registered type; KongPlugins are checked field by field in the tests instead. */
const MODELS: Readonly<Record<string, () => Promise<ModelClass>>> = {
    "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
    "kubernetes:core/v1:Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret,
    "kubernetes:networking.k8s.io/v1:Ingress": async () => (await import("kubernetes-models/networking.k8s.io/v1/Ingress")).Ingress,
    "kubernetes:apps/v1:Deployment": async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
    "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": async () =>
        (await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute")).HTTPRoute,
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": async () =>
        (await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway")).Gateway,
    "kubernetes:gateway.networking.k8s.io/v1:GatewayClass": async () =>
        (await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass")).GatewayClass,
    "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant": async () =>
        (await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant")).ReferenceGrant,
};

/** True when the upstream schema of this registration's type is known here. */
function hasSchema(registration: Registration): boolean {
    return registration.type in MODELS;
}

/**
 * The schema errors of a registered object, as the upstream model reports them (field paths and
 * rules), or undefined when it is valid. Fails for a type without a known schema.
 */
export async function schemaErrors(registration: Registration): Promise<string | undefined> {
    const load = MODELS[registration.type];
    if (load === undefined) {
        throw new Error(`no upstream schema known for ${registration.type}`);
    }
    const Model = await load();
    try {
        (new Model(plainInputs(registration) as never) as Model).validate();
        return undefined;
    } catch (error) {
        return `${registration.type} ${registration.name}: ${(error as Error).message}`;
    }
}

/** The schema errors of every registration with a known schema; an empty list when all are valid. */
export async function allSchemaErrors(registrations: readonly Registration[]): Promise<string[]> {
    const errors = await Promise.all(registrations.filter(hasSchema).map(schemaErrors));
    return errors.filter((e): e is string => e !== undefined);
}
