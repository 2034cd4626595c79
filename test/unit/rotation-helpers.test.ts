import { describe, expect, it } from "vitest";
import { expandScopes, missingScopes as missingFrom } from "../../src/core/scopes.js";

/** Rotation's question: does the successor's scope set grant everything the old one had? */
const missingScopes = (old: readonly string[], replacement: readonly string[]) => missingFrom(replacement, old);
const covers = (old: readonly string[], replacement: readonly string[]) => missingScopes(old, replacement).length === 0;
import { annotation, escapeData, escapeProperty } from "../../src/core/workflow-commands.js";
import { newTokenUrl, settingsUrl, successorChecklist } from "../../src/core/settings-url.js";

describe("scope coverage", () => {
  it("accepts equal and wider scope sets", () => {
    expect(covers(["repo", "read:org"], ["read:org", "repo"])).toBe(true);
    expect(covers(["repo", "read:org"], ["repo", "read:org", "gist"])).toBe(true);
    expect(covers([], [])).toBe(true);
  });

  it("follows the scope hierarchy, transitively", () => {
    expect(covers(["public_repo", "repo:status"], ["repo"])).toBe(true);
    expect(covers(["read:org"], ["admin:org"])).toBe(true);
    expect(covers(["read:public_key"], ["admin:public_key"])).toBe(true);
    expect(covers(["read:user", "user:email"], ["user"])).toBe(true);
    expect(covers(["read:packages"], ["write:packages"])).toBe(true);
    expect(expandScopes(["admin:repo_hook"])).toEqual(
      new Set(["admin:repo_hook", "write:repo_hook", "read:repo_hook"]),
    );
  });

  it("names what a narrower set lacks, never the other way round", () => {
    expect(missingScopes(["repo", "workflow", "read:org"], ["public_repo", "read:org"])).toEqual(["repo", "workflow"]);
    expect(missingScopes(["admin:org"], ["write:org"])).toEqual(["admin:org"]);
    expect(covers(["repo"], ["public_repo"])).toBe(false);
  });
});

describe("GitHub Actions workflow commands", () => {
  it("escapes % CR LF in data, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext: a,b")).toBe("100%25 done%0D%0Anext: a,b");
    expect(escapeProperty("ghpat: a,b%\n")).toBe("ghpat%3A a%2Cb%25%0A");
  });

  it("formats an annotation line", () => {
    expect(annotation("warning", { title: "ghpat: work expiring" }, "Token 'work': in 3 days.\nRotate it.")).toBe(
      "::warning title=ghpat%3A work expiring::Token 'work': in 3 days.%0ARotate it.",
    );
    expect(annotation("error", {}, "x")).toBe("::error::x");
  });
});

describe("settings URLs", () => {
  it("points classic and fine-grained tokens at their pages", () => {
    expect(settingsUrl({ host: "github.com", type: "classic" })).toBe("https://github.com/settings/tokens");
    expect(settingsUrl({ host: "github.com", type: "fine-grained" })).toBe(
      "https://github.com/settings/personal-access-tokens",
    );
  });

  it("pre-fills a classic successor with the old scopes and the name", () => {
    expect(newTokenUrl({ host: "github.com", type: "classic", name: "work", scopes: ["repo", "admin:org"] })).toBe(
      "https://github.com/settings/tokens/new?scopes=repo,admin:org&description=work",
    );
    expect(newTokenUrl({ host: "ghe.example.com", type: "classic", name: "a+b", scopes: null })).toBe(
      "https://ghe.example.com/settings/tokens/new?description=a%2Bb",
    );
  });

  it("pre-fills a fine-grained successor with the name, declared owner and permissions, and the old lifetime", () => {
    expect(newTokenUrl({ host: "github.com", type: "fine-grained", name: "x", scopes: null })).toBe(
      "https://github.com/settings/personal-access-tokens/new?name=x",
    );
    const link = new URL(
      newTokenUrl({
        host: "github.com",
        type: "fine-grained",
        name: "deploy",
        scopes: null,
        owner: "acme",
        permissions: { contents: "write" },
        addedAt: "2026-01-01T00:00:00.000Z",
        expiresAt: "2026-03-02T00:00:00.000Z",
        expiryKnown: true,
      }),
    );
    expect([...link.searchParams]).toEqual([
      ["name", "deploy"],
      ["target_name", "acme"],
      ["expires_in", "60"],
      ["contents", "write"],
    ]);
    expect(
      newTokenUrl({ host: "ghe.example.com", type: "fine-grained", name: "deploy", scopes: null, owner: "acme" }),
    ).toBe("https://ghe.example.com/settings/personal-access-tokens/new");
    expect(
      successorChecklist({
        host: "ghe.example.com",
        type: "fine-grained",
        name: "deploy",
        scopes: null,
        owner: "acme",
        permissions: { issues: "read" },
      }),
    ).toEqual([
      "Token name: deploy",
      "Resource owner: acme",
      "Repository access: only the repositories the token needs",
      "Permission Issues (repository): Read-only",
    ]);
    expect(successorChecklist({ host: "github.com", type: "fine-grained", name: "deploy", scopes: null })).toBeNull();
  });
});
