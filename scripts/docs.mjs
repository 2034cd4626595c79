// npm run docs: regenerates docs/commands.md from the program definition
// (src/cli/program.ts), bundled on the fly so that no compiled copy is needed.
import { build } from "esbuild";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const entry = `
import { buildProgram } from ${JSON.stringify(new URL("../src/cli/program.ts", import.meta.url).pathname)};
import { commandReference } from ${JSON.stringify(new URL("../src/cli/reference.ts", import.meta.url).pathname)};
export const markdown = commandReference(buildProgram());
`;
// Inside the repository, so that the bundle's external packages resolve from node_modules.
const out = fileURLToPath(new URL(`../node_modules/.cache/ghpat/docs-${process.pid}.mjs`, import.meta.url));
await mkdir(new URL("../node_modules/.cache/ghpat", import.meta.url), { recursive: true });
try {
  await build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out,
    logLevel: "warning",
    packages: "external",
  });
  const { markdown } = await import(pathToFileURL(out).href);
  await writeFile(new URL("../docs/commands.md", import.meta.url), markdown);
  console.log("Wrote docs/commands.md");
} finally {
  await rm(out, { force: true });
}
