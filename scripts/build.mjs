// One bundle in dist/: a tiny CLI entry that dispatches, the library entry
// (dist/api.js and its type declarations dist/api.d.ts), and lazily loaded chunks.
import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeApiTypes } from "./api-types.mjs";

// Bundled CommonJS dependencies call require() and read __filename. Only the
// chunks that hold such code get the shim, so the entry stays one bare file.
const COMMONJS_SHIM =
  "import{createRequire as __ghpatCreateRequire}from'node:module';import{fileURLToPath as __ghpatPath}from'node:url';const require=__ghpatCreateRequire(import.meta.url);const __filename=__ghpatPath(import.meta.url);\n";
const needsCommonJsShim = (text) => text.includes("Dynamic require of") || /\b__filename\b/.test(text);

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });

/**
 * commander requires child_process at load time for executable subcommands,
 * which ghpat never uses; loading it (and net, stream…) costs ~5 ms on every
 * start. Give commander a stand-in that loads the real module on first use.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "lazy-builtin" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: "js",
    }));
  },
};

await build({
  entryPoints: { main: "src/main.ts", api: "src/api.ts" },
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
  plugins: [lazyChildProcessForCommander],
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

// The fast path (src/fast-path.ts: git-credential, __complete, --version) is
// built once more as a single CommonJS file, which bin/ghpat.js requires
// before anything else: no ES module loader, one file to read. Its dynamic
// imports stay lazy inside the file; the libraries only its rare paths need
// (zod for an index ghpat did not write, the passphrase prompt) are loaded
// from node_modules.
await build({
  entryPoints: { "fast-path": "src/fast-path.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  metafile: true,
  external: ["@github/keytar", "zod", "zod/*", "@inquirer/*"],
  define: { __GHPAT_VERSION__: JSON.stringify(pkg.version), "import.meta.url": "__ghpatModuleUrl" },
  banner: { js: 'const __ghpatModuleUrl=require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
}).then(async (result) => {
  const metaFile = new URL("../.build/meta.json", import.meta.url);
  const meta = JSON.parse(await readFile(metaFile, "utf8"));
  Object.assign(meta.inputs, result.metafile.inputs);
  Object.assign(meta.outputs, result.metafile.outputs);
  await writeFile(metaFile, JSON.stringify(meta));
});

await writeApiTypes();
