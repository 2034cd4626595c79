/**
 * The nudge: one line on stderr when a token that is being handed out
 * (`git-credential get`, `token`, `exec`, `api`) will soon stop working or
 * has gone unused. What counts is what `revoke-reminder` finds; this module
 * only picks the findings worth interrupting someone for and words them.
 * Pure: the once-a-day bookkeeping lives in storage/nudge-state.ts.
 */
import type { Env } from "../config.js";
import type { TokenRecord } from "./record.js";
import { DEFAULT_REMINDER_OPTIONS, findReminders, type Finding, type ReminderReason } from "./reminders.js";
import { revokeAdvice } from "./settings-url.js";

export const DEFAULT_NUDGE_DAYS = 7;

/**
 * GHPAT_NUDGE_DAYS: a nudge starts this many days before expiry; 0 turns
 * nudges off. A value that is not a whole number counts as unset: the
 * credential helper must never fail, or go quiet, over a typo.
 */
export function nudgeDays(env: Env): number {
  const raw = env.GHPAT_NUDGE_DAYS;
  if (raw === undefined || !/^\s*\d{1,5}\s*$/.test(raw)) return DEFAULT_NUDGE_DAYS;
  return Number(raw);
}

/** The findings a nudge speaks of: the token dies soon, has died, or GitHub may delete it for want of use. */
const NUDGE_REASONS: ReadonlySet<ReminderReason> = new Set(["expired", "expiring", "stale"]);

export interface Nudge {
  /** Which token the once-a-day rule counts for. */
  key: string;
  reason: ReminderReason;
  /** The line for stderr, without its newline; names and dates only, never a secret. */
  line: string;
}

export function nudgeKey(record: Pick<TokenRecord, "host" | "name">): string {
  return `${record.host}/${record.name}`;
}

function lineOf(finding: Finding): string {
  const token = `ghpat: token '${finding.name}' (${finding.host})`;
  if (finding.reason === "stale")
    return `${token} is stale: ${finding.detail}; if nothing needs it, revoke it ${revokeAdvice(finding, finding.settingsUrl)}`;
  return `${token} ${finding.detail}; replace it with 'ghpat rotate ${finding.name}'`;
}

/**
 * The nudge due for `record` at `now`, or null. Decided from the record
 * alone, so a caller reads no other file when nothing is due.
 */
export function nudgeFor(record: TokenRecord, now: Date, days: number): Nudge | null {
  if (days <= 0) return null;
  const findings = findReminders([record], now, { days, staleDays: DEFAULT_REMINDER_OPTIONS.staleDays });
  // Findings come most urgent first: expired before expiring before stale.
  const finding = findings.find((f) => NUDGE_REASONS.has(f.reason));
  return finding === undefined ? null : { key: nudgeKey(record), reason: finding.reason, line: lineOf(finding) };
}

/** Whether `last` (ISO 8601) falls on the same local calendar day as `now`: once a day means once per morning, not once per 24 hours. */
export function nudgedToday(last: string | undefined, now: Date): boolean {
  if (last === undefined) return false;
  const then = new Date(Date.parse(last));
  if (Number.isNaN(then.getTime())) return false;
  return (
    then.getFullYear() === now.getFullYear() && then.getMonth() === now.getMonth() && then.getDate() === now.getDate()
  );
}
