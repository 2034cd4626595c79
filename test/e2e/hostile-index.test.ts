import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, expect, it } from "vitest";
import { makeUnverifiedRecord } from "../helpers/records.js";
import { Sandbox } from "../helpers/sandbox.js";
import { bashComplete, describeShell, ghpatOnPath, writeScript } from "../helpers/shells.js";

const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" };

/**
 * An index ghpat did not write (a synced dotfile, a restored backup, another
 * tool) is data, never code: names and hosts are checked on read as on
 * write, and the completion script never lets bash evaluate a candidate.
 */
describeShell("bash")("an index with hostile names and hosts", () => {
  let sb: Sandbox;
  let marker: string;
  beforeEach(() => {
    sb = new Sandbox();
    marker = join(sb.dir, "PWNED");
    return () => sb.cleanup();
  });

  function writeIndex(records: Array<{ name: string; host?: string }>): string {
    mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
    const tokens = records.map((r, i) =>
      makeUnverifiedRecord(r.name, {
        host: r.host ?? "github.com",
        fingerprint: `ghp_…AAA${i}`,
        default: i === 0,
        expiresAt: "2030-01-01T00:00:00.000Z",
        expiryKnown: true,
      }),
    );
    const text = `${JSON.stringify({ version: 1, tokens })}\n`;
    writeFileSync(sb.indexPath(), text, { mode: 0o600 });
    return text;
  }

  async function bashScript(): Promise<string> {
    const result = await sb.run(["completion", "bash"]);
    expect(result.code, result.stderr).toBe(0);
    return writeScript(sb.dir, "ghpat.bash", result.stdout);
  }

  it("bash completion over names with $(...) and backticks runs nothing", async () => {
    writeIndex([{ name: `$(touch ${marker})` }, { name: `\`touch ${marker}\`` }, { name: "work" }]);
    const offered = await bashComplete(
      await bashScript(),
      "ghpat token ",
      { ...sb.env, ...NO_BUS },
      ghpatOnPath(sb.dir),
    );
    expect(existsSync(marker)).toBe(false);
    // The index is corrupt: nothing is offered from it.
    expect(offered).toEqual([]);
  });

  it("the bash script itself takes candidates as data, even from a program that prints hostile ones", async () => {
    const fake = join(sb.dir, "fake-bin");
    mkdirSync(fake);
    const hostile = [`$(touch ${marker})`, `\`touch ${marker}\``, "*", "w$((1+1))"];
    chmodSync(
      writeScript(fake, "ghpat", `#!/bin/sh\nprintf '%s\\n' ${hostile.map((h) => `'${h}'`).join(" ")}\n`),
      0o755,
    );
    const script = await bashScript();
    const offered = await bashComplete(script, "ghpat token ", sb.env, fake);
    expect(existsSync(marker)).toBe(false);
    expect(offered).toEqual(hostile);
    expect(await bashComplete(script, "ghpat token w", sb.env, fake)).toEqual(["w$((1+1))"]);
  });

  it("a name or host that add would refuse makes the index corrupt (exit 2, file named, never rewritten)", async () => {
    for (const records of [
      [{ name: "bad name; rm -rf ~" }],
      [{ name: "ok", host: "github.com\r\nATTENDEE:mailto:evil@example.com" }],
      [{ name: "ok", host: "GitHub.com" }],
    ]) {
      const text = writeIndex(records);
      for (const args of [
        ["list"],
        ["list", "--json"],
        ["token", "ok"],
        ["default", "ok"],
        ["revoke-reminder", "--ics", join(sb.dir, "x.ics")],
      ]) {
        const result = await sb.run(args, { env: NO_BUS });
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(`The index ${sb.indexPath()} is not valid`);
        // The offending value is quoted with its control characters escaped, never printed raw.
        expect(result.stderr).not.toMatch(/\r/);
        expect(readFileSync(sb.indexPath(), "utf8")).toBe(text);
      }
      expect(existsSync(join(sb.dir, "x.ics"))).toBe(false);
      const get = await sb.run(["git-credential", "get"], {
        env: NO_BUS,
        input: "protocol=https\nhost=github.com\n\n",
      });
      expect(get.stdout).toBe("");
      expect(get.code).toBe(2);
    }
  });

  it("an index an earlier ghpat stamped as validated is checked again by the fast path", async () => {
    const text = writeIndex([{ name: `$(touch ${marker})` }]);
    // The stamp an earlier ghpat wrote after validating only the schema: `dev:ino:size:mtimeMs:ctimeMs`.
    const stats = statSync(sb.indexPath());
    writeFileSync(
      `${sb.indexPath()}.validated`,
      `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}\n`,
      { mode: 0o600 },
    );
    const list = await sb.run(["list", "--json"], { env: NO_BUS });
    expect(list.code).toBe(2);
    expect(list.stdout).toBe("");
    const complete = await sb.run(["__complete", "names"], { env: NO_BUS });
    expect(complete.stdout).toBe("");
    expect(readFileSync(sb.indexPath(), "utf8")).toBe(text);
  });
});
