/**
 * The ES module bundle's entry: the commander program, whose commands load
 * lazily. The hottest paths (git-credential, __complete, --version) never get
 * here: bin/ghpat.js answers them from fast-path.cjs first.
 */

/** A reader that closed early (`ghpat list | head`) is not an error. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  try {
    const { runProgram } = await import("./cli/program.js");
    await runProgram(argv);
  } catch (error) {
    const { reportError } = await import("./cli/report-error.js");
    process.exitCode = reportError(error);
  }
}

await main(process.argv.slice(2));
