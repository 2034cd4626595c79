import { isInteractive, type Env } from "../config.js";
import { StoreUnavailableError, UsageError } from "../errors.js";
import type { PassphraseSource } from "../storage/file-store.js";

/**
 * The file store's passphrase: --passphrase-fd, GHPAT_PASSPHRASE_FILE or
 * GHPAT_PASSPHRASE (passphrase-source.ts), else a masked prompt on a
 * terminal (never under CI, and never when `mayPrompt` is false), else exit 4
 * naming the ways to give it.
 */
export function passphraseFromEnvOrPrompt(env: Env, file: string, mayPrompt = true): PassphraseSource {
  return async (purpose) => {
    const { passphraseFromSources } = await import("../storage/passphrase-source.js");
    const given = passphraseFromSources(env);
    if (given !== undefined) return given.passphrase;
    if (!mayPrompt) {
      throw new StoreUnavailableError(
        `The file store ${file} needs its passphrase, and git's credential helper never asks for one.`,
        "Set GHPAT_PASSPHRASE_FILE (or GHPAT_PASSPHRASE) where git runs, or keep the tokens git uses in the keychain ('ghpat migrate --to keychain').",
      );
    }
    if (!isInteractive(process.stdin, env) || process.stderr.isTTY !== true) {
      throw new StoreUnavailableError(
        `The file store ${file} needs its passphrase, and ghpat asks for it only on a terminal outside CI.`,
        "Give it with --passphrase-fd N or GHPAT_PASSPHRASE_FILE (a file readable by you alone), or GHPAT_PASSPHRASE (in CI, from a secret). Commands that only read the index, such as 'ghpat list', need none.",
      );
    }
    const { askSecret } = await import("./prompts.js");
    if (purpose === "open") return askSecret(`Passphrase of ${file}:`, "GHPAT_PASSPHRASE");
    const first = await askSecret(`New passphrase for ${file} (a long one; it cannot be recovered):`, "GHPAT_PASSPHRASE");
    const again = await askSecret("The same passphrase again:", "GHPAT_PASSPHRASE");
    if (first !== again) throw new UsageError("The two passphrases differ; nothing was stored.", "Run the command again.");
    return first;
  };
}
