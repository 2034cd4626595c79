import { describe, expect, it } from "vitest";
import { ExitCode, GhpatError } from "../../src/errors.js";
import { describeAccess } from "../../src/commands/shared/describe.js";
import { closest, parsePermission, parsePermissions, PERMISSIONS } from "../../src/core/permissions.js";
import {
  classicLink,
  creationMismatches,
  fineGrainedChecklist,
  fineGrainedLink,
  hasFineGrainedPrefill,
  lifetimeOf,
  parseExpiresIn,
} from "../../src/core/creation-link.js";

function usageError(run: () => unknown): GhpatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GhpatError);
    expect((error as GhpatError).exitCode).toBe(ExitCode.usage);
    return error as GhpatError;
  }
  throw new Error("expected a usage error");
}

describe("the fine-grained permission table", () => {
  it("holds GitHub's groups with the levels each permission allows", () => {
    expect(PERMISSIONS.get("metadata")).toMatchObject({ group: "repository", levels: ["read"] });
    expect(PERMISSIONS.get("workflows")).toMatchObject({ group: "repository", levels: ["write"] });
    expect(PERMISSIONS.get("contents")).toMatchObject({ group: "repository", levels: ["read", "write"] });
    expect(PERMISSIONS.get("organization_projects")).toMatchObject({
      group: "organization",
      levels: ["read", "write", "admin"],
    });
    expect(PERMISSIONS.get("copilot_requests")).toMatchObject({ group: "account", levels: ["write"] });
    const groups = new Set([...PERMISSIONS.values()].map((p) => p.group));
    expect(groups).toEqual(new Set(["repository", "organization", "account"]));
    for (const info of PERMISSIONS.values()) {
      expect(info.name).toMatch(/^[a-z_]+$/);
      expect(info.levels.length).toBeGreaterThan(0);
    }
  });

  it("parses NAME:LEVEL, with hyphens, capitals or = for the colon", () => {
    expect(parsePermission("contents:write")).toEqual(["contents", "write"]);
    expect(parsePermission("Pull-Requests=READ")).toEqual(["pull_requests", "read"]);
    expect(parsePermissions(["workflows:write", "contents:read", "metadata:read", "contents:read"])).toEqual({
      contents: "read",
      metadata: "read",
      workflows: "write",
    });
    expect(Object.keys(parsePermissions(["workflows:write", "actions:read"]))).toEqual(["actions", "workflows"]);
  });

  it("refuses unknown permissions and levels with a did-you-mean (exit 2)", () => {
    const typo = usageError(() => parsePermission("contnets:write"));
    expect(typo.message).toContain("'contnets' is not a fine-grained permission");
    expect(typo.hint).toContain("Did you mean 'contents'?");
    expect(usageError(() => parsePermission("pull_request:write")).hint).toContain("Did you mean 'pull_requests'?");
    const readOnly = usageError(() => parsePermission("metadata:write"));
    expect(readOnly.message).toBe("'metadata' (Metadata) cannot be 'write': it allows read only.");
    expect(readOnly.hint).toContain("metadata:read");
    expect(usageError(() => parsePermission("workflows:read")).message).toContain("allows write only");
    expect(usageError(() => parsePermission("contents:wirte")).hint).toContain("Did you mean 'contents:write'?");
    expect(usageError(() => parsePermission("contents")).message).toContain("give NAME:LEVEL");
    expect(usageError(() => parsePermissions(["contents:read", "contents:write"])).message).toContain("given twice");
    expect(closest("zzzzzzzz", PERMISSIONS.keys())).toBeNull();
  });

  it("describes declared permissions and the repositories seen, as list shows them", () => {
    expect(describeAccess({ scopes: null, permissions: { contents: "write", metadata: "read" }, owner: "acme" })).toBe(
      "contents:write, metadata:read (declared); owner acme",
    );
    expect(describeAccess({ scopes: null, permissions: {}, repositories: [] })).toBe(
      "no permissions (declared); no private repositories",
    );
    expect(describeAccess({ scopes: null, permissions: null, repositories: ["a/1", "a/2", "a/3", "a/4", "a/5"] })).toBe(
      "scopes unknown; a/1, a/2, a/3 +2 more",
    );
    expect(describeAccess({ scopes: ["repo"], permissions: { contents: "read" } })).toBe("repo");
  });
});

describe("creation links", () => {
  it("fill in the fine-grained page parameter by parameter", () => {
    const link = new URL(
      fineGrainedLink({
        host: "github.com",
        name: "deploy",
        description: "for CI & more",
        owner: "acme",
        expiresIn: 30,
        permissions: { contents: "write", metadata: "read" },
      }),
    );
    expect(link.origin + link.pathname).toBe("https://github.com/settings/personal-access-tokens/new");
    expect([...link.searchParams]).toEqual([
      ["name", "deploy"],
      ["description", "for CI & more"],
      ["target_name", "acme"],
      ["expires_in", "30"],
      ["contents", "write"],
      ["metadata", "read"],
    ]);
    const plain = new URL(
      fineGrainedLink({
        host: "acme.ghe.com",
        name: "x".repeat(60),
        description: null,
        owner: null,
        expiresIn: "none",
        permissions: {},
      }),
    );
    expect([...plain.searchParams]).toEqual([
      ["name", "x".repeat(40)],
      ["expires_in", "none"],
    ]);
    expect(plain.host).toBe("acme.ghe.com");
  });

  it("give Enterprise Server the plain page and a checklist", () => {
    expect(hasFineGrainedPrefill("github.com")).toBe(true);
    expect(hasFineGrainedPrefill("acme.ghe.com")).toBe(true);
    expect(hasFineGrainedPrefill("ghe.example.com")).toBe(false);
    const request = {
      host: "ghe.example.com",
      name: "deploy",
      description: null,
      owner: "acme",
      expiresIn: 7,
      permissions: { contents: "write", metadata: "read" },
    } as const;
    expect(fineGrainedLink(request)).toBe("https://ghe.example.com/settings/personal-access-tokens/new");
    expect(fineGrainedChecklist(request)).toEqual([
      "Token name: deploy",
      "Resource owner: acme",
      "Expiration: 7 days",
      "Repository access: only the repositories the token needs",
      "Permission Contents (repository): Read and write",
      "Permission Metadata (repository): Read-only",
    ]);
  });

  it("fill in the classic page with scopes and a note", () => {
    const link = new URL(classicLink({ host: "github.com", name: "work", scopes: ["repo", "read:org"] }));
    expect(link.pathname).toBe("/settings/tokens/new");
    expect([...link.searchParams]).toEqual([
      ["scopes", "repo,read:org"],
      ["description", "work"],
    ]);
    expect(classicLink({ host: "github.com", name: "work", scopes: ["repo", "read:org"] })).toContain(
      "scopes=repo,read:org",
    );
  });

  it("take --expires-in from 1 to 366 days, or none", () => {
    expect(parseExpiresIn("1")).toBe(1);
    expect(parseExpiresIn("366")).toBe(366);
    expect(parseExpiresIn("NONE")).toBe("none");
    for (const bad of ["0", "367", "-1", "1.5", "30d", ""])
      expect(usageError(() => parseExpiresIn(bad)).message).toContain("--expires-in");
  });

  it("learn a successor's lifetime from the record", () => {
    expect(lifetimeOf({ addedAt: "2026-01-01T00:00:00Z", expiresAt: "2026-03-02T01:00:00Z", expiryKnown: true })).toBe(
      60,
    );
    expect(lifetimeOf({ addedAt: "2026-01-01T00:00:00Z", expiresAt: null, expiryKnown: true })).toBe("none");
    expect(lifetimeOf({ addedAt: "2026-01-01T00:00:00Z", expiresAt: null, expiryKnown: false })).toBeNull();
    expect(lifetimeOf({ addedAt: "2026-01-01T00:00:00Z", expiresAt: "2028-01-01T00:00:00Z", expiryKnown: true })).toBe(
      366,
    );
    expect(lifetimeOf({ addedAt: "2026-01-01T00:00:00Z", expiresAt: "2026-01-01T02:00:00Z", expiryKnown: true })).toBe(
      1,
    );
  });
});

describe("a new token compared with its request", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

  it("passes what was asked for, with a day's slack on the expiry", () => {
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: 30 },
        { type: "fine-grained", scopes: null, expiresAt: inDays(30.9), expiryKnown: true },
        now,
      ),
    ).toEqual({ problems: [], warnings: [] });
    expect(
      creationMismatches(
        { kind: "classic", scopes: ["read:org"], expiresIn: "none" },
        { type: "classic", scopes: ["admin:org"], expiresAt: null, expiryKnown: true },
        now,
      ),
    ).toEqual({ problems: [], warnings: [] });
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: "none" },
        { type: "fine-grained", scopes: null, expiresAt: inDays(400), expiryKnown: true },
        now,
      ).problems,
    ).toEqual([]);
  });

  it("names each difference", () => {
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: "none" },
        { type: "oauth", scopes: [], expiresAt: null, expiryKnown: true },
        now,
      ).problems,
    ).toEqual(["This is an oauth token, not the fine-grained personal access token asked for."]);
    expect(
      creationMismatches(
        { kind: "classic", scopes: ["repo", "workflow"], expiresIn: "none" },
        { type: "classic", scopes: ["public_repo"], expiresAt: null, expiryKnown: true },
        now,
      ).problems,
    ).toEqual(["It lacks the scopes repo, workflow (it has public_repo)."]);
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: 7 },
        { type: "fine-grained", scopes: null, expiresAt: inDays(8.5), expiryKnown: true },
        now,
      ).problems,
    ).toEqual([`It expires ${inDays(8.5).slice(0, 10)}, later than the 7 days asked for.`]);
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: 7 },
        { type: "fine-grained", scopes: null, expiresAt: null, expiryKnown: true },
        now,
      ).problems,
    ).toEqual(["It never expires, but 7 days were asked for."]);
    expect(
      creationMismatches(
        { kind: "fine-grained", scopes: [], expiresIn: 7 },
        { type: "fine-grained", scopes: null, expiresAt: null, expiryKnown: false },
        now,
      ),
    ).toEqual({
      problems: [],
      warnings: ["GitHub did not report a usable expiry, so ghpat cannot confirm the 7 days asked for."],
    });
  });
});
