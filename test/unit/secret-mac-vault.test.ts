import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TokenRecord } from "../../src/core/record.js";
import { macMatches, macUnderKey, secretMac } from "../../src/core/secret-mac.js";
import { fingerprint } from "../../src/core/token-format.js";
import { IndexStore } from "../../src/storage/index-store.js";
import { readScanKey, scanKey, scanKeyPath } from "../../src/storage/scan-key.js";
import type { SecretStore } from "../../src/storage/secret-store.js";
import { Vault } from "../../src/storage/vault.js";
import { canaryToken } from "../helpers/canary.js";

class MemorySecrets implements SecretStore {
  readonly kind = "keychain" as const;
  readonly map = new Map<string, string>();
  async get(account: string) {
    return this.map.get(account) ?? null;
  }
  async set(account: string, secret: string) {
    this.map.set(account, secret);
  }
  async delete(account: string) {
    return this.map.delete(account);
  }
}

let dir: string;
let vault: Vault;
let secrets: MemorySecrets;

function record(name: string, token: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    name,
    host: "github.com",
    login: null,
    type: "classic",
    fingerprint: fingerprint(token),
    scopes: null,
    expiresAt: null,
    expiryKnown: false,
    addedAt: new Date().toISOString(),
    lastVerifiedAt: null,
    lastUsedAt: null,
    status: "unverified",
    default: false,
    match: [],
    note: null,
    ...extra,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-mac-"));
  secrets = new MemorySecrets();
  vault = new Vault(new IndexStore(join(dir, "tokens.json")), secrets);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the keyed hash of each secret in the index", () => {
  it("is written by add under a random key kept in scan.key (0600), never the secret", async () => {
    const token = canaryToken();
    const stored = await vault.add(record("one", token), token, { replace: false });
    const key = readScanKey(dir);
    expect(key).not.toBeNull();
    expect(statSync(scanKeyPath(dir)).mode & 0o777).toBe(0o600);
    expect(macMatches(stored.secretMac ?? "", key as Buffer, token)).toBe(true);
    const text = readFileSync(join(dir, "tokens.json"), "utf8");
    expect(text).toContain(stored.secretMac);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(4, 36));
  });

  it("is replaced by the successor's on a rotation (replaceSecret)", async () => {
    const first = canaryToken();
    const second = canaryToken();
    await vault.add(record("one", first), first, { replace: false });
    const { stored } = await vault.replaceSecret("one", second, (current) => ({
      ...current,
      fingerprint: fingerprint(second),
    }));
    expect(macMatches(stored.secretMac ?? "", scanKey(dir), second)).toBe(true);
  });

  it("is added to an older record when its secret is read (noteSecrets), once, and not to a record whose secret is another token", async () => {
    const token = canaryToken();
    const old = record("old", token);
    secrets.map.set("github.com/old", token);
    const other = canaryToken();
    const mismatched = record("mismatched", canaryToken());
    await vault.index.update((index) => ({ index: { ...index, tokens: [old, mismatched] }, result: undefined }));
    expect(readScanKey(dir)).toBeNull();

    await vault.noteSecrets([
      { record: old, secret: token },
      { record: mismatched, secret: other },
    ]);
    const key = readScanKey(dir) as Buffer;
    const after = await vault.records();
    const gained = after.find((r) => r.name === "old");
    const untouched = after.find((r) => r.name === "mismatched");
    expect(macMatches(gained?.secretMac ?? "", key, token)).toBe(true);
    expect(untouched?.secretMac).toBeUndefined();

    const before = readFileSync(join(dir, "tokens.json"), "utf8");
    await vault.noteSecrets([{ record: gained as TokenRecord, secret: token }]);
    expect(readFileSync(join(dir, "tokens.json"), "utf8")).toBe(before);
  });

  it("is made again under a new key when scan.key was replaced", async () => {
    const token = canaryToken();
    const stored = await vault.add(record("one", token), token, { replace: false });
    writeFileSync(scanKeyPath(dir), `${"ab".repeat(32)}\n`, { mode: 0o600 });
    const key = readScanKey(dir) as Buffer;
    expect(macUnderKey(stored.secretMac, key)).toBe(false);
    await vault.noteSecrets([{ record: stored, secret: token }]);
    const [now] = await vault.records();
    expect(now?.secretMac).toBe(secretMac(key, token));
  });
});
