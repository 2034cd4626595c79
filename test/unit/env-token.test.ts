import { describe, expect, it } from "vitest";
import { envFallbackAllowed, envToken } from "../../src/core/env-token.js";
import { secretFitsRecord } from "../../src/core/slot-owner.js";
import { fingerprint } from "../../src/core/token-format.js";
import { canaryToken } from "../helpers/canary.js";

const cloud = { GH_TOKEN: "gh-env", GH_ENTERPRISE_TOKEN: "ghe-env" };

describe("envFallbackAllowed: one rule for git-credential, token and exec", () => {
  it("gives a *.ghe.com tenant's GH_TOKEN to that tenant, and github.com nothing", () => {
    const tenant = { ...cloud, GH_HOST: "acme.ghe.com" };
    expect(envFallbackAllowed("acme.ghe.com", [], tenant)).toBe(true);
    expect(envFallbackAllowed("ACME.ghe.com", [], tenant)).toBe(true);
    expect(envFallbackAllowed("github.com", ["github.com"], tenant)).toBe(false);
    expect(envToken("github.com", ["github.com"], tenant)).toBeUndefined();
    expect(envToken("acme.ghe.com", [], tenant)).toEqual({ token: "gh-env", variable: "GH_TOKEN" });
  });

  it("keeps github.com's GH_TOKEN beside an Enterprise Server's GH_HOST, and gives no other host anything", () => {
    const server = { ...cloud, GH_HOST: "ghe.example.com" };
    expect(envToken("github.com", [], server)).toEqual({ token: "gh-env", variable: "GH_TOKEN" });
    expect(envToken("ghe.example.com", [], server)).toEqual({ token: "ghe-env", variable: "GH_ENTERPRISE_TOKEN" });
    expect(envToken("other.example.com", ["other.example.com"], server)).toBeUndefined();
    expect(envToken("acme.ghe.com", ["acme.ghe.com"], server)).toBeUndefined();
  });

  it("without GH_HOST: github.com and stored hosts only, never a host a URL or --host merely names", () => {
    expect(envToken("github.com", [], cloud)?.variable).toBe("GH_TOKEN");
    expect(envToken("ghe.example.com", ["ghe.example.com"], cloud)?.variable).toBe("GH_ENTERPRISE_TOKEN");
    for (const host of ["evil.example", "evil.ghe.com", "ghe.example.com", "api.github.com", ""])
      expect(envToken(host, [], cloud), host).toBeUndefined();
  });
});

describe("secretFitsRecord", () => {
  it("accepts the record's own token and the successor it announced, and nothing else", () => {
    const own = canaryToken();
    const next = canaryToken();
    const foreign = canaryToken();
    expect(secretFitsRecord({ fingerprint: fingerprint(own) }, own)).toBe(true);
    expect(secretFitsRecord({ fingerprint: fingerprint(own) }, foreign)).toBe(false);
    expect(secretFitsRecord({ fingerprint: fingerprint(own) }, next)).toBe(false);
    expect(secretFitsRecord({ fingerprint: fingerprint(own), pendingFingerprint: fingerprint(next) }, next)).toBe(true);
  });
});
