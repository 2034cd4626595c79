import { makeRecord } from "../helpers/records.js";
import { describe, expect, it } from "vitest";
import type { TokenRecord } from "../../src/core/record.js";
import { BROAD_SCOPES, findReminders, shortDistance, summarize, unusedDeletionDate } from "../../src/core/reminders.js";

const NOW = new Date("2026-03-01T12:00:00.000Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

function record(name: string, fields: Partial<TokenRecord> = {}): TokenRecord {
  return makeRecord(name, { expiresAt: at(60), addedAt: at(-1), lastVerifiedAt: at(-1), ...fields });
}

const reasonsOf = (r: TokenRecord, options = { days: 14, staleDays: 90 }) =>
  findReminders([r], NOW, options).map((f) => f.reason);

describe("findReminders", () => {
  it("finds nothing for a healthy, recently added token expiring after the window", () => {
    expect(findReminders([record("ok")], NOW)).toEqual([]);
  });

  it("reports each reason with the fields the user acts on", () => {
    const findings = findReminders(
      [
        record("gone", { expiresAt: at(-1.5), scopes: ["delete_repo"] }),
        record("soon", { expiresAt: at(3.5), lastUsedAt: at(-2) }),
        record("forever", { expiresAt: null }),
        record("broad", { scopes: ["repo", "admin:org", "delete_repo"] }),
        record("idle", { addedAt: at(-200), lastUsedAt: at(-91) }),
        record("fresh-ci", {
          login: null,
          scopes: null,
          expiresAt: null,
          expiryKnown: false,
          lastVerifiedAt: null,
          status: "unverified",
        }),
        record("dead", { status: "revoked" }),
        record("refused", { status: "rejected" }),
        record("fine", { type: "fine-grained", scopes: null, expiresAt: at(1) }),
      ],
      NOW,
    );
    expect(findings.map((f) => [f.reason, f.name])).toEqual([
      ["expired", "gone"],
      ["revoked", "dead"],
      ["rejected", "refused"],
      ["expiring", "fine"],
      ["expiring", "soon"],
      ["no-expiry", "forever"],
      ["broad-scopes", "broad"],
      ["stale", "idle"],
      ["unverified", "fresh-ci"],
    ]);
    const soon = findings.find((f) => f.name === "soon");
    expect(soon).toEqual({
      name: "soon",
      host: "github.com",
      reason: "expiring",
      severity: "warning",
      expiresAt: at(3.5),
      // 1 March to 5 March: four calendar days, though only 3.5 days of time.
      daysLeft: 4,
      lastUsedAt: at(-2),
      settingsUrl: "https://github.com/settings/tokens",
      detail: "expires on 2026-03-05 (in 4 days)",
    });
    expect(findings.find((f) => f.name === "gone")).toMatchObject({
      severity: "error",
      daysLeft: -1,
      detail: "expired on 2026-02-28",
    });
    expect(findings.find((f) => f.name === "dead")?.severity).toBe("error");
    expect(findings.find((f) => f.name === "refused")?.severity).toBe("warning");
    expect(findings.find((f) => f.name === "fine")?.settingsUrl).toBe(
      "https://github.com/settings/personal-access-tokens",
    );
    expect(findings.find((f) => f.name === "broad")?.detail).toBe("it has admin:org, delete_repo");
    expect(findings.find((f) => f.name === "forever")?.daysLeft).toBeNull();
    expect(findings.find((f) => f.name === "idle")?.detail).toBe(
      "last used 91 days ago; GitHub deletes a token unused for a year: on 2026-11-30 unless it is used before",
    );
  });

  it("uses the host in the settings URL", () => {
    const [finding] = findReminders([record("ghe", { host: "ghe.example.com:8443", status: "revoked" })], NOW);
    expect(finding?.settingsUrl).toBe("https://ghe.example.com:8443/settings/tokens");
  });

  it("reports only death for an expired or revoked token", () => {
    expect(
      reasonsOf(
        record("x", {
          expiresAt: at(-1),
          scopes: ["delete_repo"],
          addedAt: at(-400),
          status: "unverified",
          lastVerifiedAt: null,
        }),
      ),
    ).toEqual(["expired"]);
    expect(reasonsOf(record("x", { status: "revoked", expiresAt: null }))).toEqual(["revoked"]);
    expect(reasonsOf(record("x", { status: "expired", expiresAt: null, expiryKnown: false }))).toEqual(["expired"]);
    expect(reasonsOf(record("x", { status: "revoked", expiresAt: at(-2) }))).toEqual(["expired", "revoked"]);
  });

  it("keeps a rejected token's other findings", () => {
    expect(reasonsOf(record("x", { status: "rejected", expiresAt: null, scopes: ["site_admin"] }))).toEqual([
      "rejected",
      "no-expiry",
      "broad-scopes",
    ]);
  });

  it("draws the expiring window at --days, inclusive, and expiry at the exact instant", () => {
    expect(reasonsOf(record("x", { expiresAt: at(14) }))).toEqual(["expiring"]);
    expect(reasonsOf(record("x", { expiresAt: new Date(NOW.getTime() + 14 * DAY + 1000).toISOString() }))).toEqual([]);
    expect(reasonsOf(record("x", { expiresAt: at(30) }), { days: 30, staleDays: 90 })).toEqual(["expiring"]);
    expect(reasonsOf(record("x", { expiresAt: at(3) }), { days: 0, staleDays: 90 })).toEqual([]);
    expect(reasonsOf(record("x", { expiresAt: NOW.toISOString() }))).toEqual(["expired"]);
    expect(reasonsOf(record("x", { expiresAt: new Date(NOW.getTime() + 1000).toISOString() }))).toEqual(["expiring"]);
  });

  it("counts staleness from the newer of lastUsedAt and addedAt", () => {
    expect(reasonsOf(record("x", { addedAt: at(-91) }))).toEqual(["stale"]);
    expect(reasonsOf(record("x", { addedAt: at(-89) }))).toEqual([]);
    expect(reasonsOf(record("x", { addedAt: at(-300), lastUsedAt: at(-10) }))).toEqual([]);
    expect(reasonsOf(record("x", { addedAt: at(-10) }), { days: 14, staleDays: 5 })).toEqual(["stale"]);
    expect(findReminders([record("x", { addedAt: at(-120) })], NOW)[0]?.detail).toBe(
      "never used by git through ghpat, added 120 days ago; GitHub deletes a token unused for a year",
    );
  });

  it("says when GitHub deletes a stale token for a year without use, from the last use ghpat saw", () => {
    const detail = (fields: Partial<TokenRecord>) =>
      findReminders([record("x", fields)], NOW).find((f) => f.reason === "stale")?.detail;
    expect(detail({ addedAt: at(-500), lastUsedAt: at(-100) })).toBe(
      "last used 100 days ago; GitHub deletes a token unused for a year: on 2026-11-21 unless it is used before",
    );
    expect(detail({ addedAt: at(-500), lastUsedAt: at(-400) })).toBe(
      "last used 400 days ago; GitHub deletes a token unused for a year, so it may be gone since 2026-01-25",
    );
    expect(unusedDeletionDate({ lastUsedAt: null })).toBeNull();
    expect(unusedDeletionDate({ lastUsedAt: "2026-02-28T23:30:00.000Z" })).toBe("2027-02-28");
  });

  it("flags every broad scope and nothing narrower", () => {
    for (const scope of BROAD_SCOPES) expect(reasonsOf(record("x", { scopes: [scope] }))).toEqual(["broad-scopes"]);
    expect(
      reasonsOf(
        record("x", {
          scopes: ["repo", "read:org", "write:org", "workflow", "gist", "write:packages", "read:public_key"],
        }),
      ),
    ).toEqual([]);
  });

  it("treats a known-never expiry and an unknown expiry differently", () => {
    expect(reasonsOf(record("x", { expiresAt: null, expiryKnown: true }))).toEqual(["no-expiry"]);
    expect(reasonsOf(record("x", { expiresAt: null, expiryKnown: false }))).toEqual([]);
  });

  it("sorts the earliest expiry first within a reason, then by host and name", () => {
    const findings = findReminders(
      [
        record("b", { expiresAt: at(5) }),
        record("a", { expiresAt: at(9) }),
        record("c", { expiresAt: at(1) }),
        record("z", { expiresAt: null }),
        record("y", { expiresAt: null }),
      ],
      NOW,
    );
    expect(findings.map((f) => f.name)).toEqual(["c", "b", "a", "y", "z"]);
  });

  it("is pure: the same records and clock give the same findings", () => {
    const records = [record("a", { expiresAt: at(2) }), record("b", { status: "revoked" })];
    const copy = structuredClone(records);
    expect(findReminders(records, NOW)).toEqual(findReminders(copy, NOW));
    expect(records).toEqual(copy);
  });
});

describe("summarize", () => {
  it("counts findings, tokens and reasons in urgency order", () => {
    const findings = findReminders(
      [record("a", { expiresAt: null, scopes: ["delete_repo"] }), record("b", { expiresAt: at(-1) })],
      NOW,
    );
    expect(summarize(findings, 3)).toBe("3 findings for 2 of 3 tokens: 1 expired, 1 no-expiry, 1 broad-scopes.");
    expect(summarize([], 1)).toBe("No token needs attention (1 token checked).");
  });
});

describe("shortDistance", () => {
  const hours = (n: number) => new Date(NOW.getTime() + n * 3_600_000).toISOString();

  it("counts calendar days either way, and hours on the day itself", () => {
    expect(shortDistance(hours(24 * 3 + 2), NOW)).toBe("in 3 d");
    expect(shortDistance(hours(-24 * 2 - 2), NOW)).toBe("2 d ago");
    expect(shortDistance(hours(20), NOW)).toBe("in 1 d");
    expect(shortDistance(hours(10), NOW)).toBe("in 10 h");
    expect(shortDistance(hours(-5), NOW)).toBe("5 h ago");
    expect(shortDistance(hours(0.5), NOW)).toBe("in < 1 h");
    expect(shortDistance(hours(-0.5), NOW)).toBe("< 1 h ago");
  });
});
