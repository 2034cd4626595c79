import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_NUDGE_DAYS, nudgeDays, nudgedToday, nudgeFor } from "../../src/core/nudge.js";
import type { TokenRecord } from "../../src/core/record.js";
import { nudgeAfterHandingOut, nudgeStatePath, readNudgeState } from "../../src/storage/nudge-state.js";
import { makeRecord } from "../helpers/records.js";

const NOW = new Date("2026-12-02T10:00:00.000Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const record = (name: string, fields: Partial<TokenRecord> = {}) =>
  makeRecord(name, { addedAt: at(-1), lastVerifiedAt: at(-1), expiresAt: at(60), ...fields });

describe("GHPAT_NUDGE_DAYS", () => {
  it("defaults to 7, takes whole numbers, 0 turns nudges off, and a typo counts as unset", () => {
    expect(nudgeDays({})).toBe(DEFAULT_NUDGE_DAYS);
    expect(DEFAULT_NUDGE_DAYS).toBe(7);
    expect(nudgeDays({ GHPAT_NUDGE_DAYS: "30" })).toBe(30);
    expect(nudgeDays({ GHPAT_NUDGE_DAYS: " 3 " })).toBe(3);
    expect(nudgeDays({ GHPAT_NUDGE_DAYS: "0" })).toBe(0);
    for (const typo of ["", "seven", "-1", "2.5", "1e3"]) expect(nudgeDays({ GHPAT_NUDGE_DAYS: typo })).toBe(7);
  });
});

describe("nudgeFor", () => {
  it("words an expiring token as the issue shows, with the rotate command", () => {
    expect(nudgeFor(record("work", { expiresAt: "2026-12-05T12:00:00.000Z" }), NOW, 7)).toEqual({
      key: "github.com/work",
      reason: "expiring",
      line: "ghpat: token 'work' (github.com) expires on 2026-12-05 (in 3 days); replace it with 'ghpat rotate work'",
    });
    expect(nudgeFor(record("soon", { expiresAt: at(0.5) }), NOW, 7)?.line).toBe(
      "ghpat: token 'soon' (github.com) expires on 2026-12-02 (within a day); replace it with 'ghpat rotate soon'",
    );
  });

  it("starts the window at GHPAT_NUDGE_DAYS, inclusive, and never with 0", () => {
    expect(nudgeFor(record("x", { expiresAt: at(7) }), NOW, 7)?.reason).toBe("expiring");
    expect(nudgeFor(record("x", { expiresAt: at(7.01) }), NOW, 7)).toBeNull();
    expect(nudgeFor(record("x", { expiresAt: at(20) }), NOW, 30)?.reason).toBe("expiring");
    expect(nudgeFor(record("x", { expiresAt: at(1) }), NOW, 0)).toBeNull();
    expect(nudgeFor(record("x", { addedAt: at(-400), lastUsedAt: at(-200) }), NOW, 0)).toBeNull();
  });

  it("nudges about a stale token as revoke-reminder defines it, GitHub's deletion day included", () => {
    expect(nudgeFor(record("idle", { addedAt: at(-400), lastUsedAt: at(-100), expiresAt: null }), NOW, 7)).toEqual({
      key: "github.com/idle",
      reason: "stale",
      line: "ghpat: token 'idle' (github.com) is stale: last used 100 days ago; GitHub deletes a token unused for a year: on 2027-08-24 unless it is used before; if nothing needs it, revoke it with 'ghpat revoke idle'",
    });
    expect(nudgeFor(record("recent", { addedAt: at(-400), lastUsedAt: at(-89), expiresAt: null }), NOW, 7)).toBeNull();
  });

  it("speaks of the most urgent finding only, and stays quiet about findings that are not about the token dying", () => {
    // Expiring beats stale; broad scopes, no expiry and unverified are revoke-reminder's business, not a nudge's.
    expect(
      nudgeFor(record("both", { expiresAt: at(2), addedAt: at(-400), lastUsedAt: at(-120) }), NOW, 7)?.reason,
    ).toBe("expiring");
    expect(
      nudgeFor(
        record("broad", { scopes: ["delete_repo"], expiresAt: null, lastVerifiedAt: null, status: "unverified" }),
        NOW,
        7,
      ),
    ).toBeNull();
    expect(nudgeFor(record("gone", { expiresAt: at(-1) }), NOW, 7)?.line).toBe(
      "ghpat: token 'gone' (github.com) expired on 2026-12-01; replace it with 'ghpat rotate gone'",
    );
    expect(nudgeFor(record("ghe", { host: "ghe.example.com", expiresAt: at(3) }), NOW, 7)?.key).toBe(
      "ghe.example.com/ghe",
    );
  });

  it("points a stale token off github.com at its settings page: 'ghpat revoke' refuses there", () => {
    const line = nudgeFor(
      record("idle", { host: "ghe.example.com", addedAt: at(-400), lastUsedAt: at(-100), expiresAt: null }),
      NOW,
      7,
    )?.line;
    expect(line).toContain(
      "if nothing needs it, revoke it on its settings page, https://ghe.example.com/settings/tokens",
    );
    expect(line).not.toContain("ghpat revoke");
  });

  it("counts a day as a local calendar day", () => {
    const local = (h: number, d = 2) => new Date(2026, 11, d, h, 30);
    expect(nudgedToday(local(0).toISOString(), local(23))).toBe(true);
    expect(nudgedToday(local(23, 1).toISOString(), local(0))).toBe(false);
    expect(nudgedToday(undefined, local(9))).toBe(false);
    expect(nudgedToday("not a time", local(9))).toBe(false);
  });
});

describe("the nudge state file", () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ghpat-nudge-"));
    env = { GHPAT_CONFIG_DIR: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function nudgeAt(rec: TokenRecord, now: Date, extra: Record<string, string> = {}): Promise<string[]> {
    const lines: string[] = [];
    return nudgeAfterHandingOut(rec, {
      env: { ...env, ...extra },
      now: () => now,
      warn: (line) => lines.push(line),
    }).then(() => lines);
  }

  it("nudges once per token per day, and again the next day", async () => {
    const work = record("work", { expiresAt: at(3) });
    const other = record("other", { expiresAt: at(2) });
    expect(await nudgeAt(work, NOW)).toEqual([nudgeFor(work, NOW, 7)?.line]);
    expect(await nudgeAt(work, new Date(NOW.getTime() + 60_000))).toEqual([]);
    expect(await nudgeAt(other, NOW)).toHaveLength(1);
    expect(await nudgeAt(work, new Date(NOW.getTime() + DAY))).toHaveLength(1);
    const state = JSON.parse(readFileSync(nudgeStatePath(env), "utf8"));
    expect(state).toEqual({
      version: 1,
      lastNudged: {
        "github.com/work": new Date(NOW.getTime() + DAY).toISOString(),
        "github.com/other": NOW.toISOString(),
      },
    });
    expect(statSync(nudgeStatePath(env)).mode & 0o777).toBe(0o600);
  });

  it("ignores a corrupt or foreign state file, and replaces it", async () => {
    const work = record("work", { expiresAt: at(3) });
    for (const junk of [
      "{not json",
      "[]",
      '{"version":2,"lastNudged":{}}',
      '{"version":1,"lastNudged":{"github.com/work":42}}',
    ]) {
      writeFileSync(nudgeStatePath(env), junk);
      expect(await readNudgeState(env)).toEqual({ version: 1, lastNudged: {} });
      expect(await nudgeAt(work, NOW)).toHaveLength(1);
      expect(JSON.parse(readFileSync(nudgeStatePath(env), "utf8")).lastNudged["github.com/work"]).toBe(
        NOW.toISOString(),
      );
    }
  });

  it("forgets nudges older than two days, so the file stays small", async () => {
    writeFileSync(
      nudgeStatePath(env),
      JSON.stringify({ version: 1, lastNudged: { "github.com/old": at(-3), "github.com/yesterday": at(-1) } }),
    );
    await nudgeAt(record("work", { expiresAt: at(3) }), NOW);
    expect(Object.keys(JSON.parse(readFileSync(nudgeStatePath(env), "utf8")).lastNudged).sort()).toEqual([
      "github.com/work",
      "github.com/yesterday",
    ]);
  });

  it("reads no state file at all when the record says nothing is due", async () => {
    // A FIFO with no writer blocks whoever opens it for reading: only a nudge that is due may touch it.
    execFileSync("mkfifo", [nudgeStatePath(env)]);
    const settled = (p: Promise<unknown>) =>
      Promise.race([p.then(() => "settled"), new Promise((resolve) => setTimeout(() => resolve("blocked"), 300))]);
    expect(await settled(nudgeAt(record("healthy", { expiresAt: at(30) }), NOW))).toBe("settled");
    expect(await settled(nudgeAt(record("off", { expiresAt: at(1) }), NOW, { GHPAT_NUDGE_DAYS: "0" }))).toBe("settled");
    const due = nudgeAt(record("due", { expiresAt: at(1) }), NOW);
    expect(await settled(due)).toBe("blocked");
    // Let the blocked read finish so the test leaves nothing open.
    writeFileSync(nudgeStatePath(env), "");
    expect(await due).toHaveLength(1);
  });

  it("still prints the nudge when the config directory cannot be written, and never throws", async () => {
    const lines = await nudgeAfterHandingOut(record("work", { expiresAt: at(3) }), {
      env: { GHPAT_CONFIG_DIR: join(dir, "missing", "deeper") },
      now: () => NOW,
      warn: () => undefined,
    }).then(() => "done");
    expect(lines).toBe("done");
    expect(
      await nudgeAt(record("work", { expiresAt: at(3) }), NOW, { GHPAT_CONFIG_DIR: join(dir, "missing") }),
    ).toHaveLength(1);
  });
});
