import { parseListArgs } from "../cli/list-args.js";
import { refuseTokenArguments } from "../commands/shared/token-argument.js";
import { reportError } from "../cli/report-error.js";
import { runList, type ListOptions } from "../commands/list/run.js";
import { defaultContext } from "../commands/shared/context.js";

/** `ghpat list` with plain arguments, what scripts run; anything else (help, a mistake, --store) goes to the program. */
export function run(argv: readonly string[]): boolean {
  const options = parseListArgs(argv.slice(1));
  if (options === null) return false;
  void list(argv, options);
  return true;
}

async function list(argv: readonly string[], options: ListOptions): Promise<void> {
  try {
    refuseTokenArguments(argv);
    await runList(options, defaultContext());
  } catch (error) {
    process.exitCode = reportError(error);
  }
}
