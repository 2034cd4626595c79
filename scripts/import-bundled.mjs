// Imports TypeScript source into a build script: bundled on the fly by
// esbuild, its packages left to resolve from node_modules (hence a file inside
// the repository), imported, then deleted.
import { build } from "esbuild";
import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

/** `input` is esbuild's entryPoints or stdin; `name` names the temporary bundle. */
export async function importBundled(name, input) {
  const dir = new URL("../node_modules/.cache/ghpat/", import.meta.url);
  await mkdir(dir, { recursive: true });
  const out = fileURLToPath(new URL(`${name}-${process.pid}.mjs`, dir));
  try {
    await build({
      ...input,
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: out,
      logLevel: "warning",
      packages: "external",
    });
    return await import(pathToFileURL(out).href);
  } finally {
    await rm(out, { force: true });
  }
}
