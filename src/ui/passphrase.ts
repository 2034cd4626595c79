import { isInteractive, type Env } from "../config.js";
import { StoreUnavailableError, UsageError } from "../errors.js";
import { counted } from "../core/plural.js";
import type { FilePassphrase } from "../storage/passphrase-prompt.js";
import { PASSPHRASE_SOURCES_HINT, passphraseFromSources } from "../storage/passphrase-source.js";

/** Shorter than this, a new file store's passphrase gets a warning: it is all that guards the tokens in a copied file. */
export const SHORT_PASSPHRASE = 12;

/** Warns (on stderr) when the passphrase a new file store is about to be made with is short. */
export function warnIfShort(passphrase: string, file: string): void {
  const length = [...passphrase].length;
  if (length === 0 || length >= SHORT_PASSPHRASE) return;
  process.stderr.write(
    `warning: the passphrase for ${file} has ${length} characters; anyone with a copy of the file can try short ones quickly. Use ${SHORT_PASSPHRASE} or more (a few random words).\n`,
  );
}

/**
 * The file store's passphrase: --passphrase-fd, GHPAT_PASSPHRASE_FILE or
 * GHPAT_PASSPHRASE (passphrase-source.ts), else a masked prompt on a
 * terminal (never under CI, and never when `mayPrompt` is false), else exit 4
 * naming the ways to give it. A passphrase typed at the prompt that does not
 * open the file is asked for again (`askAgain`); one from a source is not.
 * A short passphrase for a new file is warned about.
 */
export function passphraseFromEnvOrPrompt(env: Env, file: string, mayPrompt = true): FilePassphrase {
  let prompted = false;
  return {
    passphrase: async (purpose) => {
      const given = passphraseFromSources(env);
      if (given !== undefined) {
        if (purpose === "create") warnIfShort(given.passphrase, file);
        return given.passphrase;
      }
      if (!mayPrompt) {
        throw new StoreUnavailableError(
          `The file store ${file} needs its passphrase, and git's credential helper never asks for one.`,
          "Set GHPAT_PASSPHRASE_FILE (or GHPAT_PASSPHRASE) where git runs, or keep the tokens git uses in the keychain ('ghpat migrate --to keychain').",
        );
      }
      if (!isInteractive(process.stdin, env) || process.stderr.isTTY !== true) {
        throw new StoreUnavailableError(
          `The file store ${file} needs its passphrase, and ghpat asks for it only on a terminal outside CI.`,
          PASSPHRASE_SOURCES_HINT,
        );
      }
      const { askSecret } = await import("./prompts.js");
      prompted = true;
      if (purpose === "open") return askSecret(`Passphrase of ${file}:`, "GHPAT_PASSPHRASE");
      const first = await askSecret(
        `New passphrase for ${file} (a long one; it cannot be recovered):`,
        "GHPAT_PASSPHRASE",
      );
      warnIfShort(first, file);
      const again = await askSecret("The same passphrase again:", "GHPAT_PASSPHRASE");
      if (first !== again)
        throw new UsageError("The two passphrases differ; nothing was stored.", "Run the command again.");
      return first;
    },
    askAgain: async (triesLeft) => {
      if (!prompted) return null;
      process.stderr.write(
        `That passphrase does not open ${file}. Try again (${counted(triesLeft, "try", "tries")} left).\n`,
      );
      const { askSecret } = await import("./prompts.js");
      return askSecret(`Passphrase of ${file}:`, "GHPAT_PASSPHRASE");
    },
  };
}
