/**
 * How the file store comes by its passphrase when it must ask a person.
 * Storage never talks to the terminal (docs/design.md section 1), so the
 * CLI provides the asking at start-up (commands/shared/context.ts), and it
 * is loaded only when a file store opens. Without it (the library, a test
 * of storage alone) a passphrase comes from its sources or not at all.
 */
import type { Env } from "../config.js";
import { StoreUnavailableError } from "../errors.js";
import type { FileStoreOptions } from "./file-store.js";

export type FilePassphrase = Pick<FileStoreOptions, "passphrase" | "askAgain">;

/** The file store's passphrase options for `file`: from a source, else from a person when `mayPrompt`. */
export type PassphraseProvider = (env: Env, file: string, mayPrompt: boolean) => FilePassphrase;

// Set by every command line run, git's helper included: what it imports must stay this small.
let load: (() => Promise<PassphraseProvider>) | undefined;

export function providePassphrasePrompt(loader: () => Promise<PassphraseProvider>): void {
  load = loader;
}

const fromSourcesOnly: PassphraseProvider = (env, file) => ({
  passphrase: async () => {
    const { PASSPHRASE_SOURCES_HINT, passphraseFromSources } = await import("./passphrase-source.js");
    const given = passphraseFromSources(env);
    if (given !== undefined) return given.passphrase;
    throw new StoreUnavailableError(
      `The file store ${file} needs its passphrase, and none was given.`,
      PASSPHRASE_SOURCES_HINT,
    );
  },
});

export async function filePassphrase(env: Env, file: string, mayPrompt: boolean): Promise<FilePassphrase> {
  const provider = load === undefined ? fromSourcesOnly : await load();
  return provider(env, file, mayPrompt);
}
