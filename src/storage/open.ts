import type { Env } from "../config.js";
import { openIndex, openSecretStore, openStoreOfKind } from "./open-store.js";
import type { SecretStore } from "./secret-store.js";
import type { StoreKind } from "../core/record.js";
import { Vault } from "./vault.js";

export { openIndex, openSecretStore, openStoreOfKind } from "./open-store.js";

/** The index and the stores: new secrets go to the configured one; each record's secret is read from the store it names. */
export function openVault(env: Env = process.env, storeFlag?: string): Vault {
  const configured = openSecretStore(env, storeFlag);
  const opened = new Map<StoreKind, SecretStore>([[configured.kind, configured]]);
  return new Vault(openIndex(env), configured, (kind) => {
    let store = opened.get(kind);
    if (!store) {
      store = openStoreOfKind(kind, env);
      opened.set(kind, store);
    }
    return store;
  });
}
