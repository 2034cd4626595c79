/**
 * The index and the secret stores, opened without the vault (vault.ts):
 * git's credential helper needs no more, and the vault brings node:crypto
 * (its secret comparisons and scan fingerprints), about 9 ms of every start.
 */
import { existsSync } from "node:fs";
import { indexPath, keychainService, secretsFilePath, storeKind, type Env, type StoreKind } from "../config.js";
import { IndexStore } from "./index-store.js";
import { KeychainStore } from "./keychain-store.js";
import { StoreUnavailableError } from "../errors.js";
import type { SecretStore, StoreHealth } from "./secret-store.js";

export function openIndex(env: Env = process.env): IndexStore {
  return new IndexStore(indexPath(env));
}

/**
 * The file store, whose code loads only when a secret is touched: `list`
 * and keychain users never pay for it.
 */
class LazyFileStore implements SecretStore {
  readonly kind = "file" as const;
  private store: Promise<SecretStore> | undefined;

  constructor(
    private readonly env: Env,
    private readonly mayPrompt: boolean,
  ) {}

  private open(): Promise<SecretStore> {
    this.store ??= (async () => {
      const file = secretsFilePath(this.env);
      const [{ FileStore }, passphrase] = await Promise.all([
        import("./file-store.js"),
        import("./passphrase-prompt.js").then((m) => m.filePassphrase(this.env, file, this.mayPrompt)),
      ]);
      return new FileStore(file, passphrase);
    })();
    return this.store;
  }

  async get(account: string): Promise<string | null> {
    return (await this.open()).get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    await (await this.open()).set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return (await this.open()).delete(account);
  }

  async ready(): Promise<void> {
    await (await this.open()).ready?.();
  }

  /** Opens the file (asking for its passphrase as any command would), so that a wrong passphrase fails here (doctor). */
  async health(): Promise<StoreHealth> {
    const file = secretsFilePath(this.env);
    try {
      // No account has this name: the lookup only opens and decrypts the file.
      await this.get("\n");
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        return { state: "unavailable", detail: error.message, hint: error.hint };
      throw error;
    }
    return {
      state: "ok",
      detail: existsSync(file)
        ? `The file store ${file} opens with its passphrase.`
        : `The file store ${file} holds no secret yet.`,
    };
  }
}

/**
 * A secret store of the given kind. Nothing is loaded or unlocked until a
 * secret is touched. `mayPrompt: false` (git's credential helper, whose
 * terminal belongs to git) never asks for the file store's passphrase.
 */
export function openStoreOfKind(kind: StoreKind, env: Env = process.env, { mayPrompt = true } = {}): SecretStore {
  switch (kind) {
    case "keychain":
      return new KeychainStore(keychainService(env), env);
    case "file":
      return new LazyFileStore(env, mayPrompt);
  }
}

/** The configured secret store (GHPAT_STORE or --store): where new secrets go. */
export function openSecretStore(env: Env = process.env, flag?: string): SecretStore {
  return openStoreOfKind(storeKind(env, flag), env);
}
