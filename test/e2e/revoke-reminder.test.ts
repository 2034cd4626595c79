import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ICAL from "ical.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader, FakeGitHub, type FakeToken } from "../helpers/fake-github.js";
import { Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";

const DAY = 86_400_000;

interface Finding {
  name: string;
  host: string;
  reason: string;
  severity: string;
  expiresAt: string | null;
  daysLeft: number | null;
  lastUsedAt: string | null;
  settingsUrl: string;
  detail: string;
}

/** Rewrites the index as another ghpat command (verify, git-credential) would leave it; the edit changes the file's stat stamp, so the next read validates it in full. */
function editIndex(sb: Sandbox, edit: (tokens: Array<Record<string, unknown>>) => void): void {
  const index = JSON.parse(readFileSync(sb.indexPath(), "utf8"));
  edit(index.tokens);
  writeFileSync(sb.indexPath(), `${JSON.stringify(index, null, 2)}\n`);
}

describeKeychain("revoke-reminder from the index alone", () => {
  const api = new FakeGitHub();
  let sb: Sandbox;
  let addedAt = 0;

  /** A token as `ghpat add NAME --stdin` leaves it, verified by the fake API unless `verify` is false (--no-verify). */
  async function add(
    name: string,
    info: FakeToken,
    options: { verify?: boolean } = {},
    token = canaryToken(),
  ): Promise<string> {
    if (options.verify === false) {
      api.addToken(sb.canary(token), info);
      sb.seed([{ name, token }]);
    } else seedVerified(sb, api, sb.canary(token), info, { name });
    return token;
  }

  beforeAll(async () => {
    await api.start();
    sb = new Sandbox({ keyringEnv, apiUrl: api.url });
    addedAt = Date.now();
    await add("expired", { login: "octocat", scopes: ["repo"], expiration: expirationHeader(-1) });
    await add("soon", { login: "octocat", scopes: ["repo"], expiration: expirationHeader(3) });
    await add("later", { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(60) });
    await add("forever", { login: "octocat", scopes: ["repo"] });
    await add("admin", {
      login: "octocat",
      scopes: ["repo", "delete_repo", "admin:org"],
      expiration: expirationHeader(60),
    });
    await add("ci", { login: "octocat" }, { verify: false });
    await add("gone", { login: "octocat", scopes: ["repo"], expiration: expirationHeader(60) });
    await add("refused", { login: "octocat", scopes: ["repo"], expiration: expirationHeader(60) });
    await add("idle", { login: "octocat", scopes: ["repo"], expiration: expirationHeader(60) });
    // A minute after "soon", as the run of adds once spaced them: two equal expiries would sort by name.
    await add(
      "fine",
      { login: "octocat", scopes: null, expiration: expirationHeader(3, Date.now() + 60_000) },
      {},
      canaryFineGrained(),
    );
    // What verify (401), git-credential erase and months of disuse leave behind.
    editIndex(sb, (tokens) => {
      for (const t of tokens) {
        if (t.name === "gone") t.status = "revoked";
        if (t.name === "refused") t.status = "rejected";
        if (t.name === "idle") t.addedAt = new Date(Date.now() - 120 * DAY).toISOString();
      }
    });
    api.requests.length = 0;
  }, 120_000);

  afterAll(async () => {
    sb.cleanup();
    await api.stop();
  });

  it("prints a table sorted by urgency with one summary line, and never uses the network or the keychain", async () => {
    const result = await sb.run(["revoke-reminder"], {
      env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus", GHPAT_API_URL: "http://127.0.0.1:9" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^REASON\s+NAME\s+HOST\s+EXPIRES\s+LAST USED\s+DETAIL\s+REVOKE OR REGENERATE AT$/);
    const rows = lines.slice(1, -2).map((l) => l.split(/\s+/).slice(0, 2));
    expect(rows).toEqual([
      ["expired", "expired"],
      ["revoked", "gone"],
      ["rejected", "refused"],
      ["expiring", "soon"],
      ["expiring", "fine"],
      ["no-expiry", "forever"],
      ["broad-scopes", "admin"],
      ["stale", "idle"],
      ["unverified", "ci"],
    ]);
    expect(lines.at(-2)).toBe("");
    expect(lines.at(-1)).toBe(
      "9 findings for 9 of 10 tokens: 1 expired, 1 revoked, 1 rejected, 2 expiring, 1 no-expiry, 1 broad-scopes, 1 stale, 1 unverified.",
    );
    expect(result.stdout).toMatch(
      /expiring\s+soon\s+github\.com\s+\d{4}-\d\d-\d\d \(in 3 d\)\s+never\s+expires on .* \(in 3 days\)\s+https:\/\/github\.com\/settings\/tokens/,
    );
    expect(result.stdout).toMatch(/expiring\s+fine\s+.*https:\/\/github\.com\/settings\/personal-access-tokens$/m);
    expect(result.stdout).toMatch(/expired\s+expired\s+github\.com\s+\d{4}-\d\d-\d\d \(1 d ago\)/);
    expect(result.stdout).toMatch(/no-expiry\s+forever\s+github\.com\s+never\s+never/);
    expect(result.stdout).toMatch(/unverified\s+ci\s+github\.com\s+unknown/);
    expect(result.stdout).toContain("it has delete_repo, admin:org");
    expect(api.requests).toEqual([]);
  });

  it("prints every finding as JSON with the documented fields", async () => {
    const result = await sb.run(["revoke-reminder", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings.map((f) => [f.reason, f.name])).toEqual([
      ["expired", "expired"],
      ["revoked", "gone"],
      ["rejected", "refused"],
      ["expiring", "soon"],
      ["expiring", "fine"],
      ["no-expiry", "forever"],
      ["broad-scopes", "admin"],
      ["stale", "idle"],
      ["unverified", "ci"],
    ]);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual([
        "name",
        "host",
        "reason",
        "severity",
        "expiresAt",
        "daysLeft",
        "lastUsedAt",
        "settingsUrl",
        "detail",
      ]);
      expect(f.host).toBe("github.com");
      expect(f.lastUsedAt).toBeNull();
      expect(f.severity).toBe(f.reason === "expired" || f.reason === "revoked" ? "error" : "warning");
      expect(f.settingsUrl).toBe(
        f.name === "fine" ? "https://github.com/settings/personal-access-tokens" : "https://github.com/settings/tokens",
      );
    }
    const byName = new Map(findings.map((f) => [f.name, f]));
    // Expiries came from the fake server's headers, relative to the real clock.
    expect(byName.get("expired")?.daysLeft).toBe(-1);
    expect(byName.get("soon")?.daysLeft).toBe(3);
    expect(Math.abs(Date.parse(byName.get("soon")?.expiresAt ?? "") - (addedAt + 3 * DAY))).toBeLessThan(60_000);
    expect(byName.get("gone")?.daysLeft).toBe(60);
    expect(byName.get("forever")).toMatchObject({ expiresAt: null, daysLeft: null });
    expect(byName.get("ci")).toMatchObject({ expiresAt: null, daysLeft: null });
    expect(byName.get("admin")?.detail).toBe("it has delete_repo, admin:org");
    expect(byName.get("idle")?.detail).toBe(
      "never used by git through ghpat, added 120 days ago; GitHub deletes a token unused for a year",
    );
  });

  it("moves the windows with --days and --stale-days", async () => {
    const wide = JSON.parse(
      (await sb.run(["revoke-reminder", "--json", "--days", "90", "--stale-days", "0"])).stdout,
    ) as Finding[];
    expect(
      wide
        .filter((f) => f.reason === "expiring")
        .map((f) => f.name)
        .sort(),
    ).toEqual(["admin", "fine", "idle", "later", "refused", "soon"]);
    expect(
      wide
        .filter((f) => f.reason === "stale")
        .map((f) => f.name)
        .sort(),
    ).toEqual(["admin", "ci", "fine", "forever", "idle", "later", "refused", "soon"]);
    const narrow = JSON.parse(
      (await sb.run(["revoke-reminder", "--json", "--days", "1", "--stale-days", "365"])).stdout,
    ) as Finding[];
    expect(narrow.map((f) => f.reason)).not.toContain("expiring");
    expect(narrow.map((f) => f.reason)).not.toContain("stale");
  });

  it("prints GitHub Actions annotations: ::error for expired and revoked, ::warning otherwise, escaped", async () => {
    const result = await sb.run(["revoke-reminder", "--format", "github"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(
      /^::error title=ghpat%3A expired \(github\.com\) expired::Token 'expired' on github\.com: expired on \d{4}-\d\d-\d\d\. Replace it with 'ghpat rotate expired' or remove it with 'ghpat remove expired'; settings: https:\/\/github\.com\/settings\/tokens$/,
    );
    expect(lines[1]).toMatch(/^::error title=ghpat%3A gone \(github\.com\) revoked::/);
    expect(lines.slice(2).every((l) => l.startsWith("::warning title=ghpat%3A "))).toBe(true);
    expect(lines.find((l) => l.includes(" admin "))).toBe(
      "::warning title=ghpat%3A admin (github.com) broad-scopes::Token 'admin' on github.com: it has delete_repo, admin:org. Rotate it with 'ghpat rotate admin' or revoke it with 'ghpat revoke admin'; settings: https://github.com/settings/tokens",
    );
    expect(result.stderr).toContain("9 findings for 9 of 10 tokens");
  });

  it("writes an RFC 5545 calendar that ical.js parses, with stable UIDs on re-export", async () => {
    const file = join(sb.dir, "tokens.ics");
    const firstAt = Date.now();
    const first = await sb.run(["revoke-reminder", "--ics", file, "--json"]);
    const firstDone = Date.now();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Wrote 6 calendar events to ${file} (14 days before each known expiry).`);
    const text = readFileSync(file, "utf8");
    for (const secret of sb.canaries) expect(text.includes(secret)).toBe(false);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    // Every live token with a known expiry, whatever its findings; none for "never" or "unknown", and none for the expired and the revoked ("gone").
    expect(events.map((e) => e.summary.match(/'([^']+)'/)?.[1]).sort()).toEqual([
      "admin",
      "fine",
      "idle",
      "later",
      "refused",
      "soon",
    ]);
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{
      name: string;
      expiresAt: string | null;
    }>;
    for (const event of events) {
      const name = event.summary.match(/'([^']+)'/)?.[1];
      const expiresAt = records.find((r) => r.name === name)?.expiresAt ?? "";
      // 14 days before the expiry, or the moment of the export when that is already past: never an event in the past.
      const start = event.startDate.toJSDate().getTime();
      const due = Date.parse(expiresAt) - 14 * DAY;
      if (due > firstDone) expect(start).toBe(due);
      else expect(start >= firstAt - 1000 && start <= firstDone).toBe(true);
      const alarm = event.component.getFirstSubcomponent("valarm");
      expect(alarm?.getFirstPropertyValue("action")).toBe("DISPLAY");
      expect(event.description).toContain(`ghpat rotate ${name}`);
    }

    const uids = (ics: string) =>
      new ICAL.Component(ICAL.parse(ics))
        .getAllSubcomponents("vevent")
        .map((c) => String(c.getFirstPropertyValue("uid")));
    const againAt = Date.now();
    const again = await sb.run(["revoke-reminder", "--ics", file, "--days", "30"]);
    const againDone = Date.now();
    expect(again.code).toBe(0);
    const second = readFileSync(file, "utf8");
    expect(uids(second)).toEqual(uids(text));
    expect(new Set(uids(second)).size).toBe(6);
    const soon = new ICAL.Component(ICAL.parse(second))
      .getAllSubcomponents("vevent")
      .map((c) => new ICAL.Event(c))
      .find((e) => e.summary.includes("'soon'"));
    // Three days away, inside the 30: due at the export, not 27 days ago.
    const soonStart = soon?.startDate.toJSDate().getTime() ?? 0;
    expect(soonStart >= againAt - 1000 && soonStart <= againDone).toBe(true);
    const later = new ICAL.Component(ICAL.parse(second))
      .getAllSubcomponents("vevent")
      .map((c) => new ICAL.Event(c))
      .find((e) => e.summary.includes("'later'"));
    expect(later?.startDate.toJSDate().getTime()).toBe(
      Date.parse(records.find((r) => r.name === "later")?.expiresAt ?? "") - 30 * DAY,
    );
  });

  it("refuses a calendar path it cannot write (2) and bad options (2)", async () => {
    const missing = await sb.run(["revoke-reminder", "--ics", join(sb.dir, "no", "such", "dir", "x.ics")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Cannot write the calendar");
    for (const args of [
      ["--format", "xml"],
      ["--json", "--format", "github"],
      ["--days", "soon"],
      ["--stale-days", "-3"],
    ]) {
      const result = await sb.run(["revoke-reminder", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
    }
  });

  it("exits 1 under --check when anything is found, after printing the report", async () => {
    const text = await sb.run(["revoke-reminder", "--check"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("9 findings");
    expect(text.stderr).toContain("9 things to act on");
    const json = await sb.run(["revoke-reminder", "--check", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toHaveLength(9);
    const github = await sb.run(["revoke-reminder", "--check", "--format", "github"]);
    expect(github.code).toBe(1);
  });

  it("exits 0 under --check with nothing found, and prints nothing on stdout", async () => {
    const clean = new Sandbox({ keyringEnv, apiUrl: api.url });
    try {
      const token = clean.canary(canaryToken());
      seedVerified(clean, api, token, { login: "octocat", scopes: ["repo"], expiration: expirationHeader(60) });
      const result = await clean.run(["revoke-reminder", "--check"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe("No token needs attention (1 token checked).\n");
      const json = await clean.run(["revoke-reminder", "--check", "--json"]);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual([]);
      // The same token becomes a finding once the window reaches it.
      expect((await clean.run(["revoke-reminder", "--check", "--days", "60"])).code).toBe(1);
      // An empty index is fine too.
      const empty = new Sandbox({ keyringEnv, apiUrl: api.url });
      expect((await empty.run(["revoke-reminder", "--check"])).code).toBe(0);
      empty.cleanup();
    } finally {
      clean.cleanup();
    }
  });
});

describeKeychain("revoke-reminder --verify refreshes through the API first", () => {
  const api = new FakeGitHub();
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  it("reports a token GitHub revoked since the last check, and keeps going when GitHub cannot be reached", async () => {
    const sb = new Sandbox({ keyringEnv, apiUrl: api.url });
    try {
      const token = sb.canary(canaryToken());
      seedVerified(
        sb,
        api,
        token,
        { login: "octocat", scopes: ["repo"], expiration: expirationHeader(60) },
        { name: "work" },
      );
      expect((await sb.run(["revoke-reminder", "--check"])).code).toBe(0);

      // Revoked on GitHub's side: the index alone does not know yet.
      api.tokens.delete(token);
      api.requests.length = 0;
      expect((await sb.run(["revoke-reminder", "--check"])).code).toBe(0);
      expect(api.requests).toEqual([]);

      const refreshed = await sb.run(["revoke-reminder", "--verify", "--check", "--json"]);
      expect(refreshed.code).toBe(1);
      expect(JSON.parse(refreshed.stdout)).toEqual([expect.objectContaining({ name: "work", reason: "revoked" })]);
      expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
      expect(api.authorizations()).toEqual([`token ${token}`]);

      // No answer: a warning, and the report from what the index last said (still revoked).
      const offline = await sb.run(["revoke-reminder", "--verify", "--json", "--timeout", "2"], {
        env: { GHPAT_API_URL: "http://127.0.0.1:9" },
      });
      expect(offline.code).toBe(0);
      expect(offline.stderr).toContain("could not be checked");
      expect(JSON.parse(offline.stdout)).toEqual([expect.objectContaining({ name: "work", reason: "revoked" })]);
    } finally {
      sb.cleanup();
    }
  });
});
