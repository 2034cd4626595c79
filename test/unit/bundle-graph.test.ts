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

const FAST_PATH = "dist/fast-path.cjs";
const HEAVY = /node_modules\/(commander|@octokit|undici|@inquirer|zod)\//;
const fastPath = meta.outputs[FAST_PATH];

describe("the fast path (git-credential, __complete, --version)", () => {
  it("is the one CommonJS file bin/ghpat.js requires before anything else", () => {
    expect(fastPath?.entryPoint).toBe("src/fast-path.ts");
    const bin = readFileSync(join(ROOT, "bin", "ghpat.js"), "utf8");
    expect(bin).toContain('require("../dist/fast-path.cjs")');
    expect(JSON.parse(readFileSync(join(ROOT, "bin", "package.json"), "utf8")).type).toBe("commonjs");
    // No other file of ours: Node builtins and the keychain addon only, besides lazily loaded libraries.
    const loadedAtOnce = (fastPath?.imports ?? []).filter((i) => i.kind !== "dynamic-import").map((i) => i.path);
    expect(loadedAtOnce.filter((path) => !path.startsWith("node:") && path !== "@github/keytar" && path !== "zod/mini")).toEqual([]);
  });

  it("holds the credential modules", () => {
    const inputs = Object.keys(fastPath?.inputs ?? {});
    for (const file of ["src/fast-path.ts", "src/cli/git-credential.ts", "src/commands/git-credential.ts", "src/core/credential-protocol.ts", "src/core/routing.ts", "src/storage/index-store.ts", "src/storage/keychain-store.ts", "src/cli/complete.ts"]) {
      expect(inputs).toContain(file);
    }
  });

  it("bundles no commander, Octokit, undici, inquirer or zod, and none of the program", () => {
    const inputs = Object.keys(fastPath?.inputs ?? {});
    expect(inputs.filter((file) => HEAVY.test(file))).toEqual([]);
    expect(inputs.filter((file) => file.startsWith("src/cli/") && file !== "src/cli/git-credential.ts" && file !== "src/cli/complete.ts")).toEqual([]);
    expect(inputs.filter((file) => file.startsWith("src/github/"))).toEqual([]);
  });

  it("reaches the libraries only its rare paths need through lazy imports", () => {
    const external = (fastPath?.imports ?? []).filter((i) => i.external && !i.path.startsWith("node:"));
    const prompt = external.filter((i) => i.path === "@inquirer/prompts");
    expect(prompt.length).toBeGreaterThan(0);
    expect(prompt.every((i) => i.kind === "dynamic-import")).toBe(true);
    // zod/mini is required inside the lazily initialised schema module: built into the file, run only for an index ghpat did not validate itself.
    const source = readFileSync(join(ROOT, FAST_PATH), "utf8");
    expect(source.match(/require\("zod\/mini"\)/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it("would notice: the full program's graph has commander", () => {
    const program = staticInputs([outputOf("src/cli/program.ts")]);
    expect(program.some((file) => file.includes("node_modules/commander/"))).toBe(true);
  });
});
