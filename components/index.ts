// The kong-cognito component library. Importing it registers no resources.
// Layout: cognito/ (the IdP and Cognito's rules), kong/ (model/: the models, Kong's rules and the
// emitter contract; emitters/: one emitter per target; targets.ts: the table of emitters; the
// components), oidc.ts (the contract between them), kubernetes.ts (names and labels).
export * from "./cognito/cognitoIdp";
export {
    COGNITO_BUILT_IN_SCOPES,
    MfaMode,
    ResourceServerScope,
    ResourceServerScopeInput,
    ThreatProtectionMode,
    THREAT_PROTECTION_MODES,
    UserPoolTier,
    USER_POOL_TIERS,
} from "./cognito/rules";
export * from "./kong/kongOidcRoute";
export * from "./kong/proxyCache";
export * from "./kong/kongGateway";
export * from "./kong/jwtConsumer";
export { JwtConsumerModel, JwtConsumerReference, KongJwtConsumerArgs } from "./kong/model/consumerModel";
export { CachePlacement, KongProxyCacheArgs, ProxyCacheModel, ProxyCacheOptions, resolveProxyCacheSettings } from "./kong/model/cacheModel";
export { CognitoJwks, CognitoJwksArgs, DEFAULT_KEY_SLOTS, SigningKey, jwksUrlOf, signingKeysOf } from "./kong/jwks";
export {
    BrowserSession,
    GatewayReference,
    KONG_EDITIONS,
    KongEdition,
    KongOidcRouteArgs,
    OSS_TOKEN_CHECKS,
    RouteModel,
    ResolvedKongOidcRouteArgs,
    Upstream,
    UpstreamService,
    UpstreamServiceArgs,
} from "./kong/model/routeModel";
export { KongTarget } from "./kong/model/kongTarget";
export { KongRouteResources, KongCacheResources, KongConsumerResources, TARGETS } from "./kong/targets";
export { IngressRouteResources, IngressCacheResources, IngressConsumerResources } from "./kong/emitters/ingress";
export { KicCacheResources, KicConsumerResources, KicRouteAuth, KicTarget } from "./kong/emitters/kic";
export { DEFAULT_GATEWAY_NAME, GatewayRouteResources, GatewayCacheResources, GatewayConsumerResources } from "./kong/emitters/gateway";
export { AdminApiRouteResources, AdminApiRouteAuth, AdminApiCacheResources, AdminApiConsumerResources } from "./kong/emitters/adminApi";
export {
    AclConfig,
    BrowserSessionSettings,
    JwtConfig,
    OpenIdConnectConfig,
    OpenIdConnectSettings,
    ProxyCacheConfig,
    RedisConfig,
    aclConfig,
    jwtConfig,
    openIdConnectConfig,
    proxyCacheConfig,
} from "./kong/model/pluginConfigs";
export {
    DEFAULT_AUTH_METHODS,
    DEFAULT_LOGOUT_METHODS,
    KONG_TLS_CERTIFICATE_VERIFY_VALUES,
    KongTlsCertificateVerify,
    KongVersion,
    LOGOUT_METHODS,
    LogoutMethod,
    OIDC_AUTH_METHODS,
    PROXY_CACHE_DEFAULTS,
    ProxyCacheSettings,
    Redis,
    RedisArgs,
    RedisSettings,
    UpstreamUrl,
    cacheVaryHeaders,
    parseUpstreamUrl,
} from "./kong/model/rules";
export * from "./kong/provider";
export { OidcProvider, OidcProviderArgs, ROUTE_MODES, RouteMode } from "./oidc";
export { InputIssue, Issues, KongCognitoInputError } from "./validation";
export { MissingProviderOutputError, PROVIDER_OUTPUTS, ProviderOutput } from "./providerOutputs";
