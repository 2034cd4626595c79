import { mkdirSync, writeFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRecord, makeUnverifiedRecord } from "../helpers/records.js";
import { Sandbox } from "../helpers/sandbox.js";
import { runOnTerminal } from "../helpers/terminal.js";

const DAY = 86_400_000;

/** What a terminal showed, as lines: the pty's CR LF made LF, no colours (TERM=dumb prints none anyway). */
function screenLines(output: string): string[] {
  return stripVTControlCharacters(output).replace(/\r\n/g, "\n").trimEnd().split("\n");
}

/**
 * list and revoke-reminder on a real pseudo-terminal (util-linux `script`)
 * sized with `stty cols`, against the same commands piped. Both read the
 * index alone, so no keychain is needed: the index is written as a user's
 * would be after a few `ghpat add`s.
 */
describe("tables on an 80-column terminal, and piped", () => {
  const sb = new Sandbox();
  const now = Date.now();
  const records = [
    makeRecord("work", {
      default: true,
      scopes: ["repo", "read:org", "workflow", "admin:org"],
      expiresAt: new Date(now + 5 * DAY + 3_600_000).toISOString(),
      match: ["acme/*", "acme-labs/*"],
    }),
    makeRecord("personal", { login: "octocat-personal", scopes: ["repo", "gist", "delete_repo"], expiresAt: null }),
    makeRecord("release-bot", {
      type: "fine-grained",
      fingerprint: "github_pat_…WXYZ",
      scopes: null,
      expiresAt: new Date(now + 60 * DAY).toISOString(),
      match: ["acme/releases"],
      status: "revoked",
    }),
    makeUnverifiedRecord("ci", { host: "ghe.example.com" }),
  ];

  beforeAll(() => {
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
    writeFileSync(sb.indexPath(), JSON.stringify({ version: 1, tokens: records }, null, 2), { mode: 0o600 });
  });
  afterAll(() => sb.cleanup());

  it("list fits 80 columns: no line wider, MATCH left out, names, hosts, fingerprints and statuses whole, long cells cut with '…'", async () => {
    const roomier = await runOnTerminal(sb, ["list", "--host", "github.com"], { columns: 80 });
    const roomierLines = screenLines(roomier.output);
    for (const line of roomierLines) expect(line.length, line).toBeLessThanOrEqual(80);
    // TYPE, LOGIN and then SCOPES give way; the expiry keeps its date.
    expect(roomierLines[0]).toMatch(/^ {2}NAME\s+HOST\s+TOKEN\s+EXPIRY\s+STATUS$/);
    expect(roomierLines.at(-1)).toMatch(
      /^\* work\s+github\.com\s+ghp_…ABCD\s+expires \d{4}-\d\d-\d\d [^ ]+ [^ ]+ …\s+valid$/,
    );

    const result = await runOnTerminal(sb, ["list"], { columns: 80 });
    expect(result.code, result.output).toBe(0);
    const lines = screenLines(result.output);
    expect(lines).toHaveLength(1 + records.length);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // A fine-grained token's fingerprint (github_pat_…) says its type: TYPE, LOGIN and SCOPES give way before NAME or HOST would be cut.
    expect(lines[0]).toMatch(/^ {2}NAME\s+HOST\s+TOKEN\s+EXPIRY\s+STATUS$/);
    expect(result.output).not.toContain("acme/*");
    expect(lines[1]).toMatch(/^ {2}ci\s+ghe\.example\.com\s.*\sghp_…ABCD\s.*\sunverified$/);
    expect(lines[2]).toMatch(/^ {2}personal\s+github\.com\s.*\sghp_…ABCD\s.*\svalid$/);
    expect(lines[3]).toMatch(/^ {2}release-bot\s+github\.com\s.*\sgithub_pat_…WXYZ\s.*\srevoked$/);
    expect(lines[4]).toMatch(/^\* work\s+github\.com\s.*\sghp_…ABCD\s.*\svalid$/);
    // The fixed columns leave little here: the expiry is cut, "…" at its end.
    expect(lines[4]).toMatch(/ {2}expires \d{4}-[^ ]*…\s+valid$/);
  });

  it("list shows MATCH on a terminal wide enough, with every cell whole: what a pipe gets", async () => {
    const piped = await sb.run(["list"]);
    expect(piped.code, piped.stderr).toBe(0);
    const wide = await runOnTerminal(sb, ["list"], { columns: 250 });
    expect(screenLines(wide.output)).toEqual(piped.stdout.trimEnd().split("\n"));
    expect(piped.stdout).toMatch(
      /^\* work\s+github\.com\s+acme\/\*, acme-labs\/\*\s+octocat\s+classic\s+ghp_…ABCD\s+repo, read:org, workflow, admin:org\s+expires \d{4}-\d\d-\d\d \(in 5 days\)\s+valid$/m,
    );
    expect(piped.stdout).toMatch(/^ {2}personal\s+github\.com\s+-\s+octocat-personal\s/m);
  });

  it("list piped is whole and stable whatever $COLUMNS says, and --json is the same on a terminal", async () => {
    const piped = await sb.run(["list"]);
    const narrow = await sb.run(["list"], { env: { COLUMNS: "40" } });
    expect(narrow.stdout).toBe(piped.stdout);
    expect(Math.max(...piped.stdout.split("\n").map((l) => l.length))).toBeGreaterThan(120);
    const json = await sb.run(["list", "--json"]);
    const onTerminal = await runOnTerminal(sb, ["list", "--json"], { columns: 80 });
    expect(JSON.parse(stripVTControlCharacters(onTerminal.output))).toEqual(JSON.parse(json.stdout));
    expect((JSON.parse(json.stdout) as Array<{ match: string[] }>).map((r) => r.match)).toEqual([
      [],
      [],
      ["acme/releases"],
      ["acme/*", "acme-labs/*"],
    ]);
  });

  it("revoke-reminder fits 80 columns: no line wider, reasons, names and expiries whole, the advice cut with '…'", async () => {
    const result = await runOnTerminal(sb, ["revoke-reminder"], { columns: 80 });
    expect(result.code, result.output).toBe(0);
    const lines = screenLines(result.output);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    const table = lines.slice(0, lines.indexOf(""));
    expect(table[0]).toMatch(/^REASON\s+NAME\s+EXPIRES\s+DETAIL\s+REVOKE OR REGENERAT…$/);
    const piped = await sb.run(["revoke-reminder"]);
    const pipedTable = piped.stdout.split("\n\n")[0]?.split("\n") ?? [];
    expect(table).toHaveLength(pipedTable.length);
    // Each row keeps its reason, name and expiry; what was cut ends in "…".
    pipedTable.slice(1).forEach((whole, i) => {
      const [reason, name] = whole.split(/\s+/);
      expect(table[i + 1]).toMatch(new RegExp(`^${reason}\\s+${name}\\s`));
    });
    expect(table.slice(1).some((line) => line.includes("…"))).toBe(true);
    // The summary, prose, is broken at spaces instead.
    expect(lines.slice(lines.indexOf("") + 1).join(" ")).toBe(piped.stdout.trimEnd().split("\n").at(-1));
  });

  it("revoke-reminder piped prints every detail and URL whole", async () => {
    const piped = await sb.run(["revoke-reminder"], { env: { COLUMNS: "40" } });
    expect(piped.stdout.split("\n")[0]).toMatch(
      /^REASON\s+NAME\s+HOST\s+EXPIRES\s+LAST USED\s+DETAIL\s+REVOKE OR REGENERATE AT$/,
    );
    expect(piped.stdout).toMatch(
      /^revoked\s+release-bot\s+github\.com\s.*GitHub rejected it at the last verification \(401\): revoked, expired or wrong\s+https:\/\/github\.com\/settings\/personal-access-tokens$/m,
    );
    expect(piped.stdout).not.toContain("…");
  });
});
