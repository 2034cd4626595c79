import { NotFoundError, UsageError } from "../errors.js";
import { keychainAccount, storeOf, type TokenRecord } from "../core/record.js";
import { fingerprint } from "../core/token-format.js";

function itemOf(record: Pick<TokenRecord, "name" | "store">): string {
  return storeOf(record) === "keychain"
    ? `The keychain item for '${record.name}'`
    : `The file store's item for '${record.name}'`;
}

const SHARED_SERVICE_HINT =
  "Another ghpat config directory (GHPAT_CONFIG_DIR, another HOME or XDG_CONFIG_HOME, sudo -E) may use the same keychain service: give each its own GHPAT_KEYCHAIN_SERVICE.";

/**
 * Exit 3: the record's slot holds a token the record does not describe
 * (slot-owner.ts). ghpat hands out nothing rather than another index's
 * token. Names and fingerprints only, never a secret.
 */
export class SlotMismatchError extends NotFoundError {
  override name = "SlotMismatchError";
  constructor(record: Pick<TokenRecord, "name" | "host" | "fingerprint" | "store">, secret: string) {
    super(
      `${itemOf(record)} holds another token (${fingerprint(secret)}, where '${record.name}' is ${record.fingerprint}); ghpat does not use it.`,
      `${SHARED_SERVICE_HINT} 'ghpat doctor' lists every such item; 'ghpat remove ${record.name}' drops the record and leaves the item (${keychainAccount(record)}) alone.`,
    );
  }
}

/**
 * Exit 2: a write into a slot that holds a token this index does not know,
 * which would destroy another index's token. --force does not override it.
 */
export class ForeignSlotError extends UsageError {
  override name = "ForeignSlotError";
  constructor(record: Pick<TokenRecord, "name" | "host" | "store">, secret: string) {
    super(
      `${itemOf(record)} (${keychainAccount(record)}) already holds a token this index does not know (${fingerprint(secret)}); nothing was stored, and --force does not change that.`,
      `${SHARED_SERVICE_HINT} Or choose another name.`,
    );
  }
}
