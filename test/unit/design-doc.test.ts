/**
 * The design the code cites lives in the repository: docs/design.md, and
 * every "docs/design.md section N" names one of its numbered sections. No
 * file cites a document the repository does not hold.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SOURCES = [
  "src",
  "test",
  "bench",
  "scripts",
  "docs",
  ".ci",
  ".github",
  "README.md",
  "CONTRIBUTING.md",
  "CHANGELOG.md",
  "eslint.config.js",
  "vitest.config.ts",
];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full, { throwIfNoEntry: false })) return [];
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => files(relative(ROOT, join(full, entry.name))));
}

const texts = SOURCES.flatMap(files)
  .filter((file) => !file.endsWith("design-doc.test.ts"))
  .map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, "utf8") }));

it("is cited, never DESIGN.md or a file outside the repository", () => {
  const outside = texts
    .filter(({ text }) => /DESIGN\.md|\.\.\/shared\/DESIGN|\/work\/shared/.test(text))
    .map(({ file }) => file);
  expect(outside).toEqual([]);
  expect(texts.filter(({ text }) => text.includes("docs/design.md section")).length).toBeGreaterThan(5);
});

it("has every section the code cites", () => {
  const design = readFileSync(join(ROOT, "docs", "design.md"), "utf8");
  const sections = new Set([...design.matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
  const cited = texts.flatMap(({ file, text }) =>
    [...text.matchAll(/docs\/design\.md`? section (\d+)/g)].map((m) => `${file}: section ${m[1]}`),
  );
  expect(cited.filter((c) => !sections.has(c.split(" ").at(-1)))).toEqual([]);
});
