import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from "vitest";
import { FakeGitHub } from "./fake-github.js";
import { Sandbox, type SandboxOptions, type StoreKind } from "./sandbox.js";

/** Keychain suites run only where the harness could start a keyring (CI always can: global-setup fails otherwise). */
export const keyringEnv = inject("keyringEnv");
export const describeKeychain = keyringEnv ? describe : describe.skip;

/** Every secret store ghpat has; suites that must hold for each run once per store. */
export const STORES: readonly StoreKind[] = ["keychain", "file"];

/** The store of the describeEachStore block being collected, for useWorld() to pick up. */
let collectingStore: StoreKind | undefined;

/**
 * Runs a suite once per secret store: keychain (where a keyring could be
 * started) and the encrypted file store (GHPAT_STORE=file with a passphrase,
 * and no D-Bus at all, so any keychain access fails). `useWorld()` called in
 * the body picks the store up, so a keychain suite adopts this by changing
 * `describeKeychain(` to `describeEachStore(` and nothing else. Assertions
 * that only make sense for one store check `sandbox().store`; use
 * `sb.storedSecret(account)` and `sb.lockedEnv()` to stay store-neutral.
 */
export function describeEachStore(title: string, body: (store: StoreKind) => void): void {
  for (const store of STORES) {
    (store === "keychain" ? describeKeychain : describe)(`${title} [${store} store]`, () => {
      const outer = collectingStore;
      collectingStore = store;
      try {
        body(store);
      } finally {
        collectingStore = outer;
      }
    });
  }
}

/**
 * A fake API per file and a fresh sandbox per test, wired together.
 * Use inside a describe block.
 */
export function useWorld(options: Omit<SandboxOptions, "keyringEnv" | "apiUrl"> = {}): {
  api: FakeGitHub;
  sandbox: () => Sandbox;
} {
  const store = options.store ?? collectingStore ?? "keychain";
  const api = new FakeGitHub();
  let current: Sandbox | undefined;
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.clearInterceptors();
    api.latencyMs = 0;
    // The file store's sandboxes get no D-Bus: nothing may reach for the keychain.
    current = new Sandbox({ ...options, store, keyringEnv: store === "file" ? null : keyringEnv, apiUrl: api.url });
  });
  afterEach(() => current?.cleanup());
  return {
    api,
    sandbox: () => {
      if (!current) throw new Error("no sandbox outside a test");
      return current;
    },
  };
}
