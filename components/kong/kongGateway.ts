// KongGateway: a Gateway API Gateway the Kong Ingress Controller serves, for the gateway target's
// HTTPRoutes to attach to, with one listener for the public host; optionally its GatewayClass.
// A cluster that already has a Gateway needs none of this: routes name it (`gateway`).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { TypeScriptOnly } from "../typescriptOnly";
import { isIP } from "node:net";
import { checkKubernetesName, checkKubernetesObjectName, KONG_COGNITO_LABELS } from "../kubernetes";
import { checkHttpsUrl } from "../oidc";
import { checkInputWhenKnown, isPlain, Issues, ResolvedOnce } from "../validation";
import { GATEWAY_API_GROUP } from "./emitters/gateway";
import type { GatewayReference } from "./model/routeModel";

export const KONG_GATEWAY_TYPE = "kong-cognito:index:KongGateway";

/** The controller name of the Kong Ingress Controller's GatewayClasses (gatewayclass_controller.go). */
export const KIC_GATEWAY_CONTROLLER = "konghq.com/kic-gateway-controller";

/** The GatewayClass Kong's Gateway API guides create and KIC serves. */
export const DEFAULT_GATEWAY_CLASS = "kong";

/**
 * KIC serves a Gateway of its class only when the class carries this annotation (unmanaged mode:
 * KIC configures the Kong it runs beside instead of provisioning one).
 */
const UNMANAGED_CLASS_ANNOTATION = { "konghq.com/gatewayclass-unmanaged": "true" };

export interface KongGatewayArgs {
    /** Namespace of the Gateway. */
    readonly namespace: pulumi.Input<string>;
    /**
     * HTTPS base URL of Kong as users reach it: the listener accepts requests for its host (any host
     * when it is an IP address, which a Gateway listener cannot name).
     */
    readonly publicBaseUrl: pulumi.Input<string>;
    /** The Gateway's name. @default the component's name */
    readonly gatewayName?: string;
    /** The GatewayClass of the Gateway, one KIC serves. @default "kong" */
    readonly className?: string;
    /**
     * Create the GatewayClass too, with KIC's controller name and its unmanaged-mode annotation. A
     * GatewayClass is cluster-wide: create it from one stack per cluster. @default false (it exists,
     * as Kong's install guides create it)
     */
    readonly createClass?: boolean;
    /**
     * A TLS Secret in the Gateway's namespace: the listener is then HTTPS and Kong ends TLS with this
     * certificate. Under the Kong Operator, KIC reads only Secrets labelled `konghq.com/secret: "true"`:
     * label it so. @default none: an HTTP listener (TLS ends in front of Kong)
     */
    readonly tlsSecretName?: string;
    /**
     * The listener's port. KIC accepts a listener only on a port of Kong's proxy Service with the
     * same protocol. @default 80, or 443 with tlsSecretName
     */
    readonly port?: number;
    /** Namespaces besides the Gateway's own whose HTTPRoutes may attach. @default none */
    readonly routeNamespaces?: pulumi.Input<string>[];
}

/** The listener of a Gateway, resolved. */
export interface GatewayListenerModel {
    readonly name: "http" | "https";
    readonly protocol: "HTTP" | "HTTPS";
    readonly port: number;
    readonly tlsSecretName?: string;
}

/** A KongGateway's args resolved: defaults applied, every rule checked. */
export interface ResolvedKongGatewayArgs {
    readonly gatewayName: string;
    readonly namespace: pulumi.Input<string>;
    readonly className: string;
    readonly createClass: boolean;
    readonly listener: GatewayListenerModel;
    /** The listener's hostname; undefined (any host) when the public host is an IP address. */
    readonly hostname: pulumi.Input<string | undefined>;
    readonly routeNamespaces: pulumi.Input<string>[];
}

/** The host a listener can name: a DNS name, not an IP address (the Gateway API refuses those). */
function listenerHostname(publicBaseUrl: string): string | undefined {
    const host = new URL(publicBaseUrl).hostname;
    // Stryker disable next-line Regex: a URL's hostname holds brackets only around an IPv6 address, so either anchor alone strips the same
    return isIP(host.replace(/^\[|\]$/g, "")) === 0 ? host : undefined;
}

function resolveArgs(name: string, args: KongGatewayArgs): ResolvedKongGatewayArgs {
    const issues = new Issues(`KongGateway "${name}"`);
    const gatewayName = args.gatewayName ?? name;
    checkKubernetesObjectName(issues, "gatewayName", gatewayName);
    if (args.namespace === undefined) {
        issues.add("namespace", undefined, "is required: the Gateway's namespace");
    } else if (isPlain(args.namespace)) {
        checkKubernetesName(issues, "namespace", args.namespace);
    }
    const className = args.className ?? DEFAULT_GATEWAY_CLASS;
    checkKubernetesObjectName(issues, "className", className);
    // Stryker disable next-line ConditionalExpression: checked anyway, undefined passes (RegExp.test(undefined) tests the valid name "undefined")
    if (args.tlsSecretName !== undefined) {
        checkKubernetesObjectName(issues, "tlsSecretName", args.tlsSecretName);
    }
    const port = args.port ?? (args.tlsSecretName !== undefined ? 443 : 80);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        issues.add("port", port, "must be a port number from 1 to 65535");
    }
    for (const [index, namespace] of (args.routeNamespaces ?? []).entries()) {
        if (isPlain(namespace)) {
            checkKubernetesName(issues, `routeNamespaces[${index}]`, namespace);
        }
    }
    const publicBaseUrl = checkInputWhenKnown(issues, "publicBaseUrl", args.publicBaseUrl ?? "", (later, path, url) =>
        checkHttpsUrl(later, path, url, { allowPath: false }),
    );
    issues.throwIfAny();
    return {
        gatewayName,
        namespace: args.namespace,
        className,
        createClass: args.createClass ?? false,
        listener:
            args.tlsSecretName !== undefined
                ? { name: "https", protocol: "HTTPS", port, tlsSecretName: args.tlsSecretName }
                : { name: "http", protocol: "HTTP", port },
        hostname: isPlain(publicBaseUrl) ? listenerHostname(publicBaseUrl) : pulumi.output(publicBaseUrl).apply(listenerHostname),
        routeNamespaces: args.routeNamespaces ?? [],
    };
}

const resolutions = new ResolvedOnce(resolveArgs);

/** Applies defaults and checks every rule; throws one KongCognitoInputError listing them. Registers nothing. */
export function resolveKongGatewayArgs(name: string, args: KongGatewayArgs): ResolvedKongGatewayArgs {
    return resolutions.get(name, args);
}

/** Which namespaces' routes the listener admits: its own, or its own and the ones named. */
function allowedRoutes(namespace: pulumi.Input<string>, others: pulumi.Input<string>[]): pulumi.Input<object> {
    if (others.length === 0) {
        return { namespaces: { from: "Same" } };
    }
    return pulumi.all([namespace, ...others]).apply((names) => ({
        namespaces: {
            from: "Selector",
            // Kubernetes labels every namespace with its name (since 1.22).
            selector: {
                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...new Set(names)] }],
            },
        },
    }));
}

const gatewayChildren = new TypeScriptOnly<
    KongGateway,
    { gateway: k8s.apiextensions.CustomResource; gatewayClass?: k8s.apiextensions.CustomResource; listener: GatewayListenerModel }
>("KongGateway");

/**
 * A Gateway of a GatewayClass KIC serves, with one listener for the public host: HTTP on port 80,
 * or HTTPS on 443 with `tlsSecretName`. Routes of the gateway target attach to it through
 * `reference`, which also makes them wait for it.
 *
 * Children: `<name>-gateway`, and `<name>-class` (the GatewayClass) with `createClass`.
 */
export class KongGateway extends pulumi.ComponentResource {
    /** The Gateway's name and namespace. */
    readonly gatewayName: pulumi.Output<string>;
    readonly namespace: pulumi.Output<string>;
    /** What a KongOidcRoute's `gateway` takes: this Gateway, by outputs that make the route wait for it. */
    readonly reference: GatewayReference;

    /** The Gateway object. TypeScript only. */
    get gateway(): k8s.apiextensions.CustomResource {
        return gatewayChildren.get(this).gateway;
    }
    /** The GatewayClass, with `createClass`. TypeScript only. */
    get gatewayClass(): k8s.apiextensions.CustomResource | undefined {
        return gatewayChildren.get(this).gatewayClass;
    }
    /** The listener as resolved. TypeScript only. */
    get listener(): GatewayListenerModel {
        return gatewayChildren.get(this).listener;
    }

    constructor(name: string, args: KongGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        const resolved = resolveKongGatewayArgs(name, args);
        super(KONG_GATEWAY_TYPE, name, {}, opts);
        const labels = KONG_COGNITO_LABELS;
        let gatewayClass: k8s.apiextensions.CustomResource | undefined;
        if (resolved.createClass) {
            gatewayClass = new k8s.apiextensions.CustomResource(
                `${name}-class`,
                {
                    apiVersion: `${GATEWAY_API_GROUP}/v1`,
                    kind: "GatewayClass",
                    metadata: { name: resolved.className, labels, annotations: UNMANAGED_CLASS_ANNOTATION },
                    spec: { controllerName: KIC_GATEWAY_CONTROLLER },
                },
                { parent: this },
            );
        }
        const { listener } = resolved;
        const gateway = new k8s.apiextensions.CustomResource(
            `${name}-gateway`,
            {
                apiVersion: `${GATEWAY_API_GROUP}/v1`,
                kind: "Gateway",
                metadata: { name: resolved.gatewayName, namespace: resolved.namespace, labels },
                spec: {
                    gatewayClassName: gatewayClass ? gatewayClass.metadata.name : resolved.className,
                    listeners: [
                        {
                            name: listener.name,
                            protocol: listener.protocol,
                            port: listener.port,
                            hostname: resolved.hostname,
                            allowedRoutes: allowedRoutes(resolved.namespace, resolved.routeNamespaces),
                            ...(listener.tlsSecretName !== undefined
                                ? { tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: listener.tlsSecretName }] } }
                                : {}),
                        },
                    ],
                },
            },
            { parent: this },
        );
        gatewayChildren.set(this, { gateway, gatewayClass, listener });
        this.gatewayName = gateway.metadata.name;
        this.namespace = gateway.metadata.namespace;
        this.reference = { name: this.gatewayName, namespace: this.namespace };
        this.registerOutputs({ gatewayName: this.gatewayName, namespace: this.namespace });
    }
}
