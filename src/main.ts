/**
 * The ES module bundle's entry: the commander program, whose commands load
 * lazily. The hottest paths (git-credential, __complete, --version) never get
 * here: bin/ghpat.js answers them from fast-path.cjs first.
 */

async function main(argv: string[]): Promise<void> {
  try {
    const { runProgram } = await import("./cli/program.js");
    await runProgram(argv);
  } catch (error) {
    const { reportError } = await import("./cli/report-error.js");
    process.exitCode = reportError(error);
  }
}

await main(process.argv.slice(2));
