import { describe, expect, it } from "vitest";
import { expandScopes, isKnownScope, missingScopes, parseScopeList } from "../../src/core/scopes.js";

describe("GitHub's scope hierarchy", () => {
  it("lets repo cover every repo:* scope and security_events", () => {
    expect(
      missingScopes(
        ["repo"],
        ["repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events", "repo"],
      ),
    ).toEqual([]);
    expect(missingScopes(["public_repo"], ["repo"])).toEqual(["repo"]);
  });

  it("walks admin ⊇ write ⊇ read chains transitively", () => {
    for (const family of ["org", "public_key", "repo_hook", "gpg_key", "ssh_signing_key"]) {
      expect(missingScopes([`admin:${family}`], [`write:${family}`, `read:${family}`])).toEqual([]);
      expect(missingScopes([`write:${family}`], [`read:${family}`])).toEqual([]);
      expect(missingScopes([`read:${family}`], [`write:${family}`])).toEqual([`write:${family}`]);
      expect(missingScopes([`write:${family}`], [`admin:${family}`])).toEqual([`admin:${family}`]);
    }
    expect(missingScopes(["admin:org"], ["manage_runners:org"])).toEqual([]);
  });

  it("covers the other documented parents", () => {
    expect(missingScopes(["write:packages"], ["read:packages"])).toEqual([]);
    expect(missingScopes(["write:packages"], ["delete:packages"])).toEqual(["delete:packages"]);
    expect(missingScopes(["user"], ["read:user", "user:email", "user:follow"])).toEqual([]);
    expect(missingScopes(["project"], ["read:project"])).toEqual([]);
    expect(
      missingScopes(
        ["admin:enterprise"],
        ["manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise", "scim:enterprise"],
      ),
    ).toEqual([]);
    expect(missingScopes(["write:discussion"], ["read:discussion"])).toEqual([]);
    expect(
      missingScopes(
        ["audit_log", "codespace", "copilot"],
        ["read:audit_log", "codespace:secrets", "manage_billing:copilot"],
      ),
    ).toEqual([]);
  });

  it("grants nothing across families", () => {
    expect(
      missingScopes(["repo", "admin:org"], ["workflow", "delete_repo", "gist", "admin:org_hook", "read:user"]),
    ).toEqual(["workflow", "delete_repo", "gist", "admin:org_hook", "read:user"]);
    expect(missingScopes([], ["repo"])).toEqual(["repo"]);
    expect([...expandScopes(["gist"])]).toEqual(["gist"]);
  });

  it("parses --require-scopes lists", () => {
    expect(parseScopeList("repo,read:org")).toEqual(["repo", "read:org"]);
    expect(parseScopeList(" Repo , read:org  workflow,,repo ")).toEqual(["repo", "read:org", "workflow"]);
    expect(parseScopeList(" , ")).toEqual([]);
  });

  it("knows the documented scope names", () => {
    expect(isKnownScope("repo:status")).toBe(true);
    expect(isKnownScope("site_admin")).toBe(true);
    expect(isKnownScope("repo:everything")).toBe(false);
  });
});
