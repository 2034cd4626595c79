// One bundle in dist/: a tiny entry that dispatches, and lazily loaded chunks.
import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

// Bundled CommonJS dependencies call require() and read __filename. Only the
// chunks that hold such code get the shim, so the entry stays one bare file.
const COMMONJS_SHIM =
  "import{createRequire as __ghpatCreateRequire}from'node:module';import{fileURLToPath as __ghpatPath}from'node:url';const require=__ghpatCreateRequire(import.meta.url);const __filename=__ghpatPath(import.meta.url);\n";
const needsCommonJsShim = (text) => text.includes("Dynamic require of") || /\b__filename\b/.test(text);

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { main: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  metafile: true,
  // The native keychain addon is loaded from node_modules at run time.
  external: ["@github/keytar"],
  define: { __GHPAT_VERSION__: JSON.stringify(pkg.version) },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  write: false,
}).then(async (result) => {
  await mkdir(new URL("../.build", import.meta.url), { recursive: true });
  await writeFile(new URL("../.build/meta.json", import.meta.url), JSON.stringify(result.metafile));
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, needsCommonJsShim(file.text) ? COMMONJS_SHIM + file.text : file.text);
  }
});

// git runs `ghpat git-credential` on every fetch. That path is built once more
// on its own, so it loads as one file (dist/credential/git-credential.js)
// instead of a dozen small chunks shared with the rest of the program; main.js
// imports it by path. What it imports lazily (zod, the lock, atomic writes)
// stays in separate chunks. Its outputs join the metafile.
await build({
  entryPoints: { "git-credential": "src/cli/git-credential.ts" },
  outdir: "dist/credential",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  metafile: true,
  external: ["@github/keytar"],
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  write: false,
}).then(async (result) => {
  const metaFile = new URL("../.build/meta.json", import.meta.url);
  const meta = JSON.parse(await readFile(metaFile, "utf8"));
  Object.assign(meta.inputs, result.metafile.inputs);
  Object.assign(meta.outputs, result.metafile.outputs);
  await writeFile(metaFile, JSON.stringify(meta));
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, needsCommonJsShim(file.text) ? COMMONJS_SHIM + file.text : file.text);
  }
});
