import { isValidName, keychainAccount, normalizeHost, type TokenRecord } from "./record.js";
import { classifyToken } from "./token-format.js";
import { newRecord, tokenFields } from "./new-record.js";

/**
 * How the index and the secret store disagree. Pure: the caller lists the
 * store's accounts and reads the secrets it needs.
 */
export interface Disagreement {
  /** Records whose secret the store does not hold. */
  recordsWithoutSecret: TokenRecord[];
  /** Accounts of the form `<host>/<name>` that no record points at. */
  secretsWithoutRecord: Array<{ account: string; host: string; name: string }>;
  /** Accounts under ghpat's service that ghpat cannot have written. */
  unknownAccounts: string[];
}

/** `<host>/<name>` → its parts, or null when ghpat could not have written this account. */
export function parseAccount(account: string): { host: string; name: string } | null {
  const slash = account.indexOf("/");
  if (slash <= 0) return null;
  const host = account.slice(0, slash);
  const name = account.slice(slash + 1);
  if (normalizeHost(host) !== host || !isValidName(name)) return null;
  return { host, name };
}

export function reconcile(records: readonly TokenRecord[], accounts: readonly string[]): Disagreement {
  const held = new Set(accounts);
  const recorded = new Set(records.map(keychainAccount));
  const secretsWithoutRecord: Disagreement["secretsWithoutRecord"] = [];
  const unknownAccounts: string[] = [];
  for (const account of new Set(accounts)) {
    if (recorded.has(account)) continue;
    const parts = parseAccount(account);
    if (parts) secretsWithoutRecord.push({ account, ...parts });
    else unknownAccounts.push(account);
  }
  return {
    recordsWithoutSecret: records.filter((r) => !held.has(keychainAccount(r))),
    secretsWithoutRecord,
    unknownAccounts,
  };
}

/** A name for a recovered secret: its own when free, else `name@host`, then numbered. */
export function freeName(wanted: string, host: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  const base = `${wanted}@${host}`.slice(0, 96);
  if (isValidName(base) && !taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (isValidName(candidate) && !taken.has(candidate)) return candidate;
  }
}

/**
 * The record doctor --fix writes for a secret that has none: everything it
 * can know offline, `unverified` until `ghpat verify` asks the API.
 */
export function recoveredRecord(
  host: string,
  name: string,
  secret: string,
  now: Date,
  makeDefault: boolean,
): TokenRecord {
  return newRecord({
    name,
    host,
    token: secret,
    type: classifyToken(secret),
    info: null,
    now,
    default: makeDefault,
    match: [],
    note: "recovered by ghpat doctor --fix",
  });
}

/** A record whose secret was replaced behind it: what is known about the old token no longer holds. */
export function rebasedRecord(record: TokenRecord, secret: string): TokenRecord {
  return { ...record, ...tokenFields(secret, classifyToken(secret), null) };
}
