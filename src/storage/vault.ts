import { NotFoundError, UsageError } from "../errors.js";
import { keychainAccount, type Index, type TokenRecord } from "../core/record.js";
import type { IndexStore } from "./index-store.js";
import type { SecretStore } from "./secret-store.js";

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
 * The index and the secret store, kept consistent: a record exists only for
 * a secret that was stored, and a failed index write takes back the secret it
 * had just written.
 */
export class Vault {
  constructor(
    readonly index: IndexStore,
    readonly secrets: SecretStore,
  ) {}

  async records(): Promise<TokenRecord[]> {
    return (await this.index.read()).tokens;
  }

  async find(name: string): Promise<TokenRecord> {
    const record = (await this.records()).find((t) => t.name === name);
    if (!record) throw notFound(name);
    return record;
  }

  async secretOf(record: TokenRecord): Promise<string> {
    const secret = await this.secrets.get(keychainAccount(record));
    if (secret === null) {
      const host = record.host === "github.com" ? "" : ` --host ${record.host}`;
      throw new NotFoundError(
        `The secret of '${record.name}' (${record.fingerprint}) is missing from the ${this.secrets.kind === "keychain" ? "OS keychain" : "file store"}: it was deleted outside ghpat.`,
        `Store the token again with 'ghpat add ${record.name}${host} --force', or drop the record with 'ghpat remove ${record.name}' ('ghpat doctor --fix' drops every such record).`,
      );
    }
    return secret;
  }

  /**
   * Stores a new token. The first token of a host becomes its default. With
   * `replace`, a token of the same name is swapped out; if anything fails the
   * old secret is put back.
   */
  async add(record: TokenRecord, token: string, options: { replace: boolean }): Promise<TokenRecord> {
    const account = keychainAccount(record);
    let undo: (() => Promise<unknown>) | undefined;
    try {
      return await this.index.update(async (index) => {
        const existing = index.tokens.find((t) => t.name === record.name);
        if (existing && !options.replace) {
          throw new UsageError(`A token named '${record.name}' already exists.`, `Choose another name, or pass --force to replace it.`);
        }
        const previous = existing ? await this.secrets.get(keychainAccount(existing)) : null;
        await this.secrets.set(account, token);
        undo = previous !== null && existing && keychainAccount(existing) === account
          ? () => this.secrets.set(account, previous)
          : () => this.secrets.delete(account);

        const others = index.tokens.filter((t) => t.name !== record.name);
        const hasDefault = others.some((t) => t.host === record.host && t.default);
        const stored: TokenRecord = { ...record, default: record.default || !hasDefault };
        let tokens = [...others, stored];
        if (stored.default) tokens = withDefault(tokens, stored);
        return { index: { ...index, tokens }, result: { stored, replacedAccount: existing ? keychainAccount(existing) : undefined } };
      }).then(async ({ stored, replacedAccount }) => {
        undo = undefined;
        if (replacedAccount !== undefined && replacedAccount !== account) await this.secrets.delete(replacedAccount);
        return stored;
      });
    } catch (error) {
      if (undo) await undo().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Deletes the secret, then the record, both under the index lock so that
   * nothing else sees one without the other. A crash in between leaves a
   * record whose secret is gone (doctor --fix finishes the removal), never
   * a secret that outlives its removal. When the keychain is locked or
   * unreachable, nothing is removed; a secret already gone is no obstacle.
   */
  async remove(name: string): Promise<TokenRecord> {
    return this.index.update(async (index) => {
      const current = index.tokens.find((t) => t.name === name);
      if (!current) throw notFound(name);
      await this.secrets.delete(keychainAccount(current));
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
}
