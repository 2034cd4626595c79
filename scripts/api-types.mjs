// dist/api.d.ts: the library's declarations in one file, generated from
// src/api/contract.ts by dts-bundle-generator. Generating takes seconds (a
// TypeScript compile), so the result is cached in node_modules/.cache/ghpat/ under a digest of
// every file it depends on; a build that changed none of them copies it.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = join(ROOT, "src/api/contract.ts");
const CACHE_DIR = join(ROOT, "node_modules/.cache/ghpat");
const OUTPUT = join(ROOT, "dist/api.d.ts");

/** The entry and every local module it imports, types included, followed transitively. */
async function sourceClosure(entry) {
  const seen = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, "utf8");
    for (const match of text.matchAll(
      /\bfrom\s+["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
    )) {
      const specifier = match[1] ?? match[2];
      pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
    }
  }
  return [...seen].sort();
}

async function cacheKey() {
  const require = createRequire(import.meta.url);
  const hash = createHash("sha256");
  hash.update(require("dts-bundle-generator/package.json").version);
  for (const file of [join(ROOT, "tsconfig.json"), join(ROOT, "package-lock.json"), ...(await sourceClosure(ENTRY))]) {
    hash
      .update(relative(ROOT, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

export async function writeApiTypes() {
  const key = await cacheKey();
  const cached = join(CACHE_DIR, `api-${key}.d.ts`);
  await mkdir(dirname(OUTPUT), { recursive: true });
  try {
    await copyFile(cached, OUTPUT);
    return;
  } catch {
    // Not cached yet: generate below.
  }
  const { generateDtsBundle } = await import("dts-bundle-generator");
  const [text] = generateDtsBundle([{ filePath: ENTRY, output: { noBanner: true } }], {
    preferredConfigPath: join(ROOT, "tsconfig.json"),
  });
  await mkdir(CACHE_DIR, { recursive: true });
  for (const old of (await readdir(CACHE_DIR)).filter((f) => /^api-[0-9a-f]+\.d\.ts$/.test(f)))
    await rm(join(CACHE_DIR, old), { force: true });
  await writeFile(cached, text);
  await copyFile(cached, OUTPUT);
}
