import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRecord } from "../helpers/records.js";
import { Sandbox } from "../helpers/sandbox.js";

/** The fields `ghpat new` added: an index from before them reads as it did, and what they hold is shown (or refused when it is not what ghpat writes). */
describe("declared permissions, owner and repositories in the index", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  });
  afterEach(() => sb.cleanup());

  const write = (tokens: unknown[]) =>
    writeFileSync(sb.indexPath(), JSON.stringify({ version: 1, tokens }, null, 2), { mode: 0o600 });

  it("reads an index written before the fields existed, and lists them as null", async () => {
    write([makeRecord("old", { type: "fine-grained", fingerprint: "github_pat_…WXYZ", scopes: null })]);
    for (const args of [
      ["list", "--json"],
      ["--store", "keychain", "list", "--json"],
    ]) {
      const result = await sb.run(args);
      expect(result.code, result.stderr).toBe(0);
      const [record] = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
      expect(Object.keys(record ?? {}).slice(-4)).toEqual([
        "permissions",
        "owner",
        "repositories",
        "repositoriesCheckedAt",
      ]);
      expect(record).toMatchObject({
        name: "old",
        permissions: null,
        owner: null,
        repositories: null,
        repositoriesCheckedAt: null,
      });
    }
    expect((await sb.run(["list"])).stdout).toMatch(
      /old\s+github\.com\s+-\s+octocat\s+fine-grained\s+github_pat_…WXYZ\s+scopes unknown\s+never expires\s+valid/,
    );
  });

  it("shows declared permissions, marked as declared, and where the token reaches", async () => {
    write([
      makeRecord("deploy", {
        type: "fine-grained",
        fingerprint: "github_pat_…WXYZ",
        scopes: null,
        permissions: { contents: "write", metadata: "read" },
        owner: "acme",
        repositories: ["acme/api", "acme/web"],
        repositoriesCheckedAt: "2026-02-01T00:00:00.000Z",
      }),
      makeRecord("fresh", {
        type: "fine-grained",
        fingerprint: "github_pat_…QRST",
        scopes: null,
        permissions: { issues: "read" },
        owner: "acme",
        repositories: null,
      }),
    ]);
    const table = await sb.run(["list"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /deploy\s+github\.com\s+-\s+octocat\s+fine-grained\s+github_pat_…WXYZ\s+contents:write, metadata:read \(declared\); acme\/api, acme\/web\s+never expires\s+valid/,
    );
    expect(table.stdout).toMatch(/fresh\s+.*issues:read \(declared\); owner acme\s+never expires/);
    const json = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({
      name: "deploy",
      permissions: { contents: "write", metadata: "read" },
      owner: "acme",
      repositories: ["acme/api", "acme/web"],
      repositoriesCheckedAt: "2026-02-01T00:00:00.000Z",
    });
  });

  it.each([
    ["a permission name with an escape sequence", { permissions: { "contents\u001b[31m": "write" } }],
    ["a level GitHub has not", { permissions: { contents: "owner" } }],
    ["an owner that is no login", { owner: "acme\nevil" }],
    ["a repository that is no owner/name", { repositories: ["acme/api", "../../etc"] }],
  ])("refuses %s as a corrupt index (2), never rewriting it", async (_label, extra) => {
    write([{ ...makeRecord("bad", { type: "fine-grained", scopes: null }), ...extra }]);
    const before = readFileSync(sb.indexPath(), "utf8");
    for (const args of [["list"], ["--store", "keychain", "list", "--json"]]) {
      const result = await sb.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(sb.indexPath());
      expect(result.stdout).toBe("");
    }
    expect(readFileSync(sb.indexPath(), "utf8")).toBe(before);
  });
});
