// The seam between a route and its target: args resolve once into a target-free model, which the
// constructors reuse, and each target's resources come back through one discriminated field.
import { expect } from "chai";
import { PROXY_CACHE_DEFAULTS } from "../components/kong/model/rules";
import * as pulumi from "@pulumi/pulumi";
import { KongOidcRoute, KongProxyCache, resolveKongOidcRouteArgs, TARGETS } from "../components";
import { ResolvedOnce } from "../components/validation";
import { record, seedApiRoute, the } from "./harness";

describe("ResolvedOnce", () => {
    function counting() {
        const calls: string[] = [];
        const once = new ResolvedOnce(
            (name: string, args: { a: number; b?: object; skip?: number }) => {
                calls.push(name);
                return { name, a: args.a };
            },
            ["skip"],
        );
        return { once, calls };
    }

    it("resolves the same name and the same property values once", () => {
        const { once, calls } = counting();
        const nested = {};
        const first = once.get("r", { a: 1, b: nested });
        const second = once.get("r", { a: 1, b: nested });
        expect(second).to.equal(first);
        expect(calls).to.deep.equal(["r"]);
    });

    it("resolves again when a property read is not the same value (nested objects compare by identity)", () => {
        const { once, calls } = counting();
        once.get("r", { a: 1, b: {} });
        once.get("r", { a: 1, b: {} });
        once.get("r", { a: 2, b: undefined });
        once.get("other", { a: 2, b: undefined });
        expect(calls).to.deep.equal(["r", "r", "r", "other"]);
    });

    it("ignores the properties the resolution does not read", () => {
        const { once, calls } = counting();
        once.get("r", { a: 1, skip: 1 });
        once.get("r", { a: 1, skip: 2 });
        expect(calls).to.deep.equal(["r"]);
    });

    it("forgets every instance's resolutions on forgetAll (test runners that change the code between runs)", () => {
        const first = counting();
        const second = counting();
        const args = { a: 1 };
        first.once.get("r", args);
        second.once.get("s", args);
        ResolvedOnce.forgetAll();
        first.once.get("r", args);
        second.once.get("s", args);
        expect(first.calls).to.deep.equal(["r", "r"]);
        expect(second.calls).to.deep.equal(["s", "s"]);
    });
});

describe("route model and emitters", () => {
    it("has one emitter per target: ingress, gateway and admin", () => {
        expect(TARGETS).to.deep.equal(["ingress", "gateway", "admin"]);
    });

    it("hands the constructor the model a stack resolved first, whatever the OIDC provider", async () => {
        const { oidc, ...args } = seedApiRoute({ namespace: "kong", cache: { ttlSeconds: 30 } });
        const resolved = resolveKongOidcRouteArgs("oidcroute", args);
        const { result: route } = await record(() => new KongOidcRoute("oidcroute", { ...args, oidc }));
        expect(route.settings).to.equal(resolved.route);
        expect(route.settings.cache).to.deep.equal({
            ttlSeconds: 30,
            contentTypes: [...PROXY_CACHE_DEFAULTS.contentTypes],
            responseCodes: [200, 301, 404],
            requestMethods: ["GET", "HEAD"],
            varyHeaders: [],
            authenticated: true,
            consumerMapping: false,
            dictionaryName: "kong_db_cache",
        });
        expect(route.cache?.settings).to.equal(resolved.route.cache);
    });

    it("keeps the model free of the target: the same route resolves to equal models on both targets", () => {
        const { oidc: _ingressOidc, ...ingress } = seedApiRoute({ namespace: "kong" });
        const { oidc: _adminOidc, ...admin } = seedApiRoute({ namespace: "kong", target: "admin" });
        void _ingressOidc;
        void _adminOidc;
        expect(resolveKongOidcRouteArgs("a", admin).route).to.deep.equal(resolveKongOidcRouteArgs("a", ingress).route);
    });

    it("exposes the ingress target's resources through route.resources", async () => {
        const { result: route, registrations } = await record(() => new KongOidcRoute("oidcroute", seedApiRoute({ namespace: "kong" })));
        const resources = route.resources;
        expect(resources.target).to.equal("ingress");
        expect(resources.auth.plugin).to.equal("openid-connect");
        if (resources.target !== "ingress" || resources.auth.plugin !== "openid-connect") {
            return;
        }
        const urns = await Promise.all(
            [resources.ingress, resources.auth.oidcPlugin, resources.auth.oidcConfigSecret, resources.upstreamService!].map(
                (r) => new Promise((ok) => r.urn.apply(ok)),
            ),
        );
        expect(urns).to.deep.equal(
            [
                ["kubernetes:networking.k8s.io/v1:Ingress", "oidcroute-ingress"],
                ["kubernetes:configuration.konghq.com/v1:KongPlugin", "oidcroute-oidc"],
                ["kubernetes:core/v1:Secret", "oidcroute-oidc-config"],
                ["kubernetes:core/v1:Service", "oidcroute-upstream"],
            ].map(([type, name]) => the(registrations, type, name).urn),
        );
    });

    it("exposes the admin target's resources through route.resources and cache.resources", async () => {
        const { result: route, registrations } = await record(
            () => new KongOidcRoute("oidcroute", seedApiRoute({ target: "admin", cache: { ttlSeconds: 30 } })),
        );
        const resources = route.resources;
        expect(resources.target).to.equal("admin");
        expect(resources.auth.plugin).to.equal("openid-connect");
        if (resources.target !== "admin" || resources.auth.plugin !== "openid-connect") {
            return;
        }
        const cache = route.cache as KongProxyCache;
        expect(cache.resources.target).to.equal("admin");
        const urnOf = (r: pulumi.Resource) => new Promise((ok) => r.urn.apply(ok));
        expect(
            await Promise.all([resources.service, resources.auth.oidcPlugin, resources.route, cache.resources.plugin].map(urnOf)),
        ).to.deep.equal(
            [
                ["kong:index/service:Service", "oidcroute-service"],
                ["kong:index/plugin:Plugin", "oidcroute-oidc"],
                ["kong:index/route:Route", "oidcroute-route"],
                ["kong:index/plugin:Plugin", "oidcroute-cache-plugin"],
            ].map(([type, name]) => the(registrations, type, name).urn),
        );
    });
});
