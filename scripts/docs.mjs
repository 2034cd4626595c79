// npm run docs: regenerates docs/commands.md from the program definition
// (src/cli/program.ts), bundled on the fly so that no compiled copy is needed.
import { writeFile } from "node:fs/promises";
import { importBundled } from "./import-bundled.mjs";

const entry = `
import { buildProgram } from ${JSON.stringify(new URL("../src/cli/program.ts", import.meta.url).pathname)};
import { commandReference } from ${JSON.stringify(new URL("../src/cli/reference.ts", import.meta.url).pathname)};
export const markdown = commandReference(buildProgram());
`;
const { markdown } = await importBundled("docs", {
  stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts" },
});
await writeFile(new URL("../docs/commands.md", import.meta.url), markdown);
console.log("Wrote docs/commands.md");
