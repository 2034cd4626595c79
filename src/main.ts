/**
 * The CLI's entry (built to dist/cli/main.cjs): the commander program, whose
 * commands load lazily. The commands that run most often (git-credential,
 * __complete, list, --version) usually never get here: bin/ghpat.js answers
 * them from their own files in dist/fast/ first.
 */
import { quickExitAfterHttp } from "./github/quick-exit.js";

export async function main(argv: string[]): Promise<void> {
  try {
    // Before any API call: without it, a command waits up to 0.5 s after its output to exit (see quick-exit.ts).
    quickExitAfterHttp();
    const { runProgram } = await import("./cli/program.js");
    await runProgram(argv);
  } catch (error) {
    const { reportError } = await import("./cli/report-error.js");
    process.exitCode = reportError(error);
  }
}
