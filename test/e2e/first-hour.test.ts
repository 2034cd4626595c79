import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { useWorld } from "../helpers/suite.js";

/**
 * What a newcomer met in the first hour (issue 23): words that did not fit
 * the case, input that should have been taken, failures found too late.
 * Each test runs the built CLI against the fake API and reads its request log.
 */
const DAY = 86_400_000;

describe("verify --stdin checks the format before asking GitHub", () => {
  const { api, sandbox } = useWorld({ store: "file" });
  const noStore = { GHPAT_PASSPHRASE: undefined };

  it("calls a too-short or too-long token malformed and sends nothing", async () => {
    const sb = sandbox();
    for (const input of ["ghp_abc", `ghp_${"a".repeat(4996)}`]) {
      const result = await sb.run(["verify", "--stdin"], { input, env: noStore });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain("malformed");
      expect(result.stderr).toContain("Nothing was sent to GitHub");
      expect(result.stderr).not.toMatch(/revoked|ghpat rotate/);
      expect(result.stdout).toBe("");
    }
    expect(api.requests).toEqual([]);
  });

  it("gives no advice to rotate a token it does not store when GitHub rejects it", async () => {
    const sb = sandbox();
    const unknown = sb.canary(canaryToken());
    const result = await sb.run(["verify", "--stdin"], { input: unknown, env: noStore });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/\(stdin\)\s+github\.com\s+-\s+revoked/);
    expect(result.stderr).not.toContain("ghpat rotate");
    expect(result.stderr).toContain("nothing to rotate or remove");
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
  });
});

describe("remove says what is left on GitHub", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("does not claim an expired or revoked token still works, and still gives the revoke page for a live one", async () => {
    const sb = sandbox();
    const past = new Date(Date.now() - 3 * DAY).toISOString();
    sb.seed([
      { name: "old", token: sb.canary(canaryToken()), expiresAt: past, expiryKnown: true, status: "valid" },
      { name: "dead", token: sb.canary(canaryToken()), status: "revoked" },
      { name: "live", token: sb.canary(canaryToken()), status: "valid" },
    ]);
    const old = await sb.run(["remove", "old", "--yes"]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).not.toContain("still works");
    expect(old.stderr).toContain(`It expired on ${past.slice(0, 10)}, so it no longer works on GitHub either.`);
    const dead = await sb.run(["remove", "dead", "--yes"]);
    expect(dead.code, dead.stderr).toBe(0);
    expect(dead.stderr).not.toContain("still works");
    expect(dead.stderr).toContain("GitHub already refused it");
    const live = await sb.run(["remove", "live", "--yes"]);
    expect(live.stderr).toContain("It still works on GitHub until you revoke it: https://github.com/settings/tokens");
  });
});

describe("revoke-reminder advises 'ghpat revoke' only where it works", () => {
  const { sandbox } = useWorld({ store: "file" });

  it("gives the settings page for a token off github.com, in the annotations and in --check's hint", async () => {
    const sb = sandbox();
    sb.seed([
      { name: "enterprise", host: "ghe.example.com", token: sb.canary(canaryToken()), status: "valid", scopes: ["delete_repo"], lastVerifiedAt: new Date().toISOString() },
      { name: "dotcom", token: sb.canary(canaryToken()), status: "valid", scopes: ["delete_repo"], lastVerifiedAt: new Date().toISOString() },
    ]);
    const result = await sb.run(["revoke-reminder", "--format", "github", "--check"]);
    expect(result.code).toBe(1);
    const enterprise = result.stdout.split("\n").filter((l) => l.includes("'enterprise'") && l.includes("broad-scopes"));
    expect(enterprise).toHaveLength(1);
    expect(enterprise[0]).toContain("revoke it on its settings page, https://ghe.example.com/settings/tokens");
    expect(enterprise[0]).not.toContain("ghpat revoke");
    const dotcom = result.stdout.split("\n").find((l) => l.includes("'dotcom'") && l.includes("broad-scopes"));
    expect(dotcom).toContain("revoke it with 'ghpat revoke dotcom'");
    expect(result.stderr).toContain("'ghpat revoke NAME' works on github.com only");
  });
});
