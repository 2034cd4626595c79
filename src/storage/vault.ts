import { NotFoundError, StoreUnavailableError, UsageError } from "../errors.js";
import { isValidName, keychainAccount, storeOf, type Index, type StoreKind, type TokenRecord } from "../core/record.js";
import { sameSecret } from "../core/same-secret.js";
import { macUnderKey, secretMac } from "../core/secret-mac.js";
import { secretFitsRecord } from "../core/slot-owner.js";
import { fingerprint } from "../core/token-format.js";
import type { IndexStore } from "./index-store.js";
import { readScanKey, scanKey } from "./scan-key.js";
import type { SecretStore } from "./secret-store.js";
import { ForeignSlotError, SlotMismatchError } from "./slot-errors.js";

/** Makes `record` its host's default and clears the flag on the host's other tokens. */
export function withDefault(tokens: TokenRecord[], record: TokenRecord): TokenRecord[] {
  return tokens.map((t) => (t.host === record.host ? { ...t, default: t.name === record.name } : t));
}

/** Drops `record`; when it was its host's default and one token of that host is left, that one becomes the default. */
export function withoutRecord(tokens: TokenRecord[], record: TokenRecord): TokenRecord[] {
  let rest = tokens.filter((t) => t.name !== record.name);
  if (record.default) {
    const heir = rest.filter((t) => t.host === record.host);
    if (heir.length === 1 && heir[0]) rest = withDefault(rest, heir[0]);
  }
  return rest;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`No token named '${name}'.`, "Run 'ghpat list' to see the stored names.");
}

/**
 * A rollback: puts back what a slot held before `written` went into it, or
 * empties it. Rollbacks run once the index lock is released, so a slot
 * that no longer holds `written` now holds another process's token and is
 * left alone.
 */
async function putBack(store: SecretStore, account: string, written: string, previous: string | null): Promise<void> {
  if ((await store.get(account)) !== written) return;
  await (previous === null ? store.delete(account) : store.set(account, previous));
}

function storeName(kind: StoreKind): string {
  return kind === "keychain" ? "OS keychain" : "file store";
}

/**
 * The index and the secret stores, kept consistent: a record exists only for
 * a secret that was stored, and a failed index write takes back the secret it
 * had just written. New secrets go to `secrets` (the configured store); each
 * record names the store that holds its secret (`store`), and is read there.
 */
export class Vault {
  constructor(
    readonly index: IndexStore,
    readonly secrets: SecretStore,
    private readonly openStore: (kind: StoreKind) => SecretStore = (kind) => {
      if (kind !== secrets.kind) throw new Error(`No ${kind} store was given to this vault.`);
      return secrets;
    },
  ) {}

  /** The store of a kind, opened on first use. */
  store(kind: StoreKind): SecretStore {
    return kind === this.secrets.kind ? this.secrets : this.openStore(kind);
  }

  /** The store that holds a record's secret. */
  storeFor(record: Pick<TokenRecord, "store">): SecretStore {
    return this.store(storeOf(record));
  }

  /**
   * Throws (exit 4, with what to do) unless the store new secrets go to can
   * be used now: a command that is about to ask for a token checks this
   * first, so that nobody pastes a token, or spends a request on it, only to
   * learn that it cannot be stored.
   */
  async requireUsableStore(): Promise<void> {
    await this.secrets.ready?.();
  }

  async records(): Promise<TokenRecord[]> {
    return (await this.index.read()).tokens;
  }

  async find(name: string): Promise<TokenRecord> {
    const record = (await this.records()).find((t) => t.name === name);
    if (!record) throw notFound(name);
    return record;
  }

  /** The record's secret; a slot holding a token the record does not describe is an error (exit 3), never an answer. */
  async secretOf(record: TokenRecord): Promise<string> {
    const secret = await this.storeFor(record).get(keychainAccount(record));
    if (secret !== null && !secretFitsRecord(record, secret)) throw new SlotMismatchError(record, secret);
    if (secret === null) {
      const host = record.host === "github.com" ? "" : ` --host ${record.host}`;
      throw new NotFoundError(
        `The secret of '${record.name}' (${record.fingerprint}) is missing from the ${storeName(storeOf(record))}: it was deleted outside ghpat.`,
        `Store the token again with 'ghpat add ${record.name}${host} --force', or drop the record with 'ghpat remove ${record.name}' ('ghpat doctor --fix' drops every such record).`,
      );
    }
    return secret;
  }

  /**
   * Stores a new token in the configured store. The first token of a host
   * becomes its default. With `replace`, a token of the same name is swapped
   * out, and the copies of its secret in other stores are deleted before the
   * index is written: a store that refuses (a locked keychain) stops the add
   * with the old token intact. If anything fails the old secret is put back.
   *
   * A slot that already holds a token this index does not know (another
   * config directory's, on a shared keychain service) is never written,
   * whatever `replace` says; the same token again (an add retried after a
   * crash between its two writes) is no obstacle.
   */
  async add(record: TokenRecord, token: string, options: { replace: boolean }): Promise<TokenRecord> {
    const account = keychainAccount(record);
    const target = this.secrets;
    if (options.replace) {
      // A store that cannot be read (a locked keychain) refuses here, before the announcement changes the index.
      await target.get(account);
      await this.announce(
        record.name,
        fingerprint(token),
        (existing) => keychainAccount(existing) === account && storeOf(existing) === target.kind,
      );
    }
    let undo: (() => Promise<unknown>) | undefined;
    try {
      const stored = await this.index.update(async (index) => {
        const existing = index.tokens.find((t) => t.name === record.name);
        if (existing && !options.replace) {
          throw new UsageError(
            `A token named '${record.name}' already exists.`,
            `Choose another name, or pass --force to replace it.`,
          );
        }
        const previous = await target.get(account);
        if (
          previous !== null &&
          !sameSecret(previous, token) &&
          !(existing && this.owns(existing, target.kind, account, previous))
        ) {
          throw new ForeignSlotError({ ...record, store: target.kind }, previous);
        }
        await target.set(account, token);
        undo = () => putBack(target, account, token, previous);
        if (existing) await this.discardCopies(existing, { keep: { kind: target.kind, account } });

        const others = index.tokens.filter((t) => t.name !== record.name);
        const hasDefault = others.some((t) => t.host === record.host && t.default);
        const stored: TokenRecord = {
          ...record,
          store: target.kind,
          default: record.default || !hasDefault,
          ...this.macFields(token),
        };
        delete stored.staleCopyIn;
        delete stored.pendingFingerprint;
        let tokens = [...others, stored];
        if (stored.default) tokens = withDefault(tokens, stored);
        return { index: { ...index, tokens }, result: stored };
      });
      undo = undefined;
      return stored;
    } catch (error) {
      if (undo) await undo().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Swaps the secret of an existing token and updates its record in one step
   * under the index lock. Name and host (so the keychain account) stay; the
   * record's other fields come from `update`, which sees the record as it is
   * now, so matches, default and note set meanwhile are not lost. If the
   * index cannot be written the previous secret is put back. The secret stays
   * in the store the record names. A crash between
   * the two writes leaves the new secret under the old record: one of the
   * two tokens is always retrievable: before the secret is written, the
   * record announces the successor's fingerprint (`pendingFingerprint`), so
   * that the secret a killed rotation left is provably its own
   * (slot-owner.ts), and a foreign one is never taken for it.
   */
  async replaceSecret(
    name: string,
    token: string,
    update: (current: TokenRecord) => TokenRecord,
    options: { expectFingerprint?: string | undefined } = {},
  ): Promise<{ previous: TokenRecord; stored: TokenRecord }> {
    const pendingFingerprint = fingerprint(token);
    const current = async (index: Index): Promise<{ current: TokenRecord; previous: string | null }> => {
      const found = index.tokens.find((t) => t.name === name);
      if (!found) throw notFound(name);
      if (options.expectFingerprint !== undefined && found.fingerprint !== options.expectFingerprint) {
        throw new UsageError(
          `'${name}' was changed by another ghpat process meanwhile; nothing was replaced.`,
          "Run the command again.",
        );
      }
      const previous = await this.storeFor(found).get(keychainAccount(found));
      if (previous !== null && !secretFitsRecord(found, previous) && !sameSecret(previous, token))
        throw new SlotMismatchError(found, previous);
      return { current: found, previous };
    };
    // First write: the announcement. A kill after it leaves the old secret under a record that also accepts the successor.
    await this.index.update(async (index) => {
      const { current: found } = await current(index);
      if (found.pendingFingerprint === pendingFingerprint) return { index, result: undefined };
      const tokens = index.tokens.map((t) => (t.name === name ? { ...found, pendingFingerprint } : t));
      return { index: { ...index, tokens }, result: undefined };
    });
    let undo: (() => Promise<unknown>) | undefined;
    try {
      const result = await this.index.update(async (index) => {
        const { current: found, previous } = await current(index);
        const account = keychainAccount(found);
        const store = this.storeFor(found);
        await store.set(account, token);
        undo = () => putBack(store, account, token, previous);
        const stored: TokenRecord = { ...update(found), name: found.name, host: found.host, ...this.macFields(token) };
        delete stored.pendingFingerprint;
        const tokens = index.tokens.map((t) => (t.name === name ? stored : t));
        return { index: { ...index, tokens }, result: { previous: found, stored } };
      });
      undo = undefined;
      return result;
    } catch (error) {
      if (undo) await undo().catch(() => undefined);
      throw error;
    }
  }

  /**
   * `{ secretMac }` for a token about to be stored, made under the install's
   * scan key (created on first use); nothing when the key cannot be made
   * (a read-only config directory): the record is then keyed when next
   * verified, and storing the token never fails for want of it.
   */
  private macFields(token: string): { secretMac?: string } {
    try {
      return { secretMac: secretMac(scanKey(this.index.dir), token) };
    } catch {
      return {};
    }
  }

  /**
   * Gives records whose secret was just read (and found to be theirs) the
   * keyed hash `scan` identifies them by, when they lack one under the
   * current key: records written before it existed, or under a key since
   * replaced. A record changed meanwhile (another token under its name) is
   * left alone. Best effort: a busy or read-only index is no failure of the
   * command that read the secret. Writes nothing when every record has it.
   */
  async noteSecrets(read: ReadonlyArray<{ record: TokenRecord; secret: string }>): Promise<void> {
    try {
      const current = readScanKey(this.index.dir);
      const missing = read.filter(
        ({ record, secret }) =>
          (current === null || !macUnderKey(record.secretMac, current)) &&
          secretFitsRecord(record, secret) &&
          fingerprint(secret) === record.fingerprint,
      );
      if (missing.length === 0) return;
      const key = current ?? scanKey(this.index.dir);
      const byName = new Map(missing.map((entry) => [entry.record.name, entry]));
      await this.updateRecords([...byName.keys()], (record) => {
        const entry = byName.get(record.name);
        if (
          !entry ||
          record.host !== entry.record.host ||
          record.fingerprint !== entry.record.fingerprint ||
          macUnderKey(record.secretMac, key)
        )
          return record;
        return { ...record, secretMac: secretMac(key, entry.secret) };
      });
    } catch {
      // Keyed when next read or verified.
    }
  }

  /**
   * Writes into a record, before its slot is overwritten, the fingerprint of
   * the secret about to go there (`pendingFingerprint`), when `overwrites`
   * says the write goes into the record's own slot. Killed between the
   * secret's write and the record's, the slot then holds a secret the
   * record provably owns (slot-owner.ts): reads still answer, and doctor
   * --fix finishes the job, where a foreign token would be neither.
   */
  private async announce(
    name: string,
    pendingFingerprint: string,
    overwrites: (existing: TokenRecord) => boolean,
  ): Promise<void> {
    await this.index.update((index) => {
      const existing = index.tokens.find((t) => t.name === name);
      if (!existing || !overwrites(existing) || existing.pendingFingerprint === pendingFingerprint)
        return { index, result: undefined };
      const tokens = index.tokens.map((t) => (t.name === name ? { ...existing, pendingFingerprint } : t));
      return { index: { ...index, tokens }, result: undefined };
    });
  }

  /** Whether the secret in a slot of `kind` is the record's own: its store's, or the copy a migration has yet to delete. */
  private owns(record: TokenRecord, kind: StoreKind, account: string, secret: string): boolean {
    const kinds: StoreKind[] = [storeOf(record), ...(record.staleCopyIn ? [record.staleCopyIn] : [])];
    return keychainAccount(record) === account && kinds.includes(kind) && secretFitsRecord(record, secret);
  }

  /**
   * Deletes the record's secret from a store, when the slot holds it: a
   * slot that holds another token (another index's) is left alone. Returns
   * false when the slot was empty or not the record's.
   */
  async deleteOwnSecret(record: TokenRecord, kind: StoreKind): Promise<boolean> {
    const store = this.store(kind);
    const account = keychainAccount(record);
    const secret = await store.get(account);
    if (secret === null || !secretFitsRecord(record, secret)) return false;
    return store.delete(account);
  }

  /**
   * Deletes what a record's secret left behind: in its store, and in the
   * store a migration had not finished cleaning, each only when the slot
   * holds the record's own token. `keep` is the slot that now holds a live
   * secret and must survive.
   */
  private async discardCopies(
    record: TokenRecord,
    options: { keep?: { kind: StoreKind; account: string } } = {},
  ): Promise<void> {
    const account = keychainAccount(record);
    const kinds = new Set<StoreKind>([storeOf(record), ...(record.staleCopyIn ? [record.staleCopyIn] : [])]);
    for (const kind of kinds) {
      if (options.keep && options.keep.kind === kind && options.keep.account === account) continue;
      await this.deleteOwnSecret(record, kind);
    }
  }

  /**
   * Deletes the secret, then the record, both under the index lock so that
   * nothing else sees one without the other. A crash in between leaves a
   * record whose secret is gone (doctor --fix finishes the removal), never
   * a secret that outlives its removal. When the keychain is locked or
   * unreachable, nothing is removed; a secret already gone is no obstacle,
   * and a slot holding another token (another index's) is left as it is.
   */
  async remove(name: string): Promise<TokenRecord> {
    return this.index.update(async (index) => {
      const current = index.tokens.find((t) => t.name === name);
      if (!current) throw notFound(name);
      await this.discardCopies(current);
      return { index: { ...index, tokens: withoutRecord(index.tokens, current) }, result: current };
    });
  }

  async setDefault(name: string): Promise<TokenRecord> {
    return this.index.update((index) => {
      const record = index.tokens.find((t) => t.name === name);
      if (!record) throw notFound(name);
      const updated = { ...record, default: true };
      return { index: { ...index, tokens: withDefault(index.tokens, updated) }, result: updated };
    });
  }

  /** Applies `change` to the named records that still exist; returns the updated ones. */
  async updateRecords(names: readonly string[], change: (record: TokenRecord) => TokenRecord): Promise<TokenRecord[]> {
    const wanted = new Set(names);
    return this.index.update((index: Index) => {
      const updated: TokenRecord[] = [];
      const tokens = index.tokens.map((t) => {
        if (!wanted.has(t.name)) return t;
        const next = change(t);
        updated.push(next);
        return next;
      });
      return { index: { ...index, tokens }, result: updated };
    });
  }

  /**
   * Changes a record's metadata (matches, note, default) under the index
   * lock, leaving its secret alone. `change` sees the record as it is now.
   */
  async editRecord(name: string, change: (current: TokenRecord) => TokenRecord): Promise<TokenRecord> {
    return this.index.update((index) => {
      const found = index.tokens.find((t) => t.name === name);
      if (!found) throw notFound(name);
      const edited: TokenRecord = { ...change(found), name: found.name, host: found.host };
      let tokens = index.tokens.map((t) => (t.name === name ? edited : t));
      if (edited.default) tokens = withDefault(tokens, edited);
      return { index: { ...index, tokens }, result: edited };
    });
  }

  /**
   * Renames a token, moving its secret to the new name's slot: the secret
   * is written there (and read back) under the index lock, the index then
   * names the record by its new name, and only after that is the old slot
   * emptied. A failure before the index write takes the new slot back, so
   * the old name is whole; a crash leaves the old record with its secret,
   * or the new one with its secret (and an old slot doctor reports). The
   * slot rules hold: the secret must be the record's own (slot-owner.ts),
   * and a new slot that holds another token is never overwritten. Returns
   * the renamed record, and the old slot if it could not be emptied.
   */
  async rename(
    name: string,
    newName: string,
    change: (current: TokenRecord) => TokenRecord = (t) => t,
  ): Promise<{ renamed: TokenRecord; leftover: string | null }> {
    let undo: (() => Promise<unknown>) | undefined;
    try {
      const { renamed, previous } = await this.index.update(async (index) => {
        const found = index.tokens.find((t) => t.name === name);
        if (!found) throw notFound(name);
        if (index.tokens.some((t) => t.name === newName)) {
          throw new UsageError(
            `A token named '${newName}' already exists; '${name}' was not renamed.`,
            "Choose another name, or remove that token first.",
          );
        }
        const store = this.storeFor(found);
        const secret = await this.secretOf(found);
        const account = keychainAccount({ host: found.host, name: newName });
        const occupant = await store.get(account);
        if (occupant !== null && !sameSecret(occupant, secret))
          throw new ForeignSlotError({ ...found, name: newName, store: store.kind }, occupant);
        await store.set(account, secret);
        undo = () => putBack(store, account, secret, occupant);
        if ((await store.get(account)) !== secret) {
          throw new StoreUnavailableError(
            `The ${storeName(store.kind)} did not give back the secret just written for '${newName}'; '${name}' was not renamed.`,
            "Run 'ghpat doctor', then try again.",
          );
        }
        // The old slot is announced as the rename's leftover until it is emptied (doctor --fix finishes a killed rename).
        const renamed: TokenRecord = {
          ...change(found),
          name: newName,
          host: found.host,
          store: store.kind,
          renamedFrom: name,
        };
        // A copy a migration left in the other store stays under the old name, and goes below.
        delete renamed.staleCopyIn;
        let tokens = index.tokens.map((t) => (t.name === name ? renamed : t));
        if (renamed.default) tokens = withDefault(tokens, renamed);
        return { index: { ...index, tokens }, result: { renamed, previous: found } };
      });
      undo = undefined;
      try {
        await this.discardCopies(previous);
        // The leftover of an earlier rename, if one is still announced.
        if (
          previous.renamedFrom !== undefined &&
          isValidName(previous.renamedFrom) &&
          previous.renamedFrom !== newName
        ) {
          await this.deleteOwnSecret({ ...previous, name: previous.renamedFrom }, storeOf(previous));
        }
      } catch {
        return { renamed, leftover: keychainAccount(previous) };
      }
      const settled = await this.index
        .update((index) => {
          const current = index.tokens.find((t) => t.name === newName);
          if (
            !current ||
            current.host !== renamed.host ||
            current.fingerprint !== renamed.fingerprint ||
            current.renamedFrom !== name
          )
            return { index, result: renamed };
          const rest: TokenRecord = { ...current };
          delete rest.renamedFrom;
          const tokens = index.tokens.map((t) => (t === current ? rest : t));
          return { index: { ...index, tokens }, result: rest };
        })
        // The old slot is empty: a mark left behind says no more than that, and doctor --fix clears it.
        .catch(() => renamed);
      return { renamed: settled, leftover: null };
    } catch (error) {
      if (undo) await undo().catch(() => undefined);
      throw error;
    }
  }
}
