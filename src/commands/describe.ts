import type { TokenRecord } from "../core/record.js";

const DAY_MS = 86_400_000;

export function describeExpiry(record: Pick<TokenRecord, "expiresAt" | "expiryKnown">, now: Date): string {
  if (!record.expiryKnown) return "expiry unknown";
  if (record.expiresAt === null) return "never expires";
  const msLeft = Date.parse(record.expiresAt) - now.getTime();
  const date = record.expiresAt.slice(0, 10);
  if (msLeft <= 0) return `expired ${date}`;
  const days = Math.floor(msLeft / DAY_MS);
  return `expires ${date} (${days === 0 ? "today" : `in ${days} day${days === 1 ? "" : "s"}`})`;
}

export function describeScopes(scopes: string[] | null): string {
  if (scopes === null) return "scopes unknown";
  return scopes.length === 0 ? "no scopes" : scopes.join(", ");
}

/** One human sentence about a stored token, for messages on stderr. */
export function describeRecord(record: TokenRecord, now: Date): string {
  const who = record.login ? `Login ${record.login}` : "Not verified";
  return `${who}; ${describeScopes(record.scopes)}; ${describeExpiry(record, now)}.${record.default ? " Default for its host." : ""}`;
}
