"""The seed's setup as a Pulumi Python program, through the kong-cognito package.

Add the package first (`pulumi package add <kong-cognito's git URL or a path to a clone>`), which
generates the `pulumi_kong_cognito` SDK. The tests check every argument below against the
package's schema.
"""
import pulumi
import pulumi_kong_cognito as kong_cognito

idp = kong_cognito.CognitoIdp(
    "idp",
    domain_prefix="kongidp-py",
    callback_urls=["https://kong.example.com/sampleroute"],
    resource_server=kong_cognito.ResourceServerArgs(
        identifier="http://kongresource",
        scopes=[kong_cognito.ResourceServerScopeArgs(name="scope1", description="Machine access to the API route")],
    ),
    machine_client=kong_cognito.MachineClientArgs(),
)

api = kong_cognito.KongOidcRoute(
    "oidcroute",
    namespace="kong",
    public_base_url="https://kong.example.com",
    path="/oidcroute",
    mode=kong_cognito.RouteMode.API,
    upstream_url="http://httpbin.org",
    oidc=kong_cognito.OidcProviderArgs(
        issuer=idp.discovery_url,
        client_id=idp.machine_client_id,
        client_secret=idp.machine_client_secret,
        scopes=idp.machine_scopes,
        required_scopes=idp.machine_scopes,
    ),
)

app = kong_cognito.KongOidcRoute(
    "sampleroute",
    namespace="kong",
    public_base_url="https://kong.example.com",
    path="/sampleroute",
    mode=kong_cognito.RouteMode.BROWSER,
    upstream_url="http://httpbin.org",
    cache=kong_cognito.ProxyCacheOptionsArgs(ttl_seconds=30),
    oidc=kong_cognito.OidcProviderArgs(
        issuer=idp.discovery_url,
        client_id=idp.web_client_id,
        client_secret=idp.web_client_secret,
        scopes=idp.browser_scopes,
        logout_endpoint=idp.logout_endpoint,
        revocation_endpoint=idp.revocation_endpoint,
    ),
)

pulumi.export("issuer", idp.issuer_url)
pulumi.export("token_endpoint", idp.token_endpoint)
pulumi.export("api_url", api.url)
pulumi.export("app_url", app.url)
pulumi.export("machine_client_id", idp.machine_client_id)
pulumi.export("machine_client_secret", idp.machine_client_secret)
