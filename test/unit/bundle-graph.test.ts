import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { ROOT } from "../helpers/sandbox.js";
import { COMMANDS } from "../../src/cli/registry.js";

/** esbuild's metafile, written by scripts/build.mjs (npm test builds first). */
interface Metafile {
  outputs: Record<
    string,
    {
      entryPoint?: string;
      inputs: Record<string, unknown>;
      imports: Array<{ path: string; kind: string; external?: boolean }>;
    }
  >;
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
/** Modules each hot bundle must hold, beyond its own folder's spec and run. */
const HOLDS: Record<string, readonly string[]> = {
  "git-credential": [
    "src/commands/git-credential/helper.ts",
    "src/core/credential-protocol.ts",
    "src/core/routing.ts",
    "src/storage/index-store.ts",
    "src/storage/keychain-store.ts",
  ],
  __complete: ["src/storage/index-reader.ts"],
  list: ["src/storage/index-reader.ts", "src/ui/output.ts"],
  api: [
    "src/core/api-route.ts",
    "src/core/routing.ts",
    "src/github/api-http.ts",
    "src/github/transport-node.ts",
    "src/storage/keychain-store.ts",
  ],
};
/** Libraries a hot bundle may require, each inside a lazily initialised module only: zod for a foreign index, undici for an API call behind a proxy. */
const LAZY_LIBRARIES = ["#keytar", "zod/mini", "undici"];
const HOT = COMMANDS.filter((c) => c.spec.hot).map((c) => ({
  name: c.spec.name,
  folder: c.spec.name.replace(/^_+/, ""),
  aliases: c.spec.aliases ?? [],
}));
const bin = readFileSync(join(ROOT, "bin", "ghpat.js"), "utf8");
const dispatch = createRequire(import.meta.url)(join(ROOT, "dist", "fast", "dispatch.cjs")) as {
  version: string;
  hot: Map<string, string>;
};

describe("the registry's hot commands", () => {
  it("are the ones the credential helper, completion and scripts run, each with its own bundle", () => {
    expect(HOT.map((c) => c.name).sort()).toEqual(["__complete", "api", "git-credential", "list"]);
    expect(Object.keys(HOLDS).sort()).toEqual(HOT.map((c) => c.name).sort());
  });

  it("are what the generated dispatch table names, aliases included, and nothing else", () => {
    expect([...dispatch.hot]).toEqual(HOT.flatMap((c) => [c.name, ...c.aliases].map((n) => [n, c.folder])));
    expect(dispatch.version).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(bin).toContain('require("../dist/fast/dispatch.cjs")');
  });
});

describe.each(HOT)("the fast path of $name", ({ name, folder }) => {
  const file = `dist/fast/${folder}.cjs`;
  const output = meta.outputs[file];
  const inputs = Object.keys(output?.inputs ?? {});
  const own = [`src/commands/${folder}/spec.ts`, `src/commands/${folder}/run.ts`];

  it("is one CommonJS file that bin/ghpat.js requires before anything else", () => {
    expect(output?.entryPoint).toBe(`ghpat-hot:ghpat-hot:${folder}`);
    expect(bin).toContain("require(`../dist/fast/${hot.get(argv[0])}.cjs`)");
    expect(JSON.parse(readFileSync(join(ROOT, "bin", "package.json"), "utf8")).type).toBe("commonjs");
    // No other file of ours: Node builtins and the keychain addon only, besides lazily loaded libraries.
    const loadedAtOnce = (output?.imports ?? []).filter((i) => i.kind !== "dynamic-import").map((i) => i.path);
    expect(loadedAtOnce.filter((path) => !path.startsWith("node:") && !LAZY_LIBRARIES.includes(path))).toEqual([]);
  });

  it("holds its command's spec, run, the generated parser and its modules", () => {
    expect(inputs).toEqual(
      expect.arrayContaining([...own, "src/cli/hot.ts", "src/cli/plain-args.ts", ...(HOLDS[name] ?? [])]),
    );
  });

  it("bundles no commander, Octokit, undici, inquirer or zod, no registry and no other command", () => {
    expect(inputs.filter((input) => HEAVY.test(input))).toEqual([]);
    // api's own HTTP code lives in src/github; Octokit's client and what is asked through it never enter a hot bundle.
    const github = (input: string) =>
      name === "api"
        ? input === "src/github/client.ts" || input === "src/github/user.ts"
        : input.startsWith("src/github/");
    expect(
      inputs.filter((input) => github(input) || input === "src/cli/program.ts" || input === "src/cli/registry.ts"),
    ).toEqual([]);
    const verbs = inputs
      .filter((input) => /^src\/commands\/(?!shared\/)[^/]+\//.test(input))
      .map((input) => input.split("/")[2]);
    expect([...new Set(verbs)]).toEqual([folder]);
  });

  it("loads zod only for an index ghpat did not validate itself, inside a lazily initialised module", () => {
    const source = readFileSync(join(ROOT, file), "utf8");
    expect(source.match(/require\("zod\/mini"\)/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it("requires undici at most once, only behind a proxy (api), never at load", () => {
    const source = readFileSync(join(ROOT, file), "utf8");
    expect(source.match(/require\("undici"\)/g)?.length ?? 0).toBe(name === "api" ? 1 : 0);
  });
});

describe("the read-only fast paths (list, __complete)", () => {
  it.each(["list", "complete"])("dist/fast/%s.cjs carries no lock, no writer and no secret store", (name) => {
    const inputs = Object.keys(meta.outputs[`dist/fast/${name}.cjs`]?.inputs ?? {});
    expect(inputs).toContain("src/storage/index-reader.ts");
    expect(
      inputs.filter((input) =>
        /^src\/storage\/(index-store|lock|atomic-file|keychain-store|file-store|vault)\.ts$/.test(input),
      ),
    ).toEqual([]);
  });
});

describe("the git-credential fast path", () => {
  it("reaches the passphrase prompt, which only the file store needs, through a lazy import", () => {
    const prompt = (meta.outputs["dist/fast/git-credential.cjs"]?.imports ?? []).filter(
      (i) => i.external && i.path === "@inquirer/prompts",
    );
    expect(prompt.length).toBeGreaterThan(0);
    expect(prompt.every((i) => i.kind === "dynamic-import")).toBe(true);
  });

  it("holds no vault, so node:crypto (about 9 ms to load) waits for the encrypted keychain read that needs it", () => {
    const inputs = Object.keys(meta.outputs["dist/fast/git-credential.cjs"]?.inputs ?? {});
    expect(inputs).toContain("src/storage/secret-session.ts");
    expect(
      inputs.filter((input) => /^src\/(storage\/vault|core\/secret-mac|storage\/scan-key)\.ts$/.test(input)),
    ).toEqual([]);
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
