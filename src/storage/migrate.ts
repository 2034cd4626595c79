import { StoreUnavailableError } from "../errors.js";
import { keychainAccount, storeOf, type StoreKind, type TokenRecord } from "../core/record.js";
import type { Vault } from "./vault.js";

export interface MigrationResult {
  /** Records whose secret now lives in the target store. */
  moved: TokenRecord[];
  /** Records that were there already. */
  already: TokenRecord[];
  /** Records whose secret their store does not have: left as they are. */
  missing: TokenRecord[];
  /** Copies deleted from the stores the secrets left (including ones an interrupted run left behind). */
  cleaned: number;
}

/** Named places where a test may kill the process (GHPAT_TEST_CRASH_AT). */
export type CrashPoint = (point: string) => void;

/**
 * Moves every secret into the `to` store so that at every instant each
 * token's secret is in the store its record names:
 *
 * 1. copy each secret into `to` and read it back (the original stays);
 * 2. switch the records to `to` in one atomic index write, marking where
 *    the original still is (`staleCopyIn`);
 * 3. delete the originals, then clear the marks.
 *
 * Killed anywhere, a token is readable from its record's store; running the
 * migration again finishes the job, including step 3 of an earlier run.
 */
export async function migrateSecrets(vault: Vault, to: StoreKind, crashPoint: CrashPoint = () => undefined): Promise<MigrationResult> {
  const target = vault.store(to);
  const records = await vault.records();
  const already = records.filter((r) => storeOf(r) === to);
  const missing: TokenRecord[] = [];
  const copied: TokenRecord[] = [];

  for (const record of records.filter((r) => storeOf(r) !== to)) {
    const account = keychainAccount(record);
    const secret = await vault.storeFor(record).get(account);
    if (secret === null) {
      missing.push(record);
      continue;
    }
    await target.set(account, secret);
    crashPoint(`copied:${copied.length + 1}`);
    if ((await target.get(account)) !== secret) {
      throw new StoreUnavailableError(
        `The copy of '${record.name}' in the ${to === "file" ? "file store" : "OS keychain"} does not read back as written; nothing was deleted.`,
        "Check the target store and run 'ghpat migrate' again.",
      );
    }
    copied.push(record);
  }
  crashPoint("verified");

  const switched = new Set(copied.map((r) => r.name));
  if (copied.length > 0) await vault.index.update((index) => ({
    index: {
      ...index,
      tokens: index.tokens.map((t) => {
        const copy = copied.find((r) => r.name === t.name);
        // A record changed by another command meanwhile keeps its own secret where it is.
        if (!copy || t.fingerprint !== copy.fingerprint || storeOf(t) !== storeOf(copy)) {
          switched.delete(t.name);
          return t;
        }
        return { ...t, store: to, staleCopyIn: storeOf(t) };
      }),
    },
    result: undefined,
  }));
  crashPoint("switched");

  const cleaned = await deleteStaleCopies(vault, crashPoint);
  return { moved: copied.filter((r) => switched.has(r.name)), already, missing, cleaned };
}

/** Step 3: deletes the originals that records mark as stale, then clears the marks. */
async function deleteStaleCopies(vault: Vault, crashPoint: CrashPoint): Promise<number> {
  const marked = (await vault.records()).filter((r) => r.staleCopyIn !== undefined);
  if (marked.length === 0) return 0;
  const stale = marked.filter((r) => r.staleCopyIn !== storeOf(r));
  let deleted = 0;
  for (const record of stale) {
    if (record.staleCopyIn === undefined) continue;
    await vault.store(record.staleCopyIn).delete(keychainAccount(record));
    deleted++;
    crashPoint(`deleted:${deleted}`);
  }
  const cleanedNames = new Map(stale.map((r) => [r.name, r.staleCopyIn]));
  await vault.index.update((index) => ({
    index: {
      ...index,
      tokens: index.tokens.map((t) => {
        if (t.staleCopyIn === undefined) return t;
        // Marks pointing at the record's own store are meaningless; others only once their copy is gone.
        if (t.staleCopyIn !== storeOf(t) && cleanedNames.get(t.name) !== t.staleCopyIn) return t;
        const clean = { ...t };
        delete clean.staleCopyIn;
        return clean;
      }),
    },
    result: undefined,
  }));
  return deleted;
}
