/**
 * A vault write that fails after storing its secret takes the secret back.
 * The rollback runs once the index lock is released, so it must leave alone
 * a slot that another process has filled since.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { IndexStore } from "../../src/storage/index-store.js";
import type { SecretStore } from "../../src/storage/secret-store.js";
import { Vault } from "../../src/storage/vault.js";
import { fingerprint } from "../../src/core/token-format.js";
import { canaryToken } from "../helpers/canary.js";
import { makeRecord } from "../helpers/records.js";

class MemorySecrets implements SecretStore {
  readonly kind = "keychain" as const;
  readonly map = new Map<string, string>();
  /** Runs after each set: what another process does meanwhile. */
  afterSet: (account: string, secret: string) => void = () => undefined;
  async get(account: string) {
    return this.map.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.map.set(account, secret);
    this.afterSet(account, secret);
  }
  async delete(account: string) {
    return this.map.delete(account);
  }
}

let dir: string;
let file: string;
let secrets: MemorySecrets;
let vault: Vault;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-vault-"));
  file = join(dir, "tokens.json");
  secrets = new MemorySecrets();
  vault = new Vault(new IndexStore(file), secrets);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Another process takes the index lock from this one, as one judging it stale would. */
function takeLockOver(): void {
  writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), nonce: "other", since: "" }));
}

/** Right after this process writes `mine`, another takes the lock over and stores `theirs` in the same slot. */
function raceAfter(mine: string, theirs: string): (account: string, secret: string) => void {
  return (account, secret) => {
    if (secret !== mine) return;
    takeLockOver();
    secrets.map.set(account, theirs);
  };
}

it("takes back its own secret when the index write is abandoned", async () => {
  const mine = canaryToken();
  secrets.afterSet = takeLockOver;
  await expect(vault.add(makeRecord("foo"), mine, { replace: false })).rejects.toThrow(/taken over by another process/);
  expect(secrets.map.has("github.com/foo")).toBe(false);
  expect(existsSync(file)).toBe(false);
});

it("leaves alone the token another process stored in the same slot since", async () => {
  const mine = canaryToken();
  const theirs = canaryToken();
  secrets.afterSet = raceAfter(mine, theirs);
  await expect(vault.add(makeRecord("foo"), mine, { replace: false })).rejects.toThrow(/taken over by another process/);
  expect(secrets.map.get("github.com/foo")).toBe(theirs);
});

it("puts back the secret a failed rotation replaced, unless the slot has changed again since", async () => {
  const first = canaryToken();
  await vault.add(makeRecord("foo", { fingerprint: fingerprint(first) }), first, { replace: false });

  const second = canaryToken();
  secrets.afterSet = takeLockOver;
  await expect(vault.replaceSecret("foo", second, (r) => r)).rejects.toThrow(/taken over by another process/);
  expect(secrets.map.get("github.com/foo")).toBe(first);

  rmSync(`${file}.lock`);
  const third = canaryToken();
  const theirs = canaryToken();
  secrets.afterSet = raceAfter(third, theirs);
  await expect(vault.replaceSecret("foo", third, (r) => r)).rejects.toThrow(/taken over by another process/);
  expect(secrets.map.get("github.com/foo")).toBe(theirs);
});
