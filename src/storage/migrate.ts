import { StoreUnavailableError } from "../errors.js";
import { keychainAccount, storeOf, type StoreKind, type TokenRecord } from "../core/record.js";
import { secretFitsRecord } from "../core/slot-owner.js";
import { ForeignSlotError, SlotMismatchError } from "./slot-errors.js";
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
 * Steps 1 and 2 run under the index lock, as do step 3's, so that an `add`,
 * `remove` or `rotate` meanwhile waits rather than having its secret
 * overwritten by an old copy, or a removed token's copy left behind.
 * Killed anywhere, a token is readable from its record's store; running the
 * migration again finishes the job, including step 3 of an earlier run.
 */
export async function migrateSecrets(
  vault: Vault,
  to: StoreKind,
  crashPoint: CrashPoint = () => undefined,
): Promise<MigrationResult> {
  const target = vault.store(to);
  const outcome = await vault.index.update(async (index) => {
    const already = index.tokens.filter((r) => storeOf(r) === to);
    const missing: TokenRecord[] = [];
    const moved: TokenRecord[] = [];
    for (const record of index.tokens.filter((r) => storeOf(r) !== to)) {
      const account = keychainAccount(record);
      const secret = await vault.storeFor(record).get(account);
      if (secret === null) {
        missing.push(record);
        continue;
      }
      // Another index's token in a shared slot is not this record's to copy.
      if (!secretFitsRecord(record, secret)) throw new SlotMismatchError(record, secret);
      const there = await target.get(account);
      if (there !== null && !secretFitsRecord(record, there))
        throw new ForeignSlotError({ ...record, store: to }, there);
      await target.set(account, secret);
      crashPoint(`copied:${moved.length + 1}`);
      if ((await target.get(account)) !== secret) {
        throw new StoreUnavailableError(
          `The copy of '${record.name}' in the ${to === "file" ? "file store" : "OS keychain"} does not read back as written; nothing was deleted.`,
          "Check the target store and run 'ghpat migrate' again.",
        );
      }
      moved.push(record);
    }
    crashPoint("verified");
    if (moved.length === 0) return { index, result: { already, missing, moved } };
    const names = new Set(moved.map((r) => r.name));
    const tokens = index.tokens.map((t) => (names.has(t.name) ? { ...t, store: to, staleCopyIn: storeOf(t) } : t));
    return { index: { ...index, tokens }, result: { already, missing, moved } };
  });
  crashPoint("switched");

  const cleaned = await deleteStaleCopies(vault, crashPoint);
  return { ...outcome, cleaned };
}

/** Step 3: deletes the originals that records mark as stale, then clears the marks. */
async function deleteStaleCopies(vault: Vault, crashPoint: CrashPoint): Promise<number> {
  if (!(await vault.records()).some((r) => r.staleCopyIn !== undefined)) return 0;
  return vault.index.update(async (index) => {
    let deleted = 0;
    const tokens: TokenRecord[] = [];
    for (const record of index.tokens) {
      if (record.staleCopyIn === undefined) {
        tokens.push(record);
        continue;
      }
      // A mark pointing at the record's own store is meaningless: only the mark goes.
      if (record.staleCopyIn !== storeOf(record)) {
        await vault.deleteOwnSecret(record, record.staleCopyIn);
        deleted++;
        crashPoint(`deleted:${deleted}`);
      }
      const clean = { ...record };
      delete clean.staleCopyIn;
      tokens.push(clean);
    }
    return { index: { ...index, tokens }, result: deleted };
  });
}
