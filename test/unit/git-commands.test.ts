import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { splitExecArgs } from "../../src/commands/exec/run.js";
import { tokenEnvironment } from "../../src/commands/exec/run.js";
import { recentlyUsed } from "../../src/core/record.js";
import { sameSecret } from "../../src/core/same-secret.js";
import { helperCommand, helperKey, shellQuote, useHttpPathKey } from "../../src/commands/setup-git/run.js";
import { UsageError } from "../../src/errors.js";

describe("shellQuote", () => {
  const words = [
    "/usr/bin/node",
    "/opt/My Tools/bin/ghpat.js",
    "it's",
    `say "hi"`,
    "$HOME",
    "`id`",
    "a\\b",
    "C:\\Program Files\\nodejs\\node.exe",
    "semi;colon",
    "",
    "ü/ñ",
  ];

  it("leaves plain paths alone and single-quotes the rest", () => {
    expect(shellQuote("/usr/bin/node")).toBe("/usr/bin/node");
    expect(shellQuote("/opt/My Tools/x")).toBe("'/opt/My Tools/x'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it("survives the shell git runs `!` helpers with, byte for byte", () => {
    for (const word of words) {
      const result = spawnSync("sh", ["-c", `printf '%s' ${shellQuote(word)}`], { encoding: "utf8" });
      expect(result.stdout, word).toBe(word);
    }
  });

  it("builds the helper entry and the config keys", () => {
    expect(helperCommand("/usr/bin/node", "/opt/My Tools/bin/ghpat.js")).toBe(
      "!/usr/bin/node '/opt/My Tools/bin/ghpat.js' git-credential",
    );
    expect(helperKey("ghe.example.com:8443")).toBe("credential.https://ghe.example.com:8443.helper");
    expect(useHttpPathKey("github.com")).toBe("credential.https://github.com.useHttpPath");
  });
});

describe("splitExecArgs", () => {
  it("splits at the first -- and finds the optional name", () => {
    expect(splitExecArgs(["exec", "--", "gh", "repo", "list"])).toEqual({
      name: undefined,
      command: ["gh", "repo", "list"],
    });
    expect(splitExecArgs(["exec", "work", "--", "gh", "--", "x"])).toEqual({
      name: "work",
      command: ["gh", "--", "x"],
    });
    expect(splitExecArgs(["exec", "--host", "ghe.example.com", "--", "gh"])).toEqual({
      name: undefined,
      command: ["gh"],
    });
    expect(splitExecArgs(["exec", "--host=ghe.example.com", "ci", "--", "gh"])).toEqual({
      name: "ci",
      command: ["gh"],
    });
    expect(splitExecArgs(["exec", "ci", "--host", "h", "--"])).toEqual({ name: "ci", command: [] });
  });

  it("refuses a missing --, unknown options and two names", () => {
    expect(() => splitExecArgs(["exec", "gh", "repo"])).toThrow(UsageError);
    expect(() => splitExecArgs(["exec", "-x", "--", "gh"])).toThrow(/Unknown option '-x'/);
    expect(() => splitExecArgs(["exec", "a", "b", "--", "gh"])).toThrow(/at most one token name/);
  });
});

describe("credential helpers", () => {
  it("compares secrets by content, whatever their lengths", () => {
    expect(sameSecret("ghp_abc", "ghp_abc")).toBe(true);
    expect(sameSecret("ghp_abc", "ghp_abd")).toBe(false);
    expect(sameSecret("ghp_abc", "ghp_abcd")).toBe(false);
    expect(sameSecret("", "")).toBe(true);
  });

  it("counts a use within the last minute as recent, a future or unreadable one not", () => {
    const now = new Date("2026-06-01T12:00:00Z");
    expect(recentlyUsed({ lastUsedAt: null }, now)).toBe(false);
    expect(recentlyUsed({ lastUsedAt: "2026-06-01T11:59:30Z" }, now)).toBe(true);
    expect(recentlyUsed({ lastUsedAt: "2026-06-01T11:59:00Z" }, now)).toBe(false);
    expect(recentlyUsed({ lastUsedAt: "2026-06-01T12:00:30Z" }, now)).toBe(false);
    expect(recentlyUsed({ lastUsedAt: "garbage" }, now)).toBe(false);
  });
});

describe("tokenEnvironment", () => {
  it("sets gh's variables for the token's host, and GH_HOST, keeping the rest but the file store's passphrase", () => {
    expect(
      tokenEnvironment({ PATH: "/bin", GH_TOKEN: "old", EMPTY: undefined, GHPAT_PASSPHRASE: "p" }, "t", "github.com"),
    ).toEqual({ PATH: "/bin", GH_HOST: "github.com", GH_TOKEN: "t", GITHUB_TOKEN: "t" });
    expect(tokenEnvironment({}, "t", "acme.ghe.com")).toEqual({
      GH_HOST: "acme.ghe.com",
      GH_TOKEN: "t",
      GITHUB_TOKEN: "t",
    });
    expect(tokenEnvironment({ GH_HOST: "elsewhere.example" }, "t", "ghe.example.com")).toEqual({
      GH_HOST: "ghe.example.com",
      GH_ENTERPRISE_TOKEN: "t",
      GITHUB_ENTERPRISE_TOKEN: "t",
    });
  });

  it("never puts an Enterprise Server token where github.com's token belongs, and leaves the caller's github.com token as it was", () => {
    expect(tokenEnvironment({ GH_TOKEN: "mine", GITHUB_TOKEN: "mine too" }, "t", "ghe.example.com")).toEqual({
      GH_HOST: "ghe.example.com",
      GH_TOKEN: "mine",
      GITHUB_TOKEN: "mine too",
      GH_ENTERPRISE_TOKEN: "t",
      GITHUB_ENTERPRISE_TOKEN: "t",
    });
  });
});
