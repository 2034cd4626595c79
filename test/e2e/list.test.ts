import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { makeRecord, makeUnverifiedRecord } from "../helpers/records.js";
import { Sandbox } from "../helpers/sandbox.js";

/**
 * `list` with plain arguments runs from its own file (dist/fast/list.cjs);
 * anything else goes to the commander program. A global flag before the
 * command (`--store keychain list`) always takes the program's way, which
 * makes the two comparable.
 */
describe("list, on its fast path and through the program", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
    // Out of order, as a hand edit or an older ghpat may leave it.
    const tokens = [
      makeRecord("zeta", { host: "github.com", default: true, expiresAt: "2020-01-01T00:00:00.000Z" }),
      makeUnverifiedRecord("alpha", { host: "ghe.example.com", note: "Schlüssel für CI" }),
      makeRecord("beta", { host: "github.com", scopes: ["repo", "read:org"] }),
    ];
    writeFileSync(sb.indexPath(), JSON.stringify({ version: 1, tokens }, null, 2), { mode: 0o600 });
  });
  afterEach(() => sb.cleanup());

  it("prints the same table and JSON either way, sorted by host and name", async () => {
    for (const args of [
      ["list"],
      ["list", "--json", "--"],
      ["ls", "--host", "github.com"],
      ["list", "--host=ghe.example.com", "--json"],
    ]) {
      const fast = await sb.run(args);
      const program = await sb.run(["--store", "keychain", ...args]);
      expect(fast.code, fast.stderr).toBe(0);
      expect(fast.stderr).toBe("");
      expect(fast.stdout).toBe(program.stdout);
      expect(fast.stderr).toBe(program.stderr);
    }
    const table = (await sb.run(["list"])).stdout.trimEnd().split("\n");
    expect(table.map((line) => line.split(/\s+/)[1])).toEqual(["NAME", "alpha", "beta", "zeta"]);
    // zeta's last check said valid, but its expiry has passed since.
    expect(table[3]).toMatch(
      /^\* zeta\s+github\.com\s+-\s+octocat\s+classic\s+ghp_…ABCD\s+repo\s+expired 2020-01-01\s+expired$/,
    );
    const json = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{
      name: string;
      note: string | null;
      status: string;
    }>;
    expect(json.map((r) => r.name)).toEqual(["alpha", "beta", "zeta"]);
    expect(json.map((r) => r.status)).toEqual(["unverified", "valid", "expired"]);
    expect(json[0]?.note).toBe("Schlüssel für CI");
  });

  it("colours the status only when asked (FORCE_COLOR), and never with NO_COLOR", async () => {
    const coloured = await sb.run(["list"], { env: { FORCE_COLOR: "1" } });
    expect(coloured.stdout.split("\n")[1]?.endsWith("  \u001b[33munverified\u001b[39m")).toBe(true);
    expect(coloured.stdout.split("\n")[2]?.endsWith("  \u001b[32mvalid\u001b[39m")).toBe(true);
    expect(coloured.stdout.split("\n")[3]?.endsWith("  \u001b[31mexpired\u001b[39m")).toBe(true);
    const plain = await sb.run(["list"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(plain.stdout).not.toContain("\u001b");
    expect(plain.stdout).toBe(stripVTControlCharacters(coloured.stdout));
  });

  it("hands help and mistakes to the program, with its messages and exit codes", async () => {
    const help = await sb.run(["list", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ghpat list|ls [options]");
    const unknown = await sb.run(["list", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const extra = await sb.run(["ls", "extra"]);
    expect(extra.code).toBe(2);
    expect(extra.stdout).toBe("");
    const noHost = await sb.run(["list", "--host"]);
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toContain("--host <host>");
  });

  it("refuses a token-looking value (2) without echoing it, and changes nothing", async () => {
    const token = sb.canary(canaryToken());
    const before = readFileSync(sb.indexPath(), "utf8");
    for (const args of [
      ["list", "--host", token],
      ["list", `--host=${token}`],
    ]) {
      const result = await sb.run(args, { secretInArgs: true });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("looks like a token");
    }
    expect(readFileSync(sb.indexPath(), "utf8")).toBe(before);
  });

  it("reports what the program reports: a bad host (2), a corrupt index (2)", async () => {
    const badHost = await sb.run(["list", "--host", "not a host"]);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toContain("'not a host' is not a host name");
    writeFileSync(sb.indexPath(), "{ broken");
    for (const args of [["list"], ["--store", "keychain", "list"]]) {
      const result = await sb.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(sb.indexPath());
    }
    expect(readFileSync(sb.indexPath(), "utf8")).toBe("{ broken");
  });
});
