import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { childEnvironment } from "../../src/config.js";

const SRC = join(import.meta.dirname, "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every call that starts a program, with the text of its arguments up to the closing parenthesis of the call. */
function processStarts(text: string): string[] {
  const calls: string[] = [];
  // Not a method call such as a regular expression's .exec(): the functions node:child_process exports.
  const start = /(?<![.\w])(spawn|spawnSync|execFile|execFileSync|execSync|exec|fork)\(/g;
  for (let match = start.exec(text); match !== null; match = start.exec(text)) {
    // Skip mentions in comments and the import line.
    const lineStart = text.lastIndexOf("\n", match.index) + 1;
    const line = text.slice(lineStart, match.index);
    if (/^\s*(\*|\/\/)/.test(line) || /\bimport\b/.test(line)) continue;
    let depth = 0;
    let end = match.index + match[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === "(") depth++;
      else if (text[end] === ")" && --depth === 0) break;
    }
    calls.push(text.slice(match.index, end + 1));
  }
  return calls;
}

describe("the environment of every program ghpat starts", () => {
  it("comes from childEnvironment (directly or through exec's tokenEnvironment)", () => {
    const offenders: string[] = [];
    let found = 0;
    for (const file of sources(SRC)) {
      for (const call of processStarts(readFileSync(file, "utf8"))) {
        found++;
        if (!/env: (\{ \.\.\.)?(childEnvironment|tokenEnvironment)\(/.test(call))
          offenders.push(`${relative(SRC, file)}: ${call.slice(0, 120)}`);
      }
    }
    expect(found).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });

  it("never holds the passphrase or the descriptor --passphrase-fd names, and keeps the rest", () => {
    expect(
      childEnvironment({
        PATH: "/bin",
        GHPAT_PASSPHRASE: "p",
        GHPAT_PASSPHRASE_FD: "3",
        GHPAT_PASSPHRASE_FILE: "/run/p",
        UNSET: undefined,
      }),
    ).toEqual({ PATH: "/bin", GHPAT_PASSPHRASE_FILE: "/run/p" });
  });
});
