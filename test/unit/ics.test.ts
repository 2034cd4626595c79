import { makeRecord } from "../helpers/records.js";
import ICAL from "ical.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TokenRecord } from "../../src/core/record.js";
import { checkedDuration, escapeText, escapeUri, foldLine, serializeCalendar } from "../../src/core/ics.js";
import { eventUid, expiryCalendar } from "../../src/core/expiry-calendar.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const DAY = 86_400_000;

function record(name: string, fields: Partial<TokenRecord> = {}): TokenRecord {
  return makeRecord(name, {
    expiresAt: "2026-04-30T10:00:00.000Z",
    lastVerifiedAt: "2026-01-01T00:00:00.000Z",
    ...fields,
  });
}

/** Checks the physical shape RFC 5545 asks for: CRLF only, ≤ 75 octets, whole UTF-8 sequences per line. */
function expectWellFormed(text: string): void {
  expect(text.endsWith("\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const bytes = Buffer.from(text, "utf8");
  let start = 0;
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
      const line = bytes.subarray(start, i);
      expect(line.length).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
      start = i + 2;
    }
  }
}

describe("foldLine", () => {
  it("leaves a 75-octet line alone and folds a longer one with a leading space", () => {
    const exact = "X".repeat(75);
    expect(foldLine(exact)).toBe(exact);
    const long = "Y".repeat(160);
    const folded = foldLine(long);
    expect(folded.split("\r\n").map((l) => l.length)).toEqual([75, 75, 12]);
    expect(
      folded
        .split("\r\n")
        .slice(1)
        .every((l) => l.startsWith(" ")),
    ).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(long);
  });

  it("counts octets, not characters, and never splits a UTF-8 sequence", () => {
    // 74 ASCII octets then a 2-octet é: it must move to the next line whole.
    const line = `${"a".repeat(74)}é${"b".repeat(10)}`;
    const [first, second] = foldLine(line).split("\r\n");
    expect(Buffer.byteLength(first ?? "")).toBe(74);
    expect(second).toBe(" éb".padEnd(12, "b"));
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => {
        const clean = s.replace(/[\r\n]/g, "");
        const folded = foldLine(clean);
        return (
          folded.split("\r\n").every((physical) => Buffer.byteLength(physical, "utf8") <= 75) &&
          folded.replace(/\r\n /g, "") === clean
        );
      }),
    );
  });
});

describe("escapeText", () => {
  it("escapes backslash, semicolon, comma and newlines, and drops other controls", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg\u0007h\ti")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h\ti");
  });
});

describe("expiryCalendar", () => {
  it("writes no event for an expired or revoked token, and none in the past for one expiring within the window", () => {
    const soon = "2026-03-04T10:00:00.000Z";
    const calendar = expiryCalendar(
      [
        record("expired", { expiresAt: "2026-02-27T10:00:00.000Z" }),
        record("marked", { expiresAt: "2026-05-01T10:00:00.000Z", status: "expired" }),
        record("revoked", { expiresAt: "2026-05-01T10:00:00.000Z", status: "revoked" }),
        record("soon", { expiresAt: soon }),
        record("later"),
      ],
      NOW,
      14,
      "1",
    );
    expect(calendar.events.map((e) => e.summary)).toEqual([
      "Rotate GitHub token 'soon' (github.com): expires 2026-03-04",
      "Rotate GitHub token 'later' (github.com): expires 2026-04-30",
    ]);
    expect(calendar.events.map((e) => e.start.toISOString())).toEqual([
      NOW.toISOString(),
      new Date(Date.parse("2026-04-30T10:00:00.000Z") - 14 * DAY).toISOString(),
    ]);
    for (const event of calendar.events) expect(event.start.getTime()).toBeGreaterThanOrEqual(NOW.getTime());
  });

  const records = [
    record("work", { note: 'Laptop; CI, and "deploys"\nsecond line — ünïcødé 🚀 '.repeat(3) }),
    record("forever", { expiresAt: null }),
    record("unknown", { expiresAt: null, expiryKnown: false }),
    record("fine", {
      type: "fine-grained",
      host: "ghe.example.com",
      expiresAt: "2026-03-10T00:00:00.000Z",
      scopes: null,
      login: null,
    }),
  ];

  it("parses with ical.js: one event per known expiry, --days before it, with an alarm", () => {
    const text = serializeCalendar(expiryCalendar(records, NOW, 14, "1.2.3"));
    expectWellFormed(text);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("prodid")).toBe("-//ghpat//ghpat 1.2.3//EN");
    const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    expect(events.map((e) => e.summary)).toEqual([
      "Rotate GitHub token 'fine' (ghe.example.com): expires 2026-03-10",
      "Rotate GitHub token 'work' (github.com): expires 2026-04-30",
    ]);
    const [fine, work] = events;
    // Nine days away, inside the 14: due now rather than on a day already past.
    expect(fine?.startDate.toJSDate().toISOString()).toBe(NOW.toISOString());
    expect(work?.startDate.toJSDate().toISOString()).toBe("2026-04-16T10:00:00.000Z");
    expect(work?.endDate.toJSDate().toISOString()).toBe("2026-04-16T10:30:00.000Z");
    expect(work?.uid).toBe(eventUid({ host: "github.com", name: "work" }));
    // Escaped text comes back byte for byte after unfolding and unescaping.
    expect(work?.description).toContain(`Note: ${records[0]?.note}`);
    expect(work?.description).toContain(
      "Replace it: ghpat rotate work\nRegenerate or revoke it at https://github.com/settings/tokens",
    );
    expect(fine?.component.getFirstPropertyValue("url")).toBe(
      "https://ghe.example.com/settings/personal-access-tokens",
    );
    const alarm = work?.component.getFirstSubcomponent("valarm");
    expect(alarm?.getFirstPropertyValue("action")).toBe("DISPLAY");
    expect(String(alarm?.getFirstPropertyValue("trigger"))).toBe("PT0S");
    expect(String(alarm?.getFirstPropertyValue("description"))).toContain("ghpat rotate work");
    expect(calendar.getAllSubcomponents("vevent").map((c) => c.getFirstPropertyValue("dtstamp")?.toString())).toEqual([
      "2026-03-01T12:00:00Z",
      "2026-03-01T12:00:00Z",
    ]);
  });

  it("keeps each token's UID across exports, secrets and clocks, and makes them distinct", () => {
    const first = serializeCalendar(expiryCalendar(records, NOW, 14, "1"));
    const later = serializeCalendar(
      expiryCalendar(
        [record("work", { fingerprint: "ghp_…ZZZZ", expiresAt: "2026-09-01T00:00:00.000Z" })],
        new Date(NOW.getTime() + 5 * DAY),
        7,
        "1",
      ),
    );
    const uids = (text: string) => [...text.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]?.trim());
    expect(uids(later)).toEqual([uids(first)[1]]);
    expect(new Set(uids(first)).size).toBe(2);
    expect(eventUid({ host: "ghe.example.com", name: "work" })).not.toBe(
      eventUid({ host: "github.com", name: "work" }),
    );
  });

  it("writes an empty but valid calendar when no expiry is known", () => {
    const text = serializeCalendar(expiryCalendar([records[1] as TokenRecord], NOW, 14, "1"));
    expectWellFormed(text);
    expect(new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent")).toEqual([]);
  });
});

describe("every value is escaped by its type", () => {
  it("percent-encodes a URL's CR, LF, spaces and non-ASCII, so a host cannot inject a property", () => {
    expect(escapeUri("https://github.com\r\nATTENDEE:mailto:evil@example.com/settings")).toBe(
      "https://github.com%0D%0AATTENDEE:mailto:evil@example.com/settings",
    );
    expect(escapeUri("https://exämple.com/a b")).toBe("https://ex%C3%A4mple.com/a%20b");
    expect(escapeUri("https://github.com/settings/tokens")).toBe("https://github.com/settings/tokens");
  });

  it("writes a calendar whose every line is one property, whatever the event's strings hold", () => {
    const text = serializeCalendar({
      prodId: "-//ghpat//test//EN",
      name: "n\r\nX-EVIL:1",
      stamp: new Date("2026-01-01T00:00:00Z"),
      events: [
        {
          uid: "u\r\nX-EVIL:2",
          start: new Date("2026-02-01T00:00:00Z"),
          durationMinutes: 30,
          summary: "s\nX-EVIL:3",
          description: "d",
          url: "https://h\r\nX-EVIL:4",
          categories: ["c\r\nX-EVIL:5"],
          alarm: { trigger: "-PT1H", description: "a\rX-EVIL:6" },
        },
      ],
    });
    const unfolded = text.replace(/\r\n /g, "");
    for (const line of unfolded.split("\r\n")) expect(line.startsWith("X-EVIL")).toBe(false);
    // No bare CR or LF is left inside a line.
    expect(unfolded).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
  });

  it("refuses a trigger that is not a duration", () => {
    expect(checkedDuration("PT0S")).toBe("PT0S");
    expect(checkedDuration("-P1DT2H")).toBe("-P1DT2H");
    for (const bad of ["PT", "P", "PT0S\r\nX:1", "1H"]) expect(() => checkedDuration(bad), bad).toThrow(/duration/);
  });
});
