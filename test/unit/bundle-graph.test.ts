import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/sandbox.js";

/** esbuild's metafile, written by scripts/build.mjs (npm test builds first). */
interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string }> }>;
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

const HEAVY = /node_modules\/(commander|@octokit|undici|@inquirer|zod|proper-lockfile|write-file-atomic)\//;

/** main.js imports the separately built credential entry by path (scripts/build.mjs). */
const CREDENTIAL_OUTPUT = "dist/credential/git-credential.js";

describe("the git-credential path's module graph", () => {
  const credential = staticInputs(["dist/main.js", CREDENTIAL_OUTPUT]);

  it("is the file main.js loads for git-credential, built from src/cli/git-credential.ts", () => {
    expect(meta.outputs[CREDENTIAL_OUTPUT]?.entryPoint).toBe("src/cli/git-credential.ts");
    expect(readFileSync(join(ROOT, "dist", "main.js"), "utf8")).toContain('"./credential/git-credential.js"');
  });

  it("loads as few files as possible: the entry and at most two tiny shared chunks", () => {
    const files = meta.outputs[CREDENTIAL_OUTPUT]?.imports.filter((i) => i.kind === "import-statement" && i.path in meta.outputs) ?? [];
    expect(files.length).toBeLessThanOrEqual(2);
  });

  it("holds the credential modules", () => {
    for (const file of ["src/main.ts", "src/cli/git-credential.ts", "src/commands/git-credential.ts", "src/core/credential-protocol.ts", "src/core/routing.ts", "src/storage/index-store.ts", "src/storage/keychain-store.ts"]) {
      expect(credential).toContain(file);
    }
  });

  it("loads no commander, Octokit, undici, inquirer or zod, nor the lock and atomic-write modules", () => {
    expect(credential.filter((file) => HEAVY.test(file))).toEqual([]);
    expect(credential.filter((file) => file.startsWith("src/cli/") && file !== "src/cli/git-credential.ts")).toEqual([]);
    expect(credential).not.toContain("src/core/record-schema.ts");
  });

  it("would notice them: the full program's graph has commander", () => {
    const program = staticInputs([outputOf("src/cli/program.ts")]);
    expect(program.some((file) => file.includes("node_modules/commander/"))).toBe(true);
  });

  it("keeps --version free of any chunk", () => {
    expect(meta.outputs["dist/main.js"]?.imports.filter((i) => i.kind === "import-statement" && !i.path.startsWith("node:"))).toEqual([]);
  });
});
