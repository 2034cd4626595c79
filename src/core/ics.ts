/**
 * A small RFC 5545 (iCalendar) writer: just what an expiry calendar needs.
 * The `ics` package folds at 75 characters, not octets, so a note with
 * accents or emoji would produce over-long lines; this one counts bytes and
 * never splits a UTF-8 sequence.
 */

export interface CalendarAlarm {
  /** RFC 5545 duration relative to the event's start, e.g. `PT0S` or `-PT1H`. */
  trigger: string;
  description: string;
}

export interface CalendarEvent {
  uid: string;
  start: Date;
  durationMinutes: number;
  summary: string;
  description: string;
  url?: string | undefined;
  categories?: string[] | undefined;
  alarm: CalendarAlarm;
}

export interface Calendar {
  prodId: string;
  name: string;
  stamp: Date;
  events: CalendarEvent[];
}

const CRLF = "\r\n";
const MAX_LINE_OCTETS = 75;

/** TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped; other controls dropped. */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, "\n")
      .replace(/[\\;,]/g, (c) => `\\${c}`)
      .replace(/\n/g, "\\n")
      // eslint-disable-next-line no-control-regex -- control characters are not allowed in TEXT (RFC 5545 3.3.11).
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
  );
}

/**
 * URI values (RFC 5545 3.3.13) take no TEXT escaping, so anything outside
 * printable ASCII, CR and LF above all, is percent-encoded (RFC 3986): a URL
 * built from a host can never start a property of its own.
 */
export function escapeUri(value: string): string {
  return value.replace(/[^\x21-\x7e]/gu, (char) =>
    [...Buffer.from(char, "utf8")].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

// dur-value of RFC 5545 3.3.6: weeks, or days and/or a time of hours, minutes, seconds in that order.
const TIME = String.raw`T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)`;
const DURATION = new RegExp(String.raw`^[+-]?P(?:\d+W|\d+D(?:${TIME})?|${TIME})$`);

/** DURATION values are checked, not escaped: anything else is a bug of the caller. */
export function checkedDuration(value: string): string {
  if (!DURATION.test(value)) throw new Error(`Not an RFC 5545 duration: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Folds a content line into physical lines of at most 75 octets (RFC 5545
 * 3.1); continuation lines start with one space, which counts toward the 75.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, "utf8") <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** UTC DATE-TIME form: 20270101T000000Z. */
export function formatUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

function eventLines(event: CalendarEvent, stamp: Date): string[] {
  return [
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(stamp)}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DURATION:PT${Math.max(0, Math.trunc(event.durationMinutes))}M`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    ...(event.url ? [`URL:${escapeUri(event.url)}`] : []),
    ...(event.categories?.length ? [`CATEGORIES:${event.categories.map(escapeText).join(",")}`] : []),
    "TRANSP:TRANSPARENT",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${escapeText(event.alarm.description)}`,
    `TRIGGER:${checkedDuration(event.alarm.trigger)}`,
    "END:VALARM",
    "END:VEVENT",
  ];
}

/** The whole calendar as text: CRLF line ends, folded lines, ending with a CRLF. */
export function serializeCalendar(calendar: Calendar): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(calendar.prodId)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    ...calendar.events.flatMap((event) => eventLines(event, calendar.stamp)),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
