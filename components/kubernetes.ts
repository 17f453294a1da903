// Kubernetes' rules for the objects kong-cognito creates (apimachinery's name validation), and the
// labels every one of them carries.
import { Issues } from "./validation";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1123 label (at most 63 characters): what a route name must be, since the Ingress, its
 * plugins and its Secret derive their names from it.
 */
export function checkKubernetesName(issues: Issues, path: string, name: string, maxLength = 63): void {
    if (!DNS_LABEL.test(name) || name.length > maxLength) {
        issues.add(path, name, `must be a DNS-1123 label: lowercase letters, digits and inner hyphens, at most ${maxLength} characters`);
    }
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Service name is a DNS-1035 label: like a DNS-1123 label but starting with a letter
 * (apimachinery IsDNS1035Label, ValidateServiceName).
 */
export function checkServiceName(issues: Issues, path: string, name: string, maxLength = 63): void {
    if (!DNS_1035_LABEL.test(name) || name.length > maxLength) {
        issues.add(
            path,
            name,
            `must be a DNS-1035 label (a Service name): a lowercase letter first, then lowercase letters, digits and inner hyphens, at most ${maxLength} characters`,
        );
    }
}

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Names of most Kubernetes objects (a Secret, say) are DNS-1123 subdomains: labels joined by dots. */
export function checkKubernetesObjectName(issues: Issues, path: string, name: string): void {
    if (!DNS_SUBDOMAIN.test(name)) {
        issues.add(path, name, "must be a DNS-1123 subdomain: lowercase letters, digits, inner hyphens and dots, at most 253 characters");
    }
}

const HOSTNAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** An Ingress rule's host: a lowercase DNS name, optionally with a leading `*.` wildcard. */
export function checkHostname(issues: Issues, path: string, host: string): void {
    if (!HOSTNAME.test(host)) {
        issues.add(path, host, "must be a lowercase DNS name such as api.example.com");
    }
}

/** Labels on every Kubernetes object kong-cognito creates. */
export const KONG_COGNITO_LABELS = {
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/part-of": "kong-cognito",
};
