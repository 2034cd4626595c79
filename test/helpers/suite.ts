import { afterAll, afterEach, beforeAll, beforeEach, describe, inject } from "vitest";
import { FakeGitHub } from "./fake-github.js";
import { Sandbox, type SandboxOptions } from "./sandbox.js";

/** Keychain suites run only where the harness could start a keyring (CI always can: global-setup fails otherwise). */
export const keyringEnv = inject("keyringEnv");
export const describeKeychain = keyringEnv ? describe : describe.skip;

/**
 * A fake API per file and a fresh sandbox per test, wired together.
 * Use inside a describe block.
 */
export function useWorld(options: Omit<SandboxOptions, "keyringEnv" | "apiUrl"> = {}): { api: FakeGitHub; sandbox: () => Sandbox } {
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
    current = new Sandbox({ ...options, keyringEnv, apiUrl: api.url });
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
