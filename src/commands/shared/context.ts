import type { Env } from "../../config.js";
import { providePassphrasePrompt } from "../../storage/passphrase-prompt.js";
import { createOutput, type Output } from "../../ui/output.js";
import { readAll } from "../../ui/stdin.js";

/** What a command may touch besides its options; tests can give their own. */
export interface Context {
  env: Env;
  out: Output;
  readStdin(): Promise<Buffer>;
  now(): Date;
  /** The program's arguments as given, for a verb that reads past its options (exec's `--`). */
  argv: readonly string[];
  /** The node binary and ghpat's script, absolute, for what ghpat writes into other programs' configuration. */
  self: { node: string; script: string };
}

/** The context of a command run from the command line, where a person may be asked for the file store's passphrase. */
export function defaultContext(argv: readonly string[] = process.argv.slice(2)): Context {
  providePassphrasePrompt(async () => (await import("../../ui/passphrase.js")).passphraseFromEnvOrPrompt);
  let out: Output | undefined;
  return {
    env: process.env,
    // Made on first use: git's credential requests never print through it.
    get out() {
      out ??= createOutput();
      return out;
    },
    readStdin: () => readAll(),
    now: () => new Date(),
    argv,
    self: { node: process.execPath, script: process.argv[1] ?? "ghpat" },
  };
}
