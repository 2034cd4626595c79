import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/sandbox.js";

/** esbuild's metafile, written by scripts/build.mjs (npm test builds first). */
interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

const meta = JSON.parse(readFileSync(join(ROOT, ".build", "meta.json"), "utf8")) as Metafile;

function outputOf(entryPoint: string): string {
  const found = Object.entries(meta.outputs).find(([, output]) => output.entryPoint === entryPoint);
  if (!found) throw new Error(`no output chunk for ${entryPoint}`);
  return found[0];
}

/** Every source file loaded, before any dynamic import runs, when these chunks are imported. */
function staticInputs(start: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0) {
    const chunk = queue.pop() as string;
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const imported of meta.outputs[chunk]?.imports ?? []) {
      if (imported.kind === "import-statement" && imported.path in meta.outputs) queue.push(imported.path);
    }
  }
  return [...seen].flatMap((chunk) => Object.keys(meta.outputs[chunk]?.inputs ?? {}));
}

const HEAVY = /node_modules\/(commander|@octokit|undici|@inquirer|zod)\//;
const FAST: Record<string, { entry: string; holds: readonly string[] }> = {
  "git-credential": { entry: "src/fast/git-credential.ts", holds: ["src/commands/git-credential/run.ts", "src/commands/git-credential/helper.ts", "src/core/credential-protocol.ts", "src/core/routing.ts", "src/storage/index-store.ts", "src/storage/keychain-store.ts"] },
  complete: { entry: "src/fast/complete.ts", holds: ["src/commands/complete/run.ts", "src/storage/index-reader.ts"] },
  list: { entry: "src/fast/list.ts", holds: ["src/commands/list/run.ts", "src/cli/list-args.ts", "src/storage/index-reader.ts", "src/ui/output.ts"] },
  version: { entry: "src/fast/version.ts", holds: [] },
};
const bin = readFileSync(join(ROOT, "bin", "ghpat.js"), "utf8");

describe.each(Object.entries(FAST))("the fast path dist/fast/%s.cjs", (name, { entry, holds }) => {
  const file = `dist/fast/${name}.cjs`;
  const output = meta.outputs[file];
  const inputs = Object.keys(output?.inputs ?? {});

  it("is one CommonJS file that bin/ghpat.js requires before anything else", () => {
    expect(output?.entryPoint).toBe(entry);
    expect(bin).toContain("require(`../dist/fast/${fast}.cjs`)");
    expect(bin).toContain(`"${name}"]`);
    expect(JSON.parse(readFileSync(join(ROOT, "bin", "package.json"), "utf8")).type).toBe("commonjs");
    // No other file of ours: Node builtins and the keychain addon only, besides lazily loaded libraries.
    const loadedAtOnce = (output?.imports ?? []).filter((i) => i.kind !== "dynamic-import").map((i) => i.path);
    expect(loadedAtOnce.filter((path) => !path.startsWith("node:") && path !== "@github/keytar" && path !== "zod/mini")).toEqual([]);
  });

  it("holds its command's modules", () => {
    expect(inputs).toEqual(expect.arrayContaining([entry, ...holds]));
  });

  it("bundles no commander, Octokit, undici, inquirer or zod, and no other command", () => {
    expect(inputs.filter((input) => HEAVY.test(input))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith("src/github/") || input.startsWith("src/cli/commands/") || input === "src/cli/program.ts")).toEqual([]);
    // Each command's own module stays out of the other files.
    const others = Object.values(FAST).filter((f) => f.entry !== entry && f.holds.length > 0).map((f) => f.holds[0] as string);
    expect(inputs.filter((input) => others.includes(input))).toEqual([]);
  });

  it("loads zod only for an index ghpat did not validate itself, inside a lazily initialised module", () => {
    const source = readFileSync(join(ROOT, file), "utf8");
    expect(source.match(/require\("zod\/mini"\)/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});

describe("the read-only fast paths (list, __complete)", () => {
  it.each(["list", "complete"])("dist/fast/%s.cjs carries no lock, no writer and no secret store", (name) => {
    const inputs = Object.keys(meta.outputs[`dist/fast/${name}.cjs`]?.inputs ?? {});
    expect(inputs).toContain("src/storage/index-reader.ts");
    expect(inputs.filter((input) => /^src\/storage\/(index-store|lock|atomic-file|keychain-store|file-store|vault)\.ts$/.test(input))).toEqual([]);
  });
});

describe("the git-credential fast path", () => {
  it("reaches the passphrase prompt, which only the file store needs, through a lazy import", () => {
    const prompt = (meta.outputs["dist/fast/git-credential.cjs"]?.imports ?? []).filter((i) => i.external && i.path === "@inquirer/prompts");
    expect(prompt.length).toBeGreaterThan(0);
    expect(prompt.every((i) => i.kind === "dynamic-import")).toBe(true);
  });
});

describe("the program (dist/cli)", () => {
  it("is CommonJS throughout, so no command starts the ES module loader", () => {
    const files = Object.keys(meta.outputs).filter((file) => file.startsWith("dist/cli/") && !file.endsWith(".map"));
    expect(files).toContain("dist/cli/main.cjs");
    for (const file of files) {
      expect(file).toMatch(/\.cjs$/);
      const source = readFileSync(join(ROOT, file), "utf8");
      expect(source.startsWith('"use strict";')).toBe(true);
      expect(source).not.toMatch(/\bimport\(|^import |\nimport |\bexport\s*\{/);
    }
    expect(bin).toContain('require("../dist/cli/main.cjs")');
  });

  it("would notice: the full program's graph has commander", () => {
    const program = staticInputs([outputOf("src/cli/program.ts")]);
    expect(program.some((file) => file.includes("node_modules/commander/"))).toBe(true);
  });
});
