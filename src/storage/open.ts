import { indexPath, keychainService, storeKind, type Env } from "../config.js";
import { IndexStore } from "./index-store.js";
import { KeychainStore } from "./keychain-store.js";
import type { SecretStore } from "./secret-store.js";
import { Vault } from "./vault.js";

export function openIndex(env: Env = process.env): IndexStore {
  return new IndexStore(indexPath(env));
}

/** The configured secret store. Nothing is loaded or unlocked until a secret is touched. */
export function openSecretStore(env: Env = process.env, flag?: string): SecretStore {
  const kind = storeKind(env, flag);
  switch (kind) {
    case "keychain":
      return new KeychainStore(keychainService(env), env);
    case "file":
      throw new Error("The file store is not built yet.");
  }
}

export function openVault(env: Env = process.env, storeFlag?: string): Vault {
  return new Vault(openIndex(env), openSecretStore(env, storeFlag));
}
