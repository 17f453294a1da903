// The kong-cognito component library. Importing it registers no resources.
// Layout: cognito/ (the IdP and Cognito's rules), kong/ (the route model, Kong's rules, one
// emitter per target), oidc.ts (the contract between them), kubernetes.ts (names and labels).
export * from "./cognito/cognitoIdp";
export {
    COGNITO_BUILT_IN_SCOPES,
    MfaMode,
    ResourceServerScopeInput,
    ThreatProtectionMode,
    THREAT_PROTECTION_MODES,
    UserPoolTier,
    USER_POOL_TIERS,
} from "./cognito/rules";
export * from "./kong/kongOidcRoute";
export * from "./kong/proxyCache";
export * from "./kong/kongGateway";
export {
    BrowserSession,
    GatewayReference,
    KongOidcRouteArgs,
    RouteModel,
    ResolvedKongOidcRouteArgs,
    resolveKongOidcRouteArgs,
    Upstream,
    UpstreamServiceArgs,
} from "./kong/routeModel";
export { CachePlacement, KongTarget, KongRouteResources, KongCacheResources, ProxyCacheModel, TARGETS } from "./kong/targets";
export { IngressRouteResources, IngressCacheResources } from "./kong/ingress";
export { KicCacheResources, KicTarget } from "./kong/kic";
export { DEFAULT_GATEWAY_NAME, GatewayRouteResources, GatewayCacheResources } from "./kong/gateway";
export { AdminApiRouteResources, AdminApiCacheResources } from "./kong/adminApi";
export {
    BrowserSessionSettings,
    OpenIdConnectConfig,
    OpenIdConnectSettings,
    ProxyCacheConfig,
    RedisConfig,
    openIdConnectConfig,
    proxyCacheConfig,
} from "./kong/pluginConfigs";
export {
    DEFAULT_AUTH_METHODS,
    KongVersion,
    OIDC_AUTH_METHODS,
    PROXY_CACHE_DEFAULTS,
    ProxyCacheSettings,
    RedisArgs,
    RedisSettings,
    UpstreamUrl,
    cacheVaryHeaders,
    parseUpstreamUrl,
} from "./kong/rules";
export * from "./kong/provider";
export { OidcProviderArgs, ROUTE_MODES, RouteMode } from "./oidc";
export { InputIssue, Issues, KongCognitoInputError } from "./validation";
export { MissingProviderOutputError, PROVIDER_OUTPUTS, ProviderOutput } from "./providerOutputs";
