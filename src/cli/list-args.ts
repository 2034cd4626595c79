import { parseArgs } from "node:util";
import type { ListOptions } from "../commands/list.js";

/**
 * `list`'s own flags, for the fast path. commander defines the same flags
 * (cli/commands/tokens.ts; a test keeps the two equal) and handles everything
 * this parser does not take.
 */
export const LIST_FLAGS = { host: { type: "string" }, json: { type: "boolean" } } as const;

/**
 * `list`'s options when its arguments are plainly valid, or null for anything
 * else (help, a mistake, a global flag such as --store), which then goes to the
 * commander program for its help or its error message.
 */
export function parseListArgs(args: readonly string[]): ListOptions | null {
  try {
    const { values } = parseArgs({ args: [...args], options: LIST_FLAGS, strict: true, allowPositionals: false });
    return { host: values.host, json: values.json ?? false };
  } catch {
    return null;
  }
}
