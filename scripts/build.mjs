// dist/: the CLI (cli/main.cjs and its lazily loaded chunks), one file per
// frequent command (fast/*.cjs), and the library (api.js, its chunks and api.d.ts).
import { build, transform } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeApiTypes } from "./api-types.mjs";

// Bundled CommonJS dependencies call require() and read __filename. Only the
// chunks that hold such code get the shim, so the entry stays one bare file.
const COMMONJS_SHIM =
  "import{createRequire as __ghpatCreateRequire}from'node:module';import{fileURLToPath as __ghpatPath}from'node:url';const require=__ghpatCreateRequire(import.meta.url);const __filename=__ghpatPath(import.meta.url);\n";
const needsCommonJsShim = (text) => text.includes("Dynamic require of") || /\b__filename\b/.test(text);

// In the CommonJS outputs, import.meta.url (the keychain store's way to find
// keytar) becomes __ghpatModule.url, worked out only when a module asks for it.
// "use strict" comes first: a directive after this would be no directive.
const MODULE_URL = { "import.meta.url": "__ghpatModule.url" };
const MODULE_URL_PRELUDE = '"use strict";const __ghpatModule={get url(){return require("node:url").pathToFileURL(__filename).href}};';

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

const common = {
  bundle: true,
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  metafile: true,
  // The native keychain addon is loaded from node_modules at run time.
  external: ["@github/keytar"],
  plugins: [lazyChildProcessForCommander],
  define: { __GHPAT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: "warning",
  write: false,
};
const metafiles = [];

async function emit(file, text) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

// The library (dist/api.js): ES modules, as its users import it.
await build({ ...common, entryPoints: { api: "src/api.ts" }, outdir: "dist", splitting: true, format: "esm", chunkNames: "chunks/[name]-[hash]" }).then(async (result) => {
  metafiles.push(result.metafile);
  for (const file of result.outputFiles) await emit(file.path, needsCommonJsShim(file.text) ? COMMONJS_SHIM + file.text : file.text);
});

/**
 * The CLI (dist/cli/main.cjs and its chunks): split like the library, then
 * each file turned into CommonJS. bin/ghpat.js requires it synchronously, so a
 * command never starts Node's ES module loader, which by itself costs about
 * 10 ms here (it loads fs/promises, streams and readline to read modules);
 * lazy chunks stay lazy, as a require() inside a promise. esbuild splits ES
 * modules only, hence the second pass; its CommonJS output keeps live
 * bindings between chunks through getters.
 */
await build({
  ...common,
  entryPoints: { main: "src/main.ts" },
  outdir: "dist/cli",
  outExtension: { ".js": ".cjs" },
  splitting: true,
  format: "esm",
  chunkNames: "chunks/[name]-[hash]",
  define: { ...common.define, ...MODULE_URL },
}).then(async (result) => {
  metafiles.push(result.metafile);
  for (const file of result.outputFiles) {
    const { code } = await transform(file.text, { format: "cjs", loader: "js", target: "node20.19", supported: { "dynamic-import": false }, minify: true, legalComments: "none" });
    await emit(file.path, `${code.includes("__ghpatModule") ? MODULE_URL_PRELUDE : '"use strict";'}${code}`);
  }
});

// The commands that run most often (src/fast/*.ts) are built once more, each
// into one self-contained CommonJS file that bin/ghpat.js requires before
// anything else: one file to read and compile, holding only that command.
// The code they share is repeated across the files; a process loads only
// one. Their dynamic imports stay lazy inside the file; the libraries only
// rare paths need (zod for an index ghpat did not write, the passphrase
// prompt) are loaded from node_modules.
await build({
  entryPoints: { "git-credential": "src/fast/git-credential.ts", complete: "src/fast/complete.ts", list: "src/fast/list.ts", version: "src/fast/version.ts" },
  outdir: "dist/fast",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  minify: true,
  legalComments: "none",
  metafile: true,
  external: ["@github/keytar", "zod", "zod/*", "@inquirer/*"],
  define: { __GHPAT_VERSION__: JSON.stringify(pkg.version), ...MODULE_URL },
  banner: { js: MODULE_URL_PRELUDE },
  logLevel: "warning",
}).then((result) => metafiles.push(result.metafile));

const meta = { inputs: {}, outputs: {} };
for (const metafile of metafiles) {
  Object.assign(meta.inputs, metafile.inputs);
  Object.assign(meta.outputs, metafile.outputs);
}
await mkdir(new URL("../.build", import.meta.url), { recursive: true });
await writeFile(new URL("../.build/meta.json", import.meta.url), JSON.stringify(meta));

await writeApiTypes();
