// The seed's in-cluster sample app (an httpbin) behind `sampleroute`, for dev stacks: a
// hardened Deployment and a ClusterIP Service on port 80.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KONG_COGNITO_LABELS } from "../components/kubernetes";

/** The sample app's name and its Service's: what a route's upstreamService names to reach it. */
export const SAMPLE_APP_NAME = "sample-app";

export interface SampleAppArgs {
    readonly namespace: pulumi.Input<string>;
    /** Container image serving HTTP on 8080, e.g. go-httpbin. */
    readonly image: string;
}

export class SampleApp extends pulumi.ComponentResource {
    /** Name of the Service routes point at (port 80). */
    readonly serviceName: string;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;

    constructor(name: string, args: SampleAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kong-cognito:stacks:SampleApp", name, {}, opts);
        this.serviceName = name;
        const labels = { ...KONG_COGNITO_LABELS, "app.kubernetes.io/name": name };
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name, namespace: args.namespace, labels },
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { "app.kubernetes.io/name": name } },
                    template: {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
                            containers: [
                                {
                                    name: "app",
                                    image: args.image,
                                    ports: [{ name: "http", containerPort: 8080 }],
                                    readinessProbe: { httpGet: { path: "/status/200", port: "http" } },
                                    resources: {
                                        requests: { cpu: "50m", memory: "32Mi" },
                                        limits: { memory: "128Mi" },
                                    },
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        readOnlyRootFilesystem: true,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                },
                            ],
                        },
                    },
                },
            },
            { parent: this },
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name, namespace: args.namespace, labels },
                spec: {
                    type: "ClusterIP",
                    selector: { "app.kubernetes.io/name": name },
                    ports: [{ name: "http", port: 80, targetPort: "http" }],
                },
            },
            { parent: this },
        );
        this.registerOutputs({ serviceName: this.serviceName });
    }
}
