import { indexPath, keychainService, secretsFilePath, storeKind, type Env, type StoreKind } from "../config.js";
import { passphraseFromEnvOrPrompt } from "../ui/passphrase.js";
import { FileStore } from "./file-store.js";
import { IndexStore } from "./index-store.js";
import { KeychainStore } from "./keychain-store.js";
import type { SecretStore } from "./secret-store.js";
import { Vault } from "./vault.js";

export function openIndex(env: Env = process.env): IndexStore {
  return new IndexStore(indexPath(env));
}

/** A secret store of the given kind. Nothing is loaded or unlocked until a secret is touched. */
export function openStoreOfKind(kind: StoreKind, env: Env = process.env): SecretStore {
  switch (kind) {
    case "keychain":
      return new KeychainStore(keychainService(env));
    case "file": {
      const file = secretsFilePath(env);
      return new FileStore(file, { passphrase: passphraseFromEnvOrPrompt(env, file) });
    }
  }
}

/** The configured secret store (GHPAT_STORE or --store): where new secrets go. */
export function openSecretStore(env: Env = process.env, flag?: string): SecretStore {
  return openStoreOfKind(storeKind(env, flag), env);
}

/** The index and the stores: new secrets go to the configured one; each record's secret is read from the store it names. */
export function openVault(env: Env = process.env, storeFlag?: string): Vault {
  const configured = openSecretStore(env, storeFlag);
  const others = new Map<StoreKind, SecretStore>([[configured.kind, configured]]);
  return new Vault(openIndex(env), configured, (kind) => {
    let store = others.get(kind);
    if (!store) {
      store = openStoreOfKind(kind, env);
      others.set(kind, store);
    }
    return store;
  });
}
