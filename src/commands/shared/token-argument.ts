import { UsageError } from "../../errors.js";
import { looksLikeToken, SHORTEST_TOKEN, TOKEN_IN_TEXT } from "../../core/token-format.js";

/** A token anywhere inside a value, e.g. `--note "old ghp_…"`. */
const EMBEDDED_TOKEN = new RegExp(TOKEN_IN_TEXT);

/**
 * A token is never accepted on the command line, in any position or option
 * (`--note`, `--host`, `--match=...`): it would land in shell history, in
 * `ps`, and wherever the option's value is kept. Arguments after `--` belong
 * to another program (`ghpat exec -- cmd ...`) and are not looked at.
 */
export function refuseTokenArguments(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === "--") return;
    refuseTokenArgument(arg.startsWith("--") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : arg);
  }
}

/** One value that must not be a token: a name, a file, an option's value (the library's callers pass names directly). */
export function refuseTokenArgument(value: string | undefined): void {
  // Most arguments are short; the patterns below are compiled only when one is not.
  if (value === undefined || value.length < SHORTEST_TOKEN) return;
  if (looksLikeToken(value) || EMBEDDED_TOKEN.test(value)) {
    throw new UsageError(
      "An argument looks like a token. Tokens given on the command line end up in shell history and in 'ps'.",
      "Pass it on standard input with --stdin, or run the command on a terminal and paste it at the prompt. Then revoke this one, since it may have been recorded.",
    );
  }
}
