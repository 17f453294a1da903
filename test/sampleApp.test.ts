// The sample app a dev stack deploys for a route to point at: an httpbin that runs hardened, and a
// Service on port 80 whose selector finds exactly its pods.
import { expect } from "chai";
import { SampleApp } from "../stacks/sampleApp";
import { allSchemaErrors } from "./schemas";
import { plainInputs, record, the, TYPES } from "./harness";

const LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "kong-cognito",
    "app.kubernetes.io/name": "orders-app",
};

async function build() {
    const { result, registrations } = await record(() => new SampleApp("orders-app", { namespace: "web", image: "example/httpbin:1" }));
    return {
        app: result,
        registrations,
        deployment: plainInputs(the(registrations, TYPES.deployment, "orders-app-deployment")),
        service: plainInputs(the(registrations, TYPES.service, "orders-app-service")),
    };
}

describe("SampleApp", () => {
    it("names its Deployment and Service after itself, in the namespace given, labelled as kong-cognito's", async () => {
        const { app, deployment, service, registrations } = await build();
        expect(app.serviceName).to.equal("orders-app");
        for (const object of [deployment, service]) {
            expect(object.metadata).to.deep.equal({ name: "orders-app", namespace: "web", labels: LABELS });
        }
        const component = the(registrations, "kong-cognito:stacks:SampleApp", "orders-app");
        expect(
            registrations
                .filter((r) => r.parent === component.urn)
                .map((r) => r.name)
                .sort(),
        ).to.deep.equal(["orders-app-deployment", "orders-app-service"]);
    });

    it("runs one replica of the image, serving HTTP on 8080, ready once /status/200 answers", async () => {
        const { deployment } = await build();
        expect(deployment.spec.replicas).to.equal(1);
        expect(deployment.spec.selector).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "orders-app" } });
        expect(deployment.spec.template.metadata).to.deep.equal({ labels: LABELS });
        const [container] = deployment.spec.template.spec.containers;
        expect(deployment.spec.template.spec.containers).to.have.lengthOf(1);
        expect(container.name).to.equal("app");
        expect(container.image).to.equal("example/httpbin:1");
        expect(container.ports).to.deep.equal([{ name: "http", containerPort: 8080 }]);
        expect(container.readinessProbe).to.deep.equal({ httpGet: { path: "/status/200", port: "http" } });
        expect(container.resources).to.deep.equal({ requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "128Mi" } });
    });

    it("runs as a non-root user without a service account token, privileges or a writable root filesystem", async () => {
        const { deployment } = await build();
        const pod = deployment.spec.template.spec;
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod.securityContext).to.deep.equal({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.containers[0].securityContext).to.deep.equal({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
    });

    it("serves port 80 in the cluster from the pods' http port, selecting the app's pods only", async () => {
        const { service } = await build();
        expect(service.spec).to.deep.equal({
            type: "ClusterIP",
            selector: { "app.kubernetes.io/name": "orders-app" },
            ports: [{ name: "http", port: 80, targetPort: "http" }],
        });
    });

    it("registers objects the Kubernetes schemas accept", async () => {
        const { registrations } = await build();
        expect(await allSchemaErrors(registrations)).to.deep.equal([]);
    });
});
