import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { DiffScanner, unquoteGitPath } from "../../src/core/scan/diff.js";
import { excerptOf, type FoundToken } from "../../src/core/scan/finding.js";
import { hookScript, isGhpatHook } from "../../src/core/scan/hook.js";
import { githubAnnotations } from "../../src/core/scan/report.js";
import { parseSize } from "../../src/commands/scan/run.js";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { ROOT } from "../helpers/sandbox.js";

function scanDiffText(text: string, cuts: number[] = []): FoundToken[] {
  const found: FoundToken[] = [];
  const scanner = new DiffScanner("history", (f) => found.push(f));
  const buf = Buffer.from(text);
  let last = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(buf.subarray(last, cut));
    last = cut;
  }
  scanner.push(buf.subarray(last));
  scanner.end();
  return found;
}

describe("DiffScanner", () => {
  const a = canaryToken();
  const b = canaryFineGrained();
  const removed = canaryToken();
  const log = [
    `\x01${"1".repeat(40)}`,
    "",
    "diff --git a/x.txt b/x.txt",
    "index 0000000..1111111 100644",
    "--- a/x.txt",
    "+++ b/x.txt",
    "@@ -1,0 +10,2 @@",
    "+first line",
    `+  token ${a}`,
    `-${removed}`,
    'diff --git a/"sp\\303\\251cial\\tname" b/"sp\\303\\251cial\\tname"',
    "new file mode 100644",
    "--- /dev/null",
    '+++ "b/sp\\303\\251cial\\tname"',
    "@@ -0,0 +1 @@",
    `+${b}`,
    "diff --git a/img.png b/img.png",
    "Binary files /dev/null and b/img.png differ",
    `\x01${"2".repeat(40)}`,
    "",
    "diff --git a/y b/y",
    "--- a/y",
    "+++ b/y",
    "@@ -3 +3 @@",
    `-${a}`,
    "+++ not a header but an added line starting with ++",
    "",
  ].join("\n");

  it("finds tokens on added lines only, with commit, file and new line number", () => {
    const found = scanDiffText(log);
    expect(found.map((f) => [f.token, f.finding.commit, f.finding.file, f.finding.line, f.finding.column])).toEqual([
      [a, "1".repeat(40), "x.txt", 11, 9],
      [b, "1".repeat(40), "spécial\tname", 1, 1],
    ]);
  });

  it("gives the same findings however the stream is cut into chunks", () => {
    const whole = scanDiffText(log).map((f) => f.finding);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: Buffer.byteLength(log) }), { maxLength: 8 }), (cuts) => {
        expect(scanDiffText(log, cuts).map((f) => f.finding)).toEqual(whole);
      }),
    );
  });

  it("counts commits and binary files", () => {
    const found: FoundToken[] = [];
    const scanner = new DiffScanner("history", (f) => found.push(f));
    scanner.push(Buffer.from(log));
    scanner.end();
    expect(scanner.stats).toMatchObject({ commits: 2, binary: 1, files: 4 });
  });

  it("unquotes git's C-quoted paths", () => {
    expect(unquoteGitPath('"a\\"b\\\\c\\n"')).toBe('a"b\\c\n');
    expect(unquoteGitPath("plain")).toBe("plain");
  });
});

describe("the parts of scan's output", () => {
  it("an excerpt masks every token on the line, drops controls and stays short", () => {
    const token = canaryToken();
    const other = canaryToken("gho_");
    const line = `\u001b[31m${token}\t${other} ${"x".repeat(400)}`;
    const excerpt = excerptOf(line, 1);
    expect(excerpt).not.toContain(token);
    expect(excerpt).not.toContain(other);
    expect(excerpt).not.toContain("\u001b");
    expect(excerpt.startsWith(`[31mghp_********${token.slice(-4)} gho_********`)).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(162);
  });

  it("annotations escape what would end a property or the message", () => {
    const [line] = githubAnnotations([
      {
        file: "a,b:c.txt",
        line: 2,
        column: 3,
        kind: "classic",
        fingerprint: "ghp_…ABCD",
        checksum: "valid",
        commit: null,
        name: null,
        host: null,
        source: "file",
        excerpt: "",
      },
    ]);
    expect(line).toBe(
      "::error file=a%2Cb%3Ac.txt,line=2,col=3,title=GitHub token in plain text::A classic personal access token (ghp_), ghp_…ABCD. Revoke it where it was created (or ask its owner to), then remove this copy.",
    );
  });

  it("--max-file-size takes bytes and binary suffixes", () => {
    expect(parseSize("10M")).toBe(10 * 1024 * 1024);
    expect(parseSize("512k")).toBe(512 * 1024);
    expect(parseSize("1GiB")).toBe(1024 ** 3);
    expect(parseSize("100")).toBe(100);
    expect(() => parseSize("1.5M")).toThrow(/not a size/);
  });

  it("the hook runs scan --staged by absolute paths, after a chained hook, quoted for sh", () => {
    const script = hookScript(
      { node: "/opt/node's/bin/node", script: "/x/ghpat.js" },
      "/repo/.git/hooks/pre-commit.before-ghpat",
    );
    expect(isGhpatHook(script)).toBe(true);
    expect(script).toContain(`'/repo/.git/hooks/pre-commit.before-ghpat' "$@" || exit $?`);
    expect(script.trimEnd().split("\n").at(-1)).toBe(`exec '/opt/node'\\''s/bin/node' '/x/ghpat.js' scan --staged`);
    expect(isGhpatHook("#!/bin/sh\nexec lint\n")).toBe(false);
  });

  it(".pre-commit-hooks.yaml declares the ghpat-scan hook for the pre-commit framework", () => {
    const hooks = yaml.load(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Array<
      Record<string, unknown>
    >;
    expect(hooks).toEqual([
      expect.objectContaining({
        id: "ghpat-scan",
        entry: "ghpat scan --staged",
        language: "system",
        pass_filenames: false,
      }),
    ]);
  });
});
