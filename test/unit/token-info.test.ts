import { describe, expect, it } from "vitest";
import { parseExpiryHeader, parseScopes, readExpiry, readSsoUrl } from "../../src/github/token-info.js";
import { apiBaseUrl, keychainService, resolveHost, storeKind } from "../../src/config.js";
import { redact } from "../../src/ui/redact.js";
import { canaryInstallationJwt, canaryToken } from "../helpers/canary.js";

describe("what GET /user says", () => {
  it("parses both expiry header formats", () => {
    expect(parseExpiryHeader("2027-01-01 00:00:00 UTC")).toBe("2027-01-01T00:00:00.000Z");
    expect(parseExpiryHeader("2027-01-01 00:00:00 +0100")).toBe("2026-12-31T23:00:00.000Z");
    expect(parseExpiryHeader("2027-01-01 00:00:00 -0530")).toBe("2027-01-01T05:30:00.000Z");
    expect(parseExpiryHeader("soon")).toBeNull();
  });

  it("reads an absent expiry as never expiring", () => {
    expect(readExpiry({})).toEqual({ expiresAt: null, expiryKnown: true });
  });

  it("treats an expiry within a minute of Date as unknown (fine-grained quirk)", () => {
    const date = "Wed, 25 Nov 2026 10:00:00 GMT";
    expect(readExpiry({ date, "github-authentication-token-expiration": "2026-11-25 10:00:30 UTC" })).toEqual({
      expiresAt: null,
      expiryKnown: false,
    });
    expect(readExpiry({ date, "github-authentication-token-expiration": "2026-11-25 10:05:00 UTC" })).toEqual({
      expiresAt: "2026-11-25T10:05:00.000Z",
      expiryKnown: true,
    });
  });

  it("reads scopes as a comma+space list, and none for fine-grained tokens", () => {
    expect(parseScopes("repo, read:org, gist", "classic")).toEqual(["repo", "read:org", "gist"]);
    expect(parseScopes("", "classic")).toEqual([]);
    expect(parseScopes(undefined, "classic")).toBeNull();
    expect(parseScopes("", "fine-grained")).toBeNull();
  });

  it("finds the SSO URL", () => {
    expect(
      readSsoUrl({ "x-github-sso": "required; url=https://github.com/orgs/acme/sso?authorization_request=X" }),
    ).toBe("https://github.com/orgs/acme/sso?authorization_request=X");
  });
});

describe("environment variables", () => {
  it("take an empty value as unset, as a CI variable that expands to nothing gives", () => {
    expect(storeKind({ GHPAT_STORE: "" })).toBe("keychain");
    expect(storeKind({ GHPAT_STORE: "file" })).toBe("file");
    expect(storeKind({ GHPAT_STORE: "file" }, "keychain")).toBe("keychain");
    expect(() => storeKind({ GHPAT_STORE: "vault" })).toThrow(/Unknown secret store 'vault'/);
    expect(keychainService({ GHPAT_KEYCHAIN_SERVICE: "" })).toBe("ghpat");
    expect(resolveHost(undefined, { GH_HOST: "" })).toBe("github.com");
  });
});

describe("API base URLs", () => {
  it("follows docs/design.md section 5", () => {
    expect(apiBaseUrl("github.com", {})).toBe("https://api.github.com");
    expect(apiBaseUrl("acme.ghe.com", {})).toBe("https://api.acme.ghe.com");
    expect(apiBaseUrl("ghe.example.com:8443", {})).toBe("https://ghe.example.com:8443/api/v3");
    expect(apiBaseUrl("github.com", { GHPAT_API_URL: "http://127.0.0.1:9/" })).toBe("http://127.0.0.1:9");
  });
});

describe("redaction", () => {
  it("replaces known secrets and token-shaped strings with fingerprints", () => {
    const token = canaryToken();
    const out = redact(`Authorization: token ${token} and ${token}x`, [token]);
    expect(out).not.toContain(token);
    expect(out).toContain(`ghp_…${token.slice(-4)}`);
  });

  it("replaces the whole of a JWT-style installation token it was not told about, not only up to its first dot", () => {
    const jwt = canaryInstallationJwt();
    const out = redact(`request failed for ${jwt}: 401`);
    expect(out).toBe(`request failed for ghs_…${jwt.slice(-4)}: 401`);
  });
});
