import { msUntilExpiry, type TokenRecord } from "../../core/record.js";
import { counted } from "../../core/plural.js";
import { daysBetween, localDay, localDayAt } from "../../core/days.js";

const HOUR_MS = 3_600_000;

/** "expires 2027-01-01 (in 36 days)", "expired 2026-11-20", "never expires", "expiry unknown". A caller that already has `msUntilExpiry` passes it in. */
export function describeExpiry(
  record: Pick<TokenRecord, "expiresAt" | "expiryKnown">,
  now: Date,
  msLeft = msUntilExpiry(record, now),
): string {
  if (!record.expiryKnown) return "expiry unknown";
  if (record.expiresAt === null) return "never expires";
  if (Number.isNaN(msLeft)) return `expires ${localDay(record.expiresAt)}`;
  // The expiry's instant is now + msLeft: parsed once, by msUntilExpiry, however many rows a table has.
  const nowMs = now.getTime();
  const expiry = localDayAt(nowMs + msLeft);
  if (msLeft <= 0) return `expired ${expiry.text}`;
  return `expires ${expiry.text} (in ${timeLeft(daysBetween(localDayAt(nowMs).number, expiry.number), msLeft)})`;
}

/** "3 days", "1 day": calendar days in local time (core/days.ts); on the day itself, in hours. */
function timeLeft(days: number, ms: number): string {
  if (days > 0) return counted(days, "day");
  const hours = Math.floor(ms / HOUR_MS);
  return hours === 0 ? "under an hour" : counted(hours, "hour");
}

export function describeScopes(scopes: string[] | null): string {
  if (scopes === null) return "scopes unknown";
  return scopes.length === 0 ? "no scopes" : scopes.join(", ");
}

/** `contents:write, metadata:read (declared)`: what the user said when the token was made, which no API confirms. */
export function describePermissions(permissions: Readonly<Record<string, string>>): string {
  const entries = Object.entries(permissions);
  return `${entries.length === 0 ? "no permissions" : entries.map(([name, level]) => `${name}:${level}`).join(", ")} (declared)`;
}

const REPOSITORIES_SHOWN = 3;

/** `acme/api, acme/web`, `acme/a, acme/b, acme/c +4 more`, `no private repositories`. */
export function describeRepositories(repositories: readonly string[]): string {
  if (repositories.length === 0) return "no private repositories";
  const shown = repositories.slice(0, REPOSITORIES_SHOWN).join(", ");
  return repositories.length > REPOSITORIES_SHOWN
    ? `${shown} +${repositories.length - REPOSITORIES_SHOWN} more`
    : shown;
}

/**
 * What a token can do and where: its scopes, or for a fine-grained token
 * its declared permissions, then the private repositories it was last seen
 * to reach (else its declared owner).
 */
export function describeAccess(record: Pick<TokenRecord, "scopes" | "permissions" | "owner" | "repositories">): string {
  const what =
    record.scopes === null && record.permissions != null
      ? describePermissions(record.permissions)
      : describeScopes(record.scopes);
  if (record.repositories != null) return `${what}; ${describeRepositories(record.repositories)}`;
  return record.owner != null ? `${what}; owner ${record.owner}` : what;
}

/** One human sentence about a stored token, for messages on stderr. */
export function describeRecord(record: TokenRecord, now: Date): string {
  const who = record.login ? `Login ${record.login}` : "Not verified";
  return `${who}; ${describeAccess(record)}; ${describeExpiry(record, now)}.${record.default ? " Default for its host." : ""}`;
}
