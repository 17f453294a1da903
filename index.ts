// The kong-cognito Pulumi program: reads the stack's config and builds its graph.
// The component library lives in components/ (package entry: components/index.ts).
import { buildProgram } from "./stacks/program";

const outputs = buildProgram();

export const userPoolId = outputs.userPoolId;
export const issuerUrl = outputs.issuerUrl;
export const discoveryUrl = outputs.discoveryUrl;
export const tokenEndpoint = outputs.tokenEndpoint;
export const authorizeEndpoint = outputs.authorizeEndpoint;
export const hostedUiUrl = outputs.hostedUiUrl;
export const webClientId = outputs.webClientId;
export const webClientSecret = outputs.webClientSecret;
export const machineClientId = outputs.machineClientId;
export const machineClientSecret = outputs.machineClientSecret;
export const machineScopes = outputs.machineScopes;
export const routes = outputs.routes;
export const jwtKeyIds = outputs.jwtKeyIds;
