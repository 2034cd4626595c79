/**
 * The token record and index shapes (docs/design.md section 2). This module
 * depends on nothing but controls.ts, so that hot paths (list,
 * git-credential) can use it without loading the validator; the zod schema
 * lives in record-schema.ts.
 */
import { quoted } from "./controls.js";
import type { Permissions } from "./permissions.js";

export const TOKEN_TYPES = [
  "classic",
  "fine-grained",
  "oauth",
  "user-to-server",
  "installation",
  "refresh",
  "unknown",
] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export const TOKEN_STATUSES = ["valid", "unverified", "revoked", "expired", "rejected"] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const INDEX_VERSION = 1;

export const STORE_KINDS = ["keychain", "file"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface TokenSso {
  /** Where GitHub said to authorise the token, when it named a place. */
  url: string | null;
}

/** The metadata ghpat keeps about a token. It never holds the secret. */
export interface TokenRecord {
  name: string;
  host: string;
  login: string | null;
  type: TokenType;
  fingerprint: string;
  scopes: string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
  addedAt: string;
  lastVerifiedAt: string | null;
  lastUsedAt: string | null;
  status: TokenStatus;
  default: boolean;
  match: string[];
  note: string | null;
  /**
   * The secret store that holds the token. Absent in records written before
   * the file store existed, which could only be in the keychain.
   */
  store?: StoreKind | undefined;
  /**
   * Set by a migration once the secret is safe in `store`: this other store
   * may still hold a copy that the migration has yet to delete.
   */
  staleCopyIn?: StoreKind | undefined;
  /**
   * Set once a verification saw GitHub ask for SAML SSO authorisation
   * (`X-GitHub-SSO`), with the URL it named: a successor will need the same.
   */
  sso?: TokenSso | undefined;
  /**
   * Set by a rotation before it writes the successor's secret, cleared with
   * the write of its record: a slot holding a secret of this fingerprint
   * holds the successor that a killed rotation had stored (slot-owner.ts).
   */
  pendingFingerprint?: string | undefined;
  /**
   * The fine-grained permissions declared when the token was made (`ghpat
   * new`, `add --permission`): no API reports them, so they are what the
   * user asked for, not what GitHub granted. Absent or null: none declared.
   */
  permissions?: Permissions | null | undefined;
  /** The resource owner declared for a fine-grained token (a user or an organisation). */
  owner?: string | null | undefined;
  /**
   * The private repositories (`owner/name`) that `GET /user/repos` listed
   * for a fine-grained token at its last verification, at
   * `repositoriesCheckedAt`; absent or null until known.
   */
  repositories?: string[] | null | undefined;
  repositoriesCheckedAt?: string | null | undefined;
  /**
   * A keyed hash of the secret (`<key id>:<HMAC-SHA-256>`, core/secret-mac.ts),
   * never the secret: `scan` names a stored token it finds by it without
   * opening the secret store. Written by add and rotate, and added to older
   * records when their secret is next read or verified.
   */
  secretMac?: string | undefined;
  /**
   * Set by a rename (`edit --name`) in the index write that gives the record
   * its new name, cleared once the old slot is emptied: the slot
   * `<host>/<renamedFrom>`, when it holds the record's own secret
   * (slot-owner.ts), is the rename's leftover, and doctor --fix empties it.
   */
  renamedFrom?: string | undefined;
  /** Fields written by a newer ghpat are kept as they are. */
  [unknownField: string]: unknown;
}

export interface Index {
  version: typeof INDEX_VERSION;
  tokens: TokenRecord[];
  [unknownField: string]: unknown;
}

export function emptyIndex(): Index {
  return { version: INDEX_VERSION, tokens: [] };
}

/** The JSON element `list --json` prints: exactly the documented fields, in order. */
export function publicRecord(record: TokenRecord): TokenRecord {
  return {
    name: record.name,
    host: record.host,
    login: record.login,
    type: record.type,
    fingerprint: record.fingerprint,
    scopes: record.scopes,
    expiresAt: record.expiresAt,
    expiryKnown: record.expiryKnown,
    addedAt: record.addedAt,
    lastVerifiedAt: record.lastVerifiedAt,
    lastUsedAt: record.lastUsedAt,
    status: record.status,
    default: record.default,
    match: record.match,
    note: record.note,
    permissions: record.permissions ?? null,
    owner: record.owner ?? null,
    repositories: record.repositories ?? null,
    repositoriesCheckedAt: record.repositoriesCheckedAt ?? null,
  };
}

/** Code-unit order: names and hosts are ASCII, and localeCompare would load ICU's collator (~10 ms). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of `list`, `verify` and the index file itself. */
export function compareByHostAndName(
  a: Pick<TokenRecord, "host" | "name">,
  b: Pick<TokenRecord, "host" | "name">,
): number {
  return compareCodeUnits(a.host, b.host) || compareCodeUnits(a.name, b.name);
}

/** Names become part of the keychain account `<host>/<name>` and of shell commands. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:+-]{0,99}$/;
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

const HOST_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
/** Hosts are stored lower-cased, port included, never re-parsed as URLs. */
export function normalizeHost(host: string): string | null {
  const lowered = host.trim().toLowerCase();
  return HOST_PATTERN.test(lowered) ? lowered : null;
}

/**
 * GitHub's login characters: letters, digits and hyphens (github.com), the
 * underscore of Enterprise Managed Users (`handle_shortcode`) and of
 * normalized Enterprise Server logins, and an app's `[bot]` suffix. Logins
 * become token names, git's `username=` and terminal output, so nothing
 * else is taken from an API answer, or from an index.
 */
const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,98})(?:\[bot\])?$/;
export function isValidLogin(login: string): boolean {
  return LOGIN_PATTERN.test(login);
}

/** `owner/name` as GitHub spells a repository: taken from an index or an API answer only when it fits. */
const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,98})\/[A-Za-z0-9._-]{1,100}$/;
export function isValidRepository(fullName: string): boolean {
  return REPOSITORY_PATTERN.test(fullName) && !fullName.endsWith("/.") && !fullName.endsWith("/..");
}

/**
 * The one rule for what identifies a record, on write and on read alike:
 * the name and host that become keychain accounts, shell words, calendar
 * and Actions lines, and the login. Null when the record passes; else what
 * is wrong, quoted as JSON so that the message itself carries no control
 * character.
 */
export function identityProblem(record: Pick<TokenRecord, "name" | "host" | "login">): string | null {
  if (!isValidName(record.name))
    return `the name ${quoted(record.name)} is not a token name ghpat writes (letters, digits and . _ @ : + -, up to 100)`;
  if (normalizeHost(record.host) !== record.host)
    return `the host ${quoted(record.host)} of ${quoted(record.name)} is not a lower-case host name`;
  if (record.login !== null && !isValidLogin(record.login))
    return `the login ${quoted(record.login)} of ${quoted(record.name)} is not a GitHub login`;
  return null;
}

export function defaultName(login: string, host: string): string {
  return host === "github.com" ? login : `${login}@${host}`;
}

/** Where a record's secret lives. */
export function storeOf(record: Pick<TokenRecord, "store">): StoreKind {
  return record.store ?? "keychain";
}

export function keychainAccount(record: Pick<TokenRecord, "host" | "name">): string {
  return `${record.host}/${record.name}`;
}

/** Milliseconds from `now` to the record's expiry: zero or less once it has passed, Infinity when it never expires. */
export function msUntilExpiry(record: Pick<TokenRecord, "expiresAt">, now: Date): number {
  return record.expiresAt === null ? Infinity : Date.parse(record.expiresAt) - now.getTime();
}

/** Whether the record's known expiry has passed at `now`. */
export function isExpired(record: Pick<TokenRecord, "expiresAt">, now: Date): boolean {
  return msUntilExpiry(record, now) <= 0;
}

/**
 * A token's status as it stands now: one whose expiry has passed is
 * `expired`, whatever its last check said, so that no script picks a dead
 * token by its status. A revoked or rejected token stays what it is.
 * A caller that already has `msUntilExpiry` passes it in.
 */
export function currentStatus(
  record: Pick<TokenRecord, "status" | "expiresAt">,
  now: Date,
  msLeft = msUntilExpiry(record, now),
): TokenStatus {
  return (record.status === "valid" || record.status === "unverified") && msLeft <= 0 ? "expired" : record.status;
}

/** The record with its current status (the same object when that has not changed). */
export function withCurrentStatus(record: TokenRecord, now: Date): TokenRecord {
  const status = currentStatus(record, now);
  return status === record.status ? record : { ...record, status };
}

/** At most one index write per token per minute for `store` (and `exec`). */
export const USAGE_WRITE_INTERVAL_MS = 60_000;

export function recentlyUsed(record: Pick<TokenRecord, "lastUsedAt">, now: Date): boolean {
  if (record.lastUsedAt === null) return false;
  const last = Date.parse(record.lastUsedAt);
  return !Number.isNaN(last) && now.getTime() - last >= 0 && now.getTime() - last < USAGE_WRITE_INTERVAL_MS;
}
