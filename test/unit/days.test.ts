import { afterEach, describe, expect, it } from "vitest";
import { calendarDaysUntil, localDay } from "../../src/core/days.js";
import { describeExpiry } from "../../src/commands/shared/describe.js";
import { findReminders } from "../../src/core/reminders.js";
import { daysUntil } from "../../src/core/verify-outcome.js";
import { makeRecord } from "../helpers/records.js";

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe("days to expiry are local calendar days", () => {
  it("on 3 December, a token expiring on 8 December is in 5 days, whatever the hours", () => {
    process.env.TZ = "UTC";
    const late = new Date("2026-12-03T22:00:00.000Z");
    const early = "2026-12-08T06:00:00.000Z";
    expect(calendarDaysUntil(early, late)).toBe(5);
    expect(describeExpiry({ expiresAt: early, expiryKnown: true }, late)).toBe("expires 2026-12-08 (in 5 days)");
    expect(daysUntil(early, late)).toBe(5);
    const [finding] = findReminders(
      [makeRecord("work", { expiresAt: early, lastVerifiedAt: late.toISOString(), lastUsedAt: late.toISOString() })],
      late,
      { days: 7, staleDays: 90 },
    );
    expect(finding).toMatchObject({ reason: "expiring", daysLeft: 5, detail: "expires on 2026-12-08 (in 5 days)" });
  });

  it("counts in the local time zone, and shows the local date with the count", () => {
    // 2026-12-08T06:00Z is still 7 December in Los Angeles, and already 8 December 15:00 in Tokyo.
    const now = new Date("2026-12-03T20:00:00.000Z");
    const expiry = "2026-12-08T06:00:00.000Z";
    process.env.TZ = "America/Los_Angeles";
    expect(localDay(expiry)).toBe("2026-12-07");
    expect(describeExpiry({ expiresAt: expiry, expiryKnown: true }, now)).toBe("expires 2026-12-07 (in 4 days)");
    process.env.TZ = "Asia/Tokyo";
    expect(localDay(expiry)).toBe("2026-12-08");
    expect(describeExpiry({ expiresAt: expiry, expiryKnown: true }, now)).toBe("expires 2026-12-08 (in 4 days)");
  });

  it("is 0 on the day itself (then hours are shown), negative after, and survives a DST change", () => {
    process.env.TZ = "Europe/Berlin";
    const now = new Date("2026-03-28T12:00:00.000Z");
    expect(calendarDaysUntil("2026-03-28T21:00:00.000Z", now)).toBe(0);
    expect(describeExpiry({ expiresAt: "2026-03-28T21:00:00.000Z", expiryKnown: true }, now)).toBe(
      "expires 2026-03-28 (in 9 hours)",
    );
    expect(calendarDaysUntil("2026-03-27T22:30:00.000Z", now)).toBe(-1);
    // Berlin moves to summer time on 29 March: the day has 23 hours.
    expect(calendarDaysUntil("2026-03-30T00:30:00.000Z", now)).toBe(2);
  });
});
