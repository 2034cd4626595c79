import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/sandbox.js";

const SRC = join(ROOT, "src");

/** Every import of every source file, type-only and dynamic ones too, as TypeScript itself reads them. */
function imports(): Array<{ from: string; to: string }> {
  const edges: Array<{ from: string; to: string }> = [];
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((path) => path.endsWith(".ts"));
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      const to = fileName.startsWith(".")
        ? relative(SRC, resolve(dirname(join(SRC, file)), fileName)).replace(/\.js$/, ".ts")
        : `package:${fileName}`;
      edges.push({ from: file, to });
    }
  }
  return edges;
}

const layerOf = (path: string) => path.split("/")[0] as string;
const edges = imports();
const broken = (rule: (edge: { from: string; to: string }) => boolean) =>
  edges.filter(rule).map(({ from, to }) => `${from} -> ${to}`);

describe("the layers of src/ (docs/design.md and CONTRIBUTING.md): every import points down", () => {
  it("reads the imports at all: the walk sees the registry's lazy imports of every verb", () => {
    expect(edges.filter((e) => e.from === "cli/registry.ts" && e.to.startsWith("commands/")).length).toBeGreaterThan(
      15,
    );
  });

  it("core is pure: it imports only core, errors, config and side-effect-free modules", () => {
    const pure = new Set(["package:node:crypto", "package:node:path", "package:zod/mini"]);
    expect(
      broken(
        ({ from, to }) =>
          layerOf(from) === "core" &&
          !(layerOf(to) === "core" || to === "errors.ts" || to === "config.ts" || pure.has(to)),
      ),
    ).toEqual([]);
  });

  it("storage, github and git know nothing of commands, the CLI or the terminal", () => {
    expect(
      broken(
        ({ from, to }) =>
          ["storage", "github", "git"].includes(layerOf(from)) && ["commands", "cli", "ui"].includes(layerOf(to)),
      ),
    ).toEqual([]);
  });

  it("ui prints and asks; it does not reach into commands or the CLI", () => {
    expect(broken(({ from, to }) => layerOf(from) === "ui" && ["commands", "cli"].includes(layerOf(to)))).toEqual([]);
  });

  it("no verb imports another verb: what two verbs share lives in commands/shared or core", () => {
    const verbOf = (path: string) => (path.startsWith("commands/") ? path.split("/")[1] : undefined);
    expect(
      broken(
        ({ from, to }) =>
          verbOf(from) !== undefined &&
          verbOf(to) !== undefined &&
          verbOf(to) !== "shared" &&
          verbOf(from) !== verbOf(to),
      ),
    ).toEqual([]);
  });
});
