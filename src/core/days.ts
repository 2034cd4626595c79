/**
 * Days as people count them: calendar days in local time. On 3 December a
 * token expiring on 8 December expires "in 5 days", at whatever hour of
 * either day, and the date shown with it is the local one, so the two agree.
 */

const DAY_MS = 86_400_000;

/** A local calendar day: its `YYYY-MM-DD`, and its number (the UTC midnight of the same date, free of DST). */
export interface LocalDay {
  text: string;
  number: number;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The local day of an instant in milliseconds, read from the calendar once for both of its forms. */
export function localDayAt(ms: number): LocalDay {
  const d = new Date(ms);
  const year = d.getFullYear();
  const month = d.getMonth();
  const date = d.getDate();
  return {
    text: `${String(year).padStart(4, "0")}-${twoDigits(month + 1)}-${twoDigits(date)}`,
    number: Date.UTC(year, month, date),
  };
}

/** Calendar days from local day `from` to local day `to` (LocalDay numbers): 0 the same day, 1 the next, -1 the one before. */
export function daysBetween(from: number, to: number): number {
  const days = Math.round((to - from) / DAY_MS);
  return days === 0 ? 0 : days;
}

/** Calendar days, in local time, from the day of `now` to the day of `iso`: 0 today, 1 tomorrow, -1 yesterday. */
export function calendarDaysUntil(iso: string, now: Date): number {
  return daysBetween(localDayAt(now.getTime()).number, localDayAt(Date.parse(iso)).number);
}

/** `YYYY-MM-DD` of the local day `iso` falls on (the text's own first ten characters when it does not parse). */
export function localDay(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso.slice(0, 10) : localDayAt(ms).text;
}
