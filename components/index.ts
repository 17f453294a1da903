// The kong-cognito component library. Importing it registers no resources.
export * from "./cognitoIdp";
export * from "./kongOidcRoute";
export * from "./kongProxyCache";
export {
    DEFAULT_AUTH_METHODS,
    OIDC_AUTH_METHODS,
    PROXY_CACHE_DEFAULTS,
    RouteMode,
    cacheVaryHeaders,
    openIdConnectConfig,
    parseUpstreamUrl,
    proxyCacheConfig,
} from "./kongRules";
export { InputIssue, KongCognitoInputError } from "./validation";
