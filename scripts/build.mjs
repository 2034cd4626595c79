// dist/: the CLI (cli/main.cjs and its lazily loaded chunks), one file per
// hot command (fast/*.cjs, with fast/dispatch.cjs naming them), and the library (api.js, its chunks and api.d.ts).
import { build, transform } from "esbuild";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeApiTypes } from "./api-types.mjs";
import { importBundled } from "./import-bundled.mjs";

// Bundled CommonJS dependencies call require() and read __filename. Only the
// chunks that hold such code get the shim, so the entry stays one bare file.
const COMMONJS_SHIM =
  "import{createRequire as __ghpatCreateRequire}from'node:module';import{fileURLToPath as __ghpatPath}from'node:url';const require=__ghpatCreateRequire(import.meta.url);const __filename=__ghpatPath(import.meta.url);\n";
const needsCommonJsShim = (text) => text.includes("Dynamic require of") || /\b__filename\b/.test(text);

// In the CommonJS outputs, import.meta.url (the keychain store's way to find
// keytar) becomes __ghpatModule.url, worked out only when a module asks for it.
// "use strict" comes first: a directive after this would be no directive.
const MODULE_URL = { "import.meta.url": "__ghpatModule.url" };
const MODULE_URL_PRELUDE =
  '"use strict";const __ghpatModule={get url(){return require("node:url").pathToFileURL(__filename).href}};';

const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });

/**
 * keytar, the OS keychain addon, ships inside ghpat (dist/vendor/keytar):
 * its loader, the prebuilt binaries of every platform its package carries
 * (Node-API, so one per platform serves every Node version) and its licence.
 * Its package's only install script copies one of those binaries to where
 * the loader looks first; ghpat installs with no dependency that has an
 * install script, so npm has nothing to run or to warn about. The code finds
 * it as "#keytar" (package.json "imports"). The loader becomes .cjs: the
 * package is "type": "module", and keytar's loader is CommonJS.
 */
const keytarPackage = dirname(createRequire(import.meta.url).resolve("@github/keytar/package.json"));
const vendoredKeytar = fileURLToPath(new URL("../dist/vendor/keytar", import.meta.url));
await mkdir(join(vendoredKeytar, "lib"), { recursive: true });
await cp(join(keytarPackage, "lib", "keytar.js"), join(vendoredKeytar, "lib", "keytar.cjs"));
await cp(join(keytarPackage, "prebuilds"), join(vendoredKeytar, "prebuilds"), { recursive: true });
await cp(join(keytarPackage, "LICENSE.md"), join(vendoredKeytar, "LICENSE.md"));

/**
 * commander requires child_process at load time for executable subcommands,
 * which ghpat never uses; loading it (and net, stream…) costs ~5 ms on every
 * start. Give commander a stand-in that loads the real module on first use.
 */
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "lazy-builtin" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, () => ({
      contents:
        "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: "js",
    }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node22.13",
  minify: true,
  legalComments: "none",
  metafile: true,
  // The native keychain addon is loaded at run time from dist/vendor/keytar, built above.
  external: ["#keytar"],
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
await build({
  ...common,
  entryPoints: { api: "src/api.ts" },
  outdir: "dist",
  splitting: true,
  format: "esm",
  chunkNames: "chunks/[name]-[hash]",
}).then(async (result) => {
  metafiles.push(result.metafile);
  for (const file of result.outputFiles)
    await emit(file.path, needsCommonJsShim(file.text) ? COMMONJS_SHIM + file.text : file.text);
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
    const { code } = await transform(file.text, {
      format: "cjs",
      loader: "js",
      target: "node22.13",
      supported: { "dynamic-import": false },
      minify: true,
      legalComments: "none",
    });
    await emit(file.path, `${code.includes("__ghpatModule") ? MODULE_URL_PRELUDE : '"use strict";'}${code}`);
  }
});

// Every command the registry marks hot (src/cli/registry.ts: git's credential
// requests, completion's Tab, list, api) is built once more, into one
// self-contained CommonJS file that bin/ghpat.js requires before anything
// else: the command's spec, the argument parser generated from it
// (src/cli/plain-args.ts) and its run, and nothing else. The code they share
// is repeated across the files; a process loads only one. Their dynamic
// imports stay lazy inside the file; the libraries only rare paths need (zod
// for an index ghpat did not write, the passphrase prompt, undici for an API
// call behind a proxy) are loaded from node_modules. dist/fast/dispatch.cjs maps each name and alias to its file.
const hot = await hotCommands();
const HOT_ENTRY = "ghpat-hot:";
await build({
  entryPoints: Object.fromEntries(hot.map((c) => [c.file, `${HOT_ENTRY}${c.folder}`])),
  outdir: "dist/fast",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22.13",
  minify: true,
  legalComments: "none",
  metafile: true,
  external: ["#keytar", "zod", "zod/*", "@inquirer/*", "undici", "undici/*"],
  define: { __GHPAT_VERSION__: JSON.stringify(pkg.version), ...MODULE_URL },
  banner: { js: MODULE_URL_PRELUDE },
  logLevel: "warning",
  plugins: [
    {
      name: "hot-command-entries",
      setup(build) {
        build.onResolve({ filter: /^ghpat-hot:/ }, (args) => ({ path: args.path, namespace: "ghpat-hot" }));
        build.onLoad({ filter: /.*/, namespace: "ghpat-hot" }, (args) => ({
          contents: `import command from "./src/commands/${args.path.slice(HOT_ENTRY.length)}/spec.ts";\nimport { runHot } from "./src/cli/hot.ts";\nexport const run = (argv) => runHot(command, argv);\n`,
          resolveDir: fileURLToPath(new URL("..", import.meta.url)),
          loader: "ts",
        }));
      },
    },
  ],
}).then((result) => metafiles.push(result.metafile));
const dispatch = hot.flatMap((c) => [c.name, ...c.aliases].map((name) => [name, c.file]));
await emit(
  fileURLToPath(new URL("../dist/fast/dispatch.cjs", import.meta.url)),
  `"use strict";// Generated by scripts/build.mjs from the command registry.\nexports.version=${JSON.stringify(pkg.version)};exports.hot=new Map(${JSON.stringify(dispatch)});\n`,
);

/**
 * The registry's hot commands, read from the registry itself (bundled on the
 * fly: its specs are plain data). A command's folder is its name without
 * leading underscores (`__complete` → src/commands/complete/).
 */
async function hotCommands() {
  const { COMMANDS } = await importBundled("registry", { entryPoints: ["src/cli/registry.ts"] });
  return COMMANDS.filter((c) => c.spec.hot).map(({ spec }) => {
    const folder = spec.name.replace(/^_+/, "");
    if (!existsSync(new URL(`../src/commands/${folder}/spec.ts`, import.meta.url)))
      throw new Error(`hot command ${spec.name}: no src/commands/${folder}/spec.ts`);
    return { name: spec.name, aliases: spec.aliases ?? [], folder, file: folder };
  });
}

const meta = { inputs: {}, outputs: {} };
for (const metafile of metafiles) {
  Object.assign(meta.inputs, metafile.inputs);
  Object.assign(meta.outputs, metafile.outputs);
}
await mkdir(new URL("../.build", import.meta.url), { recursive: true });
await writeFile(new URL("../.build/meta.json", import.meta.url), JSON.stringify(meta));

await writeApiTypes();
