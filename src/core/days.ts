/**
 * Days as people count them: calendar days in local time. On 3 December a
 * token expiring on 8 December expires "in 5 days", at whatever hour of
 * either day, and the date shown with it is the local one, so the two agree.
 */

const DAY_MS = 86_400_000;

/** The local calendar day of an instant, as the UTC midnight of the same date (free of DST). */
function dayNumber(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Calendar days, in local time, from the day of `now` to the day of `iso`: 0 today, 1 tomorrow, -1 yesterday. */
export function calendarDaysUntil(iso: string, now: Date): number {
  const days = Math.round((dayNumber(Date.parse(iso)) - dayNumber(now.getTime())) / DAY_MS);
  return days === 0 ? 0 : days;
}

/** `YYYY-MM-DD` of the local day `iso` falls on (the text's own first ten characters when it does not parse). */
export function localDay(iso: string): string {
  const d = new Date(Date.parse(iso));
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  return `${String(d.getFullYear()).padStart(4, "0")}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
