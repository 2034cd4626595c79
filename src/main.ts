/**
 * Dispatches before anything heavy loads: `git-credential` runs on every git
 * fetch and gets its own lean entry; `--version` needs nothing at all.
 */
import { writeSync } from "node:fs";

declare const __GHPAT_VERSION__: string;

async function main(argv: string[]): Promise<void> {
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    // fs.writeSync skips building process.stdout's stream stack, most of this path's cost.
    writeSync(1, `${__GHPAT_VERSION__}\n`);
    return;
  }
  if (argv[0] === "git-credential" && !argv.includes("--help") && !argv.includes("-h")) {
    // Built on its own into one file (scripts/build.mjs); a path in a variable keeps the main bundle from inlining it.
    const entry = "./credential/git-credential.js";
    const { runGitCredentialCli } = (await import(entry)) as typeof import("./cli/git-credential.js");
    await runGitCredentialCli(argv.slice(1));
    return;
  }
  try {
    const { runProgram } = await import("./cli/program.js");
    await runProgram(argv);
  } catch (error) {
    const { reportError } = await import("./cli/report-error.js");
    process.exitCode = reportError(error);
  }
}

await main(process.argv.slice(2));
