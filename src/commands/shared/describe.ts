import { msUntilExpiry, type TokenRecord } from "../../core/record.js";
import { counted } from "../../core/plural.js";
import { calendarDaysUntil, localDay } from "../../core/days.js";

const HOUR_MS = 3_600_000;

/** "expires 2027-01-01 (in 36 days)", "expired 2026-11-20", "never expires", "expiry unknown". A caller that already has `msUntilExpiry` passes it in. */
export function describeExpiry(record: Pick<TokenRecord, "expiresAt" | "expiryKnown">, now: Date, msLeft = msUntilExpiry(record, now)): string {
  if (!record.expiryKnown) return "expiry unknown";
  if (record.expiresAt === null) return "never expires";
  const date = localDay(record.expiresAt);
  if (msLeft <= 0) return `expired ${date}`;
  return `expires ${date} (in ${timeLeft(record.expiresAt, msLeft, now)})`;
}

/** "3 days", "1 day": calendar days in local time (core/days.ts); on the day itself, in hours. */
function timeLeft(expiresAt: string, ms: number, now: Date): string {
  const days = calendarDaysUntil(expiresAt, now);
  if (days > 0) return counted(days, "day");
  const hours = Math.floor(ms / HOUR_MS);
  return hours === 0 ? "under an hour" : counted(hours, "hour");
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
