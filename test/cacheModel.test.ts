// A cache's settings resolved from the options a route or a KongProxyCache passes on: the paths its
// errors name, with and without the route's `cache.` prefix.
import { expect } from "chai";
import { resolveProxyCacheSettings } from "../components/kong/model/cacheModel";
import { issuesOf } from "./harness";

describe("resolveProxyCacheSettings", () => {
    const context = { authenticated: true, consumerMapping: false };
    const rule = "must be an nginx shared dict name: letters, digits and underscores";

    it("names dictionaryName under the route's cache, and alone for a KongProxyCache", () => {
        expect(issuesOf((i) => resolveProxyCacheSettings(i, "cache", { dictionaryName: "kong-cache" }, context))).to.deep.equal([
            { propertyPath: "cache.dictionaryName", value: "kong-cache", rule },
        ]);
        expect(issuesOf((i) => resolveProxyCacheSettings(i, "", { dictionaryName: "kong-cache" }, context))).to.deep.equal([
            { propertyPath: "dictionaryName", value: "kong-cache", rule },
        ]);
    });
});
