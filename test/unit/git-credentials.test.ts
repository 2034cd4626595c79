import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseCredentialLine,
  parseGitCredentials,
  splitLines,
  withoutCredentials,
} from "../../src/core/git-credentials.js";
import { parseGhHosts } from "../../src/core/gh-hosts.js";
import { candidatesFromGitCredentials, ghConfigDir } from "../../src/commands/import/sources.js";
import { gitCredentialsCandidates } from "../../src/storage/git-credentials-file.js";
import { canaryToken } from "../helpers/canary.js";

const line = (text: string) => parseCredentialLine(Buffer.from(text), 1);

describe("git credentials file", () => {
  it("parses URL lines the way git does, percent-decoding user, password and path", () => {
    expect(line("https://octo%40cat:p%3Ass%2Fw@GitHub.com/owner/repo.git\n")).toEqual({
      line: 1,
      protocol: "https",
      host: "github.com",
      username: "octo@cat",
      password: "p:ss/w",
      path: "owner/repo.git",
    });
    expect(line("https://u:tok@ghe.example.com:8443\r\n")).toMatchObject({
      host: "ghe.example.com:8443",
      password: "tok",
      path: "",
    });
    expect(line("http://u:tok@example.com")).toMatchObject({ protocol: "http" });
    // The user info ends at the first @ before the first slash.
    expect(line("https://u:tok@host/a@b")).toMatchObject({ host: "host", path: "a@b" });
    for (const odd of [
      "",
      "\n",
      "# comment",
      "https://host/only",
      "https://user@host",
      "https://u:%zz@host",
      "not a url",
      "https://u:p@/path",
    ]) {
      expect(line(odd), odd).toBeNull();
    }
  });

  it("splits on LF only and loses no byte", () => {
    const data = Buffer.from("a\r\nb\u2028c\rd\n\nlast");
    const lines = splitLines(data);
    expect(lines.map((l) => l.toString())).toEqual(["a\r\n", "b\u2028c\rd\n", "\n", "last"]);
    expect(Buffer.concat(lines)).toEqual(data);
  });

  it("removes only the chosen lines and keeps every other byte (property)", () => {
    const unrelated = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x0a)));
    const ending = fc.constantFrom("\n", "\r\n");
    const piece = fc.oneof(
      fc.record({ kind: fc.constant("keep" as const), body: unrelated, ending }),
      fc.record({ kind: fc.constant("drop" as const), body: fc.constant(Buffer.alloc(0)), ending }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.boolean(), (pieces, finalNewline) => {
        const token = canaryToken();
        const parts = pieces.map((p, i) => {
          const body = p.kind === "drop" ? Buffer.from(`https://user${i}:${token}@github.com/o/r${i}`) : p.body;
          const last = i === pieces.length - 1 && !finalNewline;
          return { kind: p.kind, bytes: Buffer.concat([body, Buffer.from(last ? "" : p.ending)]) };
        });
        const data = Buffer.concat(parts.map((p) => p.bytes));
        const result = withoutCredentials(data, (c) => c.password === token);
        // Every other line appears in order, byte for byte, and nothing else does.
        const kept = Buffer.concat(parts.filter((p) => p.kind === "keep").map((p) => p.bytes));
        expect(result.data.equals(kept)).toBe(true);
        expect(result.removed).toBe(parts.filter((p) => p.kind === "drop").length);
      }),
      { numRuns: 200 },
    );
  });

  it("finds GitHub tokens only, one candidate per token, with match patterns from paths", () => {
    const a = canaryToken();
    const b = canaryToken("gho_");
    const data = Buffer.from(
      [
        `https://octocat:${a}@github.com/acme/api.git`,
        `https://octocat:${a}@github.com/acme/web`,
        "https://someone:hunter2@gitlab.com",
        `https://x-access-token:${b}@GHE.example.com`,
        `http://octocat:${b}@insecure.example.com`,
        "",
      ].join("\n"),
    );
    expect(parseGitCredentials(data)).toHaveLength(5);
    const { candidates, skipped, others } = candidatesFromGitCredentials(data);
    expect(others).toBe(1);
    expect(candidates).toEqual([
      { token: a, host: "github.com", user: "octocat", match: ["acme/api", "acme/web"], where: "line 1, 2" },
      { token: b, host: "ghe.example.com", user: null, match: [], where: "line 4" },
    ]);
    expect(skipped).toEqual([{ where: "line 5", reason: expect.stringContaining("https only") }]);
  });
});

describe("where the plain-text stores are", () => {
  it("looks where git and gh look", () => {
    expect(gitCredentialsCandidates({ HOME: "/h" })).toEqual(["/h/.git-credentials", "/h/.config/git/credentials"]);
    expect(gitCredentialsCandidates({ HOME: "/h", XDG_CONFIG_HOME: "/x" })).toEqual([
      "/h/.git-credentials",
      "/x/git/credentials",
    ]);
    expect(ghConfigDir({ HOME: "/h", XDG_CONFIG_HOME: "/x", GH_CONFIG_DIR: "/g" })).toBe("/g");
    expect(ghConfigDir({ HOME: "/h", XDG_CONFIG_HOME: "/x" })).toBe("/x/gh");
    expect(ghConfigDir({ HOME: "/h" })).toBe("/h/.config/gh");
  });
});

describe("gh hosts.yml", () => {
  it("lists the top-level hosts and each one's user", () => {
    const text = [
      "github.com:",
      "    users:",
      "        monalisa:",
      "        octocat:",
      "    git_protocol: https",
      "    user: monalisa",
      '"ghe.example.com":',
      "  oauth_token: ignored",
      "  user: 'hubot' # comment",
      "# a comment:",
      "empty.example.com:",
      "",
    ].join("\r\n");
    expect(parseGhHosts(text)).toEqual([
      { host: "github.com", user: "monalisa" },
      { host: "ghe.example.com", user: "hubot" },
      { host: "empty.example.com", user: null },
    ]);
  });
});
