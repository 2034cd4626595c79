/**
 * What each fast-path bundle runs (scripts/build.mjs generates one per
 * command its spec marks hot): the plain-argument parser, then the command,
 * without commander. Anything the parser does not take goes to the program.
 */
import type { AnyCommand } from "../commands/shared/spec.js";
import { defaultContext } from "../commands/shared/context.js";
import { refuseTokenArguments } from "../commands/shared/token-argument.js";
import { parsePlainArgs } from "./plain-args.js";
import { reportError } from "./report-error.js";
import { allWritten } from "../ui/fd-write.js";

/** True when the command was taken here; false sends `argv` to the full program. */
export function runHot(command: AnyCommand, argv: readonly string[]): boolean {
  const options = parsePlainArgs(command.spec, argv.slice(1));
  if (options === null) return false;
  void invoke(command, options, argv);
  return true;
}

async function invoke(command: AnyCommand, options: Record<string, unknown>, argv: readonly string[]): Promise<void> {
  try {
    refuseTokenArguments(argv);
    const run = await command.load();
    await run(options as never, defaultContext(argv));
  } catch (error) {
    process.exitCode = reportError(error);
  }
  // The command is done and its output written: end now. Left to itself,
  // Node would first run the garbage collection V8 scheduled during the run,
  // 5 to 10 ms after the answer on git's every fetch. Output still queued in
  // a stream (a full pipe) is left to drain, and the process to end as usual.
  if (allWritten()) process.exit();
}
