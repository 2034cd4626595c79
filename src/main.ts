/**
 * Dispatches before anything heavy loads: `git-credential` runs on every git
 * fetch and gets its own lean entry; `--version` needs nothing at all.
 */
declare const __GHPAT_VERSION__: string;

/** A reader that closed early (`ghpat list | head`) is not an error. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
    process.stdout.write(`${__GHPAT_VERSION__}\n`);
    return;
  }
  // On every Tab of a shell completion: the index and nothing else.
  if (argv[0] === "__complete") {
    const { runComplete } = await import("./cli/complete.js");
    await runComplete(argv[1]);
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
