import type { ListOptions } from "../commands/list/run.js";

/**
 * `list`'s own flags, for the fast path. commander defines the same flags
 * (cli/commands/tokens.ts; a test keeps the two equal) and handles everything
 * this recognizer does not take.
 */
export const LIST_FLAGS = { host: { type: "string" }, json: { type: "boolean" } } as const;

/**
 * `list`'s options when its arguments take only the plain forms (`--json`,
 * `--host NAME`, `--host=NAME`, a final `--`), or null for anything else
 * (help, a mistake, a global flag such as --store), which then goes to the
 * commander program for its help or its error message. This recognises; it
 * does not parse: util.parseArgs would cost about 1 ms to load on each run.
 */
export function parseListArgs(args: readonly string[]): ListOptions | null {
  const options: ListOptions = { host: undefined, json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--json") options.json = true;
    else if (arg === "--host" && i + 1 < args.length && !(args[i + 1] as string).startsWith("-")) options.host = args[++i];
    else if (arg.startsWith("--host=")) options.host = arg.slice("--host=".length);
    else if (!(arg === "--" && i === args.length - 1)) return null;
  }
  return options;
}
