import { createHash } from "node:crypto";
import { currentStatus, type TokenRecord } from "./record.js";
import { localDay } from "./days.js";
import type { Calendar, CalendarEvent } from "./ics.js";
import { settingsUrl } from "./settings-url.js";

const DAY_MS = 86_400_000;

/**
 * One UID per stored token name and host, whatever the secret: exporting
 * again (after a rotation too) updates the event instead of adding one.
 */
export function eventUid(record: Pick<TokenRecord, "host" | "name">): string {
  const digest = createHash("sha256").update(`${record.host}\n${record.name}`).digest("hex").slice(0, 32);
  return `ghpat-${digest}@ghpat`;
}

function expiryEvent(record: TokenRecord & { expiresAt: string }, now: Date, daysBefore: number): CalendarEvent {
  const expiry = new Date(record.expiresAt);
  const date = localDay(record.expiresAt);
  const url = settingsUrl(record);
  const who = record.login ? `, login ${record.login}` : "";
  const description = [
    `The GitHub token '${record.name}' (${record.fingerprint}${who}) for ${record.host} expires at ${record.expiresAt}.`,
    `Replace it: ghpat rotate ${record.name}`,
    `Regenerate or revoke it at ${url}`,
    ...(record.note ? [`Note: ${record.note}`] : []),
  ].join("\n");
  return {
    uid: eventUid(record),
    // Never in the past: a token that expires within `daysBefore` is due now.
    start: new Date(Math.max(expiry.getTime() - daysBefore * DAY_MS, now.getTime())),
    durationMinutes: 30,
    summary: `Rotate GitHub token '${record.name}' (${record.host}): expires ${date}`,
    description,
    url,
    categories: ["ghpat"],
    alarm: {
      trigger: "PT0S",
      description: `GitHub token '${record.name}' (${record.host}) expires on ${date}. Run: ghpat rotate ${record.name}`,
    },
  };
}

/**
 * A calendar with an event `daysBefore` days before each known expiry (now,
 * when that is past). A token that already expired or was revoked gets none:
 * an event in the past reminds nobody, and revoke-reminder reports those.
 */
export function expiryCalendar(
  records: readonly TokenRecord[],
  now: Date,
  daysBefore: number,
  version: string,
): Calendar {
  const events = records
    .filter((r): r is TokenRecord & { expiresAt: string } => r.expiresAt !== null)
    .filter((r) => {
      const status = currentStatus(r, now);
      return status !== "expired" && status !== "revoked";
    })
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt))
    .map((r) => expiryEvent(r, now, daysBefore));
  return { prodId: `-//ghpat//ghpat ${version}//EN`, name: "GitHub token expiries (ghpat)", stamp: now, events };
}
