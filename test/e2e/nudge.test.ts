import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { ghpatHelper, gitEnv, lines, runGit, expectGitOk } from "../helpers/git.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { seedTokens } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const day = (iso: string) => iso.slice(0, 10);

describeKeychain("the nudge on stderr when a token handed out is about to expire or stale", () => {
  const { api, sandbox } = useWorld();

  function seed(sb: Sandbox, fields: Record<string, unknown> = {}) {
    const token = sb.canary(canaryToken());
    const [record] = seedTokens(sb, keyringEnv ?? {}, [
      {
        name: "work",
        token,
        login: "octocat",
        expiresAt: inDays(3.5),
        expiryKnown: true,
        lastVerifiedAt: inDays(-1),
        addedAt: inDays(-10),
        status: "valid",
        scopes: ["repo"],
        ...fields,
      },
    ]);
    return { token, record };
  }

  async function fill(sb: Sandbox, env: Record<string, string> = {}) {
    const args = ["-c", "credential.helper=", "-c", `credential.helper=${ghpatHelper()}`, "credential", "fill"];
    const result = await runGit(sb, args, {
      input: "protocol=https\nhost=github.com\n\n",
      env: gitEnv(sb, { GIT_ASKPASS: "/bin/false", ...env }),
      secretOnStdout: true,
    });
    expectGitOk(result, "git credential fill");
    return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
  }

  const nudgeFile = (sb: Sandbox) => join(sb.configDir, "nudges.json");

  it("reaches git's stderr once a day, with the answer unchanged and no token in it", async () => {
    const sb = sandbox();
    const { token, record } = seed(sb);
    const line = `ghpat: token 'work' (github.com) expires on ${day(record?.expiresAt ?? "")} (in 3 days); replace it with 'ghpat rotate work'`;
    // git keeps password_expiry_utc to itself; what it prints is the same with nudges off.
    const answer = ["protocol=https", "host=github.com", "username=octocat", `password=${token}`];
    expect(await fill(sb, { GHPAT_NUDGE_DAYS: "0" })).toEqual({ stdout: answer, stderr: [] });

    expect(await fill(sb)).toEqual({ stdout: answer, stderr: [line] });
    // The same day: the answer again, and silence.
    expect(await fill(sb)).toEqual({ stdout: answer, stderr: [] });
    const state = JSON.parse(readFileSync(nudgeFile(sb), "utf8"));
    expect(Object.keys(state.lastNudged)).toEqual(["github.com/work"]);

    // The last nudge was yesterday: today's first request is nudged again.
    writeFileSync(
      nudgeFile(sb),
      JSON.stringify({ version: 1, lastNudged: { "github.com/work": new Date(Date.now() - DAY).toISOString() } }),
    );
    expect(await fill(sb)).toEqual({ stdout: answer, stderr: [line] });
    sb.assertNoLeak();
  });

  it("is off with GHPAT_NUDGE_DAYS=0 and quiet beyond its window, touching no state file", async () => {
    const sb = sandbox();
    const { token } = seed(sb);
    const off = await fill(sb, { GHPAT_NUDGE_DAYS: "0" });
    expect(off.stderr).toEqual([]);
    expect(off.stdout).toContain(`password=${token}`);
    expect((await fill(sb, { GHPAT_NUDGE_DAYS: "2" })).stderr).toEqual([]);
    expect(existsSync(nudgeFile(sb))).toBe(false);
    expect((await fill(sb, { GHPAT_NUDGE_DAYS: "30" })).stderr).toHaveLength(1);
  });

  it("nudges about a stale token, with the day GitHub deletes it", async () => {
    const sb = sandbox();
    const lastUsedAt = inDays(-120);
    seed(sb, { expiresAt: null, addedAt: inDays(-400), lastUsedAt });
    const deletion = day(new Date(Date.parse(lastUsedAt) + 365 * DAY).toISOString());
    expect((await fill(sb)).stderr).toEqual([
      `ghpat: token 'work' (github.com) is stale: last used 120 days ago; GitHub deletes a token unused for a year: on ${deletion} unless it is used before; if nothing needs it, revoke it with 'ghpat revoke work'`,
    ]);
  });

  it("says nothing for a healthy token, and writes no state file", async () => {
    const sb = sandbox();
    seed(sb, { expiresAt: inDays(90) });
    expect((await fill(sb)).stderr).toEqual([]);
    expect(existsSync(nudgeFile(sb))).toBe(false);
  });

  it("comes from 'ghpat token' and 'ghpat exec' too, on stderr only, and counts as the day's nudge for git", async () => {
    const sb = sandbox();
    const { token } = seed(sb);
    const printed = await sb.run(["token", "work"], { secretOnStdout: true });
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(`${token}\n`);
    expect(lines(printed.stderr)).toEqual([
      expect.stringMatching(/^ghpat: token 'work' \(github\.com\) expires on .* replace it with 'ghpat rotate work'$/),
    ]);
    expect((await fill(sb)).stderr).toEqual([]);

    writeFileSync(nudgeFile(sb), "{corrupt");
    const ran = await sb.run(["exec", "work", "--", "sh", "-c", "echo child-ran"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe("child-ran\n");
    expect(lines(ran.stderr)).toEqual([expect.stringMatching(/^ghpat: token 'work' \(github\.com\) expires on /)]);
  });

  it("comes from 'ghpat api' after GitHub's answer, and not when GitHub refused the token", async () => {
    const sb = sandbox();
    const { token } = seed(sb);
    api.respond("GET", "/user", 401, { message: "Bad credentials" });
    const rejected = await sb.run(["api", "user"]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).not.toContain("ghpat: token 'work'");
    expect(existsSync(nudgeFile(sb))).toBe(false);

    api.clearInterceptors();
    api.respond("GET", "/user", 200, { login: "octocat" });
    const called = await sb.run(["api", "user"]);
    expect(called.code, called.stderr).toBe(0);
    expect(JSON.parse(called.stdout)).toEqual({ login: "octocat" });
    expect(lines(called.stderr)).toEqual([
      expect.stringMatching(/^ghpat: token 'work' \(github\.com\) expires on .* replace it with 'ghpat rotate work'$/),
    ]);
    expect(`${called.stdout}${called.stderr}`).not.toContain(token);
    expect((await sb.run(["api", "user"])).stderr).toBe("");
  });
});
