import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyRecords, verifySecret } from "../../src/commands/verify/run.js";
import type { TokenRecord } from "../../src/core/record.js";
import { fingerprint } from "../../src/core/token-format.js";
import { IndexStore } from "../../src/storage/index-store.js";
import type { SecretStore } from "../../src/storage/secret-store.js";
import { Vault } from "../../src/storage/vault.js";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader, FakeGitHub } from "../helpers/fake-github.js";

/** Secrets in memory: these tests are about verification, the keychain has its own. */
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

const api = new FakeGitHub();
let dir: string;
let vault: Vault;
let secrets: MemorySecrets;
const now = () => new Date();
const ctx = () => ({ env: { GHPAT_API_URL: api.url }, now });

beforeAll(() => api.start());
afterAll(() => api.stop());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-verify-"));
  secrets = new MemorySecrets();
  vault = new Vault(new IndexStore(join(dir, "tokens.json")), secrets);
  api.requests.length = 0;
  api.clearInterceptors();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function store(name: string, token: string, extra: Partial<TokenRecord> = {}): Promise<TokenRecord> {
  const record: TokenRecord = {
    name,
    host: "github.com",
    login: null,
    type: token.startsWith("github_pat_") ? "fine-grained" : "classic",
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
  return vault.add(record, token, { replace: false });
}

describe("verifyRecords (the programmatic API)", () => {
  it("checks every record, keeps their order, and writes the index once", async () => {
    const tokens = Array.from({ length: 5 }, () => canaryToken());
    tokens.forEach((t, i) =>
      api.addToken(t, { login: `user${i}`, scopes: ["repo"], expiration: expirationHeader(10 + i) }),
    );
    const gone = canaryToken();
    const fine = canaryFineGrained();
    api.addToken(fine, { login: "fine", scopes: null });
    for (const [i, t] of tokens.entries()) await store(`t${i}`, t);
    await store("gone", gone, {
      status: "valid",
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      expiryKnown: true,
    });
    await store("fine", fine);

    const update = vi.spyOn(vault.index, "update");
    const records = await vault.records();
    const outcomes = await verifyRecords(vault, records, { concurrency: 3 }, ctx());

    expect(update).toHaveBeenCalledTimes(1);
    expect(outcomes.map((o) => o.name)).toEqual(records.map((r) => r.name));
    const expected = new Map<string, unknown[]>([
      ...tokens.map((_, i): [string, unknown[]] => [`t${i}`, [`t${i}`, true, "valid", `user${i}`]]),
      ["gone", ["gone", false, "revoked", null]],
      ["fine", ["fine", true, "valid", "fine"]],
    ]);
    expect(outcomes.map((o) => [o.name, o.ok, o.status, o.login])).toEqual(records.map((r) => expected.get(r.name)));
    const after = await vault.records();
    expect(after.find((r) => r.name === "t2")).toMatchObject({
      status: "valid",
      login: "user2",
      scopes: ["repo"],
      expiryKnown: true,
    });
    expect(after.find((r) => r.name === "t2")?.lastVerifiedAt).not.toBeNull();
    expect(after.find((r) => r.name === "gone")?.status).toBe("revoked");
    expect(after.find((r) => r.name === "fine")).toMatchObject({ scopes: null, status: "valid", repositories: [] });
    // Seven GET /user, and the fine-grained token's GET /user/repos.
    expect(api.requests).toHaveLength(8);
    expect(api.requests.filter((r) => r.url.startsWith("/user/repos")).map((r) => r.headers.authorization)).toEqual([
      `token ${fine}`,
    ]);
    expect(new Set(api.authorizations())).toEqual(new Set([...tokens, gone, fine].map((t) => `token ${t}`)));
  });

  it("never runs more checks at once than asked", async () => {
    const tokens = Array.from({ length: 7 }, () => canaryToken());
    for (const [i, t] of tokens.entries()) {
      api.addToken(t, { login: `u${i}`, scopes: [] });
      await store(`t${i}`, t);
    }
    // Hold every request until three are waiting (or a second has passed): only a client running three at once lets them through together.
    let inFlight = 0;
    let most = 0;
    let waiting: Array<() => void> = [];
    api.intercept(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length >= 3) {
          for (const release of waiting) release();
          waiting = [];
        } else setTimeout(resolve, 1000);
      });
      inFlight--;
      return false;
    });
    const outcomes = await verifyRecords(vault, await vault.records(), { concurrency: 3 }, ctx());
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(most).toBe(3);
  });

  it("does not keep asking a host that gave no answer, and changes nothing", async () => {
    const tokens = Array.from({ length: 4 }, () => canaryToken());
    for (const [i, t] of tokens.entries()) await store(`t${i}`, t, { status: "valid" });
    const before = await vault.records();
    api.intercept(() => new Promise<boolean>(() => undefined)); // never answers
    const outcomes = await verifyRecords(vault, before, { concurrency: 2, timeoutMs: 300 }, ctx());
    expect(api.requests).toHaveLength(2);
    expect(outcomes.every((o) => o.failure === "unreachable" && o.status === "valid")).toBe(true);
    expect(outcomes.filter((o) => o.error?.startsWith("Not checked"))).toHaveLength(2);
    expect(await vault.records()).toEqual(before);
  });

  it("leaves a record alone that was replaced by another token meanwhile", async () => {
    const first = canaryToken();
    const second = canaryToken();
    await store("work", first);
    const [stale] = await vault.records();
    await vault.add({ ...(stale as TokenRecord), fingerprint: fingerprint(second) }, second, { replace: true });
    const outcomes = await verifyRecords(vault, [stale as TokenRecord], {}, ctx());
    // The stale record does not describe what its slot holds now: that token is neither sent to the API nor judged in its name.
    expect(outcomes[0]).toMatchObject({ ok: false });
    expect(outcomes[0]?.error).toContain("holds another token");
    expect(api.requests).toHaveLength(0);
    expect((await vault.records())[0]).toMatchObject({ status: "unverified", fingerprint: fingerprint(second) });
  });

  it("reports a missing secret as a bad token without asking the API", async () => {
    const token = canaryToken();
    await store("lost", token);
    secrets.map.clear();
    const [outcome] = await verifyRecords(vault, await vault.records(), {}, ctx());
    expect(outcome).toMatchObject({ ok: false, failure: "bad" });
    expect(outcome?.error).toContain("missing");
    expect(api.requests).toHaveLength(0);
  });
});

describe("verifySecret", () => {
  it("checks a token that is not stored, against requirements", async () => {
    const token = canaryToken();
    api.addToken(token, { login: "ci", scopes: ["repo", "admin:org"], expiration: expirationHeader(3) });
    const outcome = await verifySecret(
      token,
      { host: "github.com", type: "classic" },
      { requirements: { requireScopes: ["read:org"], minDays: 7 } },
      ctx(),
    );
    expect(outcome).toMatchObject({ name: null, ok: false, status: "valid", login: "ci", failure: "bad" });
    expect(outcome.error).toMatch(/within --min-days 7/);
  });
});
