import { compareByHostAndName, type TokenRecord } from "./record.js";
import { settingsUrl } from "./settings-url.js";
import { calendarDaysUntil, localDay } from "./days.js";
import { counted } from "./plural.js";

/** Why a token needs attention, most urgent first. */
export const REMINDER_REASONS = [
  "expired",
  "revoked",
  "rejected",
  "expiring",
  "no-expiry",
  "broad-scopes",
  "stale",
  "unverified",
] as const;
export type ReminderReason = (typeof REMINDER_REASONS)[number];

/** Scopes that can destroy data or take over an account or organisation. */
export const BROAD_SCOPES: readonly string[] = [
  "delete_repo",
  "admin:org",
  "admin:enterprise",
  "admin:org_hook",
  "admin:repo_hook",
  "site_admin",
  "delete:packages",
  "admin:gpg_key",
  "admin:public_key",
  "admin:ssh_signing_key",
];

export interface ReminderOptions {
  /** `expiring` means within this many days. */
  days: number;
  /** `stale` means neither used nor added within this many days. */
  staleDays: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = { days: 14, staleDays: 90 };

export interface Finding {
  name: string;
  host: string;
  reason: ReminderReason;
  /** `error` for tokens that no longer work (expired, revoked); `warning` otherwise. */
  severity: "error" | "warning";
  expiresAt: string | null;
  /** Whole days until `expiresAt` (negative once past); null when it never expires or is unknown. */
  daysLeft: number | null;
  lastUsedAt: string | null;
  /** Where the user revokes or regenerates the token. */
  settingsUrl: string;
  /** One human sentence about this finding. */
  detail: string;
}

const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

/** From now to `iso` for a table cell, in local calendar days: "in 3 d", "2 d ago"; on the day itself in hours ("in 5 h", "< 1 h ago"). */
export function shortDistance(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const days = calendarDaysUntil(iso, now);
  const distance =
    days !== 0 ? `${Math.abs(days)} d` : Math.abs(ms) < HOUR_MS ? "< 1 h" : `${Math.trunc(Math.abs(ms) / HOUR_MS)} h`;
  return ms >= 0 ? `in ${distance}` : `${distance} ago`;
}

function day(iso: string): string {
  return localDay(iso);
}

/** The newest of lastUsedAt and addedAt, in ms. */
function lastSign(record: TokenRecord): number {
  const used = record.lastUsedAt === null ? Number.NaN : Date.parse(record.lastUsedAt);
  const added = Date.parse(record.addedAt);
  return Number.isNaN(used) ? added : Math.max(used, added);
}

/** GitHub revokes a personal access token or OAuth token that has not been used for a year. */
export const GITHUB_UNUSED_DELETION_DAYS = 365;

/**
 * The day GitHub deletes the token if it stays unused, counted from the last
 * use ghpat saw; without one ghpat cannot know what GitHub saw, so no date.
 */
export function unusedDeletionDate(record: Pick<TokenRecord, "lastUsedAt">): string | null {
  const used = record.lastUsedAt === null ? Number.NaN : Date.parse(record.lastUsedAt);
  return Number.isNaN(used) ? null : new Date(used + GITHUB_UNUSED_DELETION_DAYS * DAY_MS).toISOString().slice(0, 10);
}

function unusedDeletion(record: TokenRecord, now: Date): string {
  const date = unusedDeletionDate(record);
  if (date === null) return "GitHub deletes a token unused for a year";
  return date <= day(now.toISOString())
    ? `GitHub deletes a token unused for a year, so it may be gone since ${date}`
    : `GitHub deletes a token unused for a year: on ${date} unless it is used before`;
}

interface RawFinding {
  reason: ReminderReason;
  detail: string;
}

function findingsOf(record: TokenRecord, now: Date, options: ReminderOptions): RawFinding[] {
  const out: RawFinding[] = [];
  const expiresMs = record.expiresAt === null ? Number.NaN : Date.parse(record.expiresAt);
  const expired = record.status === "expired" || (!Number.isNaN(expiresMs) && expiresMs <= now.getTime());

  if (expired) {
    out.push({
      reason: "expired",
      detail: record.expiresAt ? `expired on ${day(record.expiresAt)}` : "GitHub reported it expired",
    });
  }
  if (record.status === "revoked") {
    out.push({
      reason: "revoked",
      detail: "GitHub rejected it at the last verification (401): revoked, expired or wrong",
    });
  }
  // A dead token needs replacing or removing; its other risks no longer matter.
  if (out.length > 0) return out;

  if (record.status === "rejected") {
    out.push({ reason: "rejected", detail: "git reported an authentication failure with it" });
  }
  if (!Number.isNaN(expiresMs) && expiresMs - now.getTime() <= options.days * DAY_MS) {
    const days = calendarDaysUntil(record.expiresAt as string, now);
    out.push({
      reason: "expiring",
      detail: `expires on ${day(record.expiresAt as string)} (${days === 0 ? "within a day" : `in ${counted(days, "day")}`})`,
    });
  }
  if (record.expiryKnown && record.expiresAt === null) {
    out.push({ reason: "no-expiry", detail: "it never expires; give its successor an expiry date" });
  }
  const broad = (record.scopes ?? []).filter((scope) => BROAD_SCOPES.includes(scope));
  if (broad.length > 0) {
    out.push({ reason: "broad-scopes", detail: `it has ${broad.join(", ")}` });
  }
  const idleMs = now.getTime() - lastSign(record);
  if (idleMs > options.staleDays * DAY_MS) {
    const idleDays = Math.floor(idleMs / DAY_MS);
    const idle =
      record.lastUsedAt === null
        ? `never used by git through ghpat, added ${counted(idleDays, "day")} ago`
        : `last used ${counted(idleDays, "day")} ago`;
    out.push({ reason: "stale", detail: `${idle}; ${unusedDeletion(record, now)}` });
  }
  if (record.lastVerifiedAt === null || record.status === "unverified") {
    out.push({
      reason: "unverified",
      detail: "never checked against the API; its login, scopes and expiry are unknown",
    });
  }
  return out;
}

const RANK = new Map<ReminderReason, number>(REMINDER_REASONS.map((reason, i) => [reason, i]));

function byUrgency(a: Finding, b: Finding): number {
  const rank = (RANK.get(a.reason) ?? 0) - (RANK.get(b.reason) ?? 0);
  if (rank !== 0) return rank;
  // Within a reason, the token that dies first comes first; unknown expiries last.
  const ea = a.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.expiresAt);
  const eb = b.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(b.expiresAt);
  if (ea !== eb) return ea < eb ? -1 : 1;
  return compareByHostAndName(a, b);
}

/**
 * Everything about the stored tokens that needs the user's attention at
 * `now`, most urgent first. Pure: works from the records alone.
 */
export function findReminders(
  records: readonly TokenRecord[],
  now: Date,
  options: ReminderOptions = DEFAULT_REMINDER_OPTIONS,
): Finding[] {
  const findings: Finding[] = [];
  for (const record of records) {
    for (const raw of findingsOf(record, now, options)) {
      findings.push({
        name: record.name,
        host: record.host,
        reason: raw.reason,
        severity: raw.reason === "expired" || raw.reason === "revoked" ? "error" : "warning",
        expiresAt: record.expiresAt,
        daysLeft: record.expiresAt === null ? null : calendarDaysUntil(record.expiresAt, now),
        lastUsedAt: record.lastUsedAt,
        settingsUrl: settingsUrl(record),
        detail: raw.detail,
      });
    }
  }
  return findings.sort(byUrgency);
}

/** "3 findings for 2 of 5 tokens: 1 expired, 2 expiring." */
export function summarize(findings: readonly Finding[], tokenCount: number): string {
  if (findings.length === 0) return `No token needs attention (${counted(tokenCount, "token")} checked).`;
  const tokens = new Set(findings.map((f) => `${f.host}\0${f.name}`)).size;
  const counts = REMINDER_REASONS.map((reason) => [reason, findings.filter((f) => f.reason === reason).length] as const)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  return `${counted(findings.length, "finding")} for ${tokens} of ${counted(tokenCount, "token")}: ${counts.join(", ")}.`;
}
