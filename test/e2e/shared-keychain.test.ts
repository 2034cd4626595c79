import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { fingerprint } from "../../src/core/token-format.js";
import { canaryToken } from "../helpers/canary.js";
import { makeUnverifiedRecord } from "../helpers/records.js";
import type { RunOptions, Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";

/**
 * Two config directories (GHPAT_CONFIG_DIR, or another HOME in an IDE or
 * under sudo -E) on one keychain service share every slot `<host>/<name>`.
 * Neither may hand out, overwrite, delete or revoke the other's token.
 */
describeKeychain("two config directories sharing one keychain service", () => {
  const { api, sandbox } = useWorld();

  /** The second directory: same keyring, same service, its own index. */
  function other(sb: Sandbox): {
    dir: string;
    run: (args: string[], options?: RunOptions) => ReturnType<Sandbox["run"]>;
  } {
    const dir = join(sb.dir, "other-config");
    return {
      dir,
      run: (args, options = {}) => sb.run(args, { ...options, env: { GHPAT_CONFIG_DIR: dir, ...options.env } }),
    };
  }

  /** The state today's ghpat left behind: the other directory's record of 'work', while the slot holds this directory's token. */
  function otherRecordsWork(dir: string, token: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const record = makeUnverifiedRecord("work", { fingerprint: fingerprint(token), default: true });
    writeFileSync(join(dir, "tokens.json"), `${JSON.stringify({ version: 1, tokens: [record] })}\n`, { mode: 0o600 });
  }

  async function addWork(sb: Sandbox): Promise<string> {
    const mine = sb.canary(canaryToken());
    const added = await sb.run(["add", "work", "--stdin", "--no-verify"], { input: mine });
    expect(added.code, added.stderr).toBe(0);
    return mine;
  }

  it("add refuses, with or without --force, to write into a slot another directory's token holds", async () => {
    const sb = sandbox();
    const mine = await addWork(sb);
    const theirs = sb.canary(canaryToken());
    const second = other(sb);
    for (const flags of [[], ["--force"]]) {
      const add = await second.run(["add", "work", "--stdin", "--no-verify", ...flags], { input: theirs });
      expect(add.code, add.stderr).toBe(2);
      expect(add.stderr).toContain(
        "The keychain item for 'work' (github.com/work) already holds a token this index does not know",
      );
      expect(add.stderr).toContain("GHPAT_KEYCHAIN_SERVICE");
      expect(sb.storedSecret("github.com/work")).toBe(mine);
    }
    // The refused directory recorded nothing.
    const list = await second.run(["list", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([]);
    // And the first directory's git still gets its own token.
    const get = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n",
      secretOnStdout: true,
    });
    expect(get.stdout).toContain(`password=${mine}\n`);
  });

  it("token, exec and git-credential get refuse (exit 3) a slot that holds another token, and never print it", async () => {
    const sb = sandbox();
    const mine = await addWork(sb);
    const second = other(sb);
    otherRecordsWork(second.dir, sb.canary(canaryToken()));

    const token = await second.run(["token", "work"]);
    expect(token.code, token.stderr).toBe(3);
    expect(token.stdout).toBe("");
    expect(token.stderr).toContain("The keychain item for 'work' holds another token");
    expect(token.stderr).toContain(fingerprint(mine));

    const byDefault = await second.run(["token"]);
    expect(byDefault.code).toBe(3);
    expect(byDefault.stdout).toBe("");

    const exec = await second.run([
      "exec",
      "work",
      "--",
      process.execPath,
      "-e",
      "process.stdout.write(process.env.GH_TOKEN ?? 'none')",
    ]);
    expect(exec.code).toBe(3);
    expect(exec.stdout).toBe("");

    const get = await second.run(["git-credential", "get"], { input: "protocol=https\nhost=github.com\n" });
    expect(get.stdout).toBe("");
    expect(get.code).toBe(3);
    expect(get.stderr).toContain("holds another token");
    // The scans of sb.run found `mine` on no stream: the refusals name fingerprints only.
  });

  it("remove and add --force in one directory leave the other directory's secret in place", async () => {
    const sb = sandbox();
    const mine = await addWork(sb);
    const second = other(sb);
    otherRecordsWork(second.dir, sb.canary(canaryToken()));

    const remove = await second.run(["remove", "work", "--yes"]);
    expect(remove.code, remove.stderr).toBe(0);
    expect(sb.storedSecret("github.com/work")).toBe(mine);
    expect(JSON.parse((await second.run(["list", "--json"])).stdout)).toEqual([]);

    otherRecordsWork(second.dir, sb.canary(canaryToken()));
    const replace = await second.run(["add", "work", "--stdin", "--no-verify", "--force"], {
      input: sb.canary(canaryToken()),
    });
    expect(replace.code).toBe(2);
    expect(sb.storedSecret("github.com/work")).toBe(mine);
  });

  it("doctor reports the slot that holds another token, and --fix does not adopt it", async () => {
    const sb = sandbox();
    const mine = await addWork(sb);
    const second = other(sb);
    const recorded = sb.canary(canaryToken());
    otherRecordsWork(second.dir, recorded);
    for (const args of [
      ["doctor", "--json"],
      ["doctor", "--fix", "--json"],
    ]) {
      const doctor = await second.run(args);
      expect(doctor.code).toBe(1);
      const orphans = (
        JSON.parse(doctor.stdout) as {
          checks: Array<{
            id: string;
            status: string;
            summary: string;
            fix: string;
            data: { fingerprintMismatch: unknown[] };
          }>;
        }
      ).checks.find((c) => c.id === "orphans");
      expect(orphans?.status).toBe("fail");
      expect(orphans?.summary).toContain("the keychain item for 'work' holds");
      expect(orphans?.fix).toContain("GHPAT_KEYCHAIN_SERVICE");
      expect(orphans?.data.fingerprintMismatch).toEqual([
        { name: "work", recorded: fingerprint(recorded), stored: fingerprint(mine) },
      ]);
    }
    const listed = JSON.parse((await second.run(["list", "--json"])).stdout) as Array<{ fingerprint: string }>;
    expect(listed.map((r) => r.fingerprint)).toEqual([fingerprint(recorded)]);
    expect(sb.storedSecret("github.com/work")).toBe(mine);
  });

  it("rotate --revoke-old never revokes the other directory's token on GitHub", async () => {
    const sb = sandbox();
    const mine = await addWork(sb);
    api.addToken(mine, { login: "octocat", scopes: ["repo"] });
    const second = other(sb);
    const recorded = sb.canary(canaryToken());
    otherRecordsWork(second.dir, recorded);
    const next = sb.canary(canaryToken());
    api.addToken(next, { login: "octocat", scopes: ["repo"] });

    const rotate = await second.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
    expect(rotate.code, rotate.stderr).toBe(3);
    expect(rotate.stderr).toContain("holds another token");
    expect(api.requests.filter((r) => r.url === "/credentials/revoke")).toEqual([]);
    expect(sb.storedSecret("github.com/work")).toBe(mine);
    expect(readFileSync(join(second.dir, "tokens.json"), "utf8")).toContain(fingerprint(recorded));
  });
});
