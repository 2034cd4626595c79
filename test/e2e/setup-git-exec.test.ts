import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { expectGitOk, lines, runGit } from "../helpers/git.js";
import { BIN, ROOT, runProcess, type Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";

const HELPER = "credential.https://github.com.helper";

async function getAll(sb: Sandbox, key: string, scope: string[] = ["--global"], cwd?: string): Promise<string[]> {
  const result = await runGit(sb, ["config", ...scope, "--get-all", key], cwd ? { cwd } : {});
  return result.code === 0 ? result.stdout.split("\n").slice(0, -1) : [];
}

describeKeychain("setup-git", () => {
  const { sandbox } = useWorld();

  it("resets the host's helpers, then adds the absolute command; twice leaves one set", async () => {
    const sb = sandbox();
    // Someone else's helpers for this host and a general one.
    expectGitOk(await runGit(sb, ["config", "--global", "--add", HELPER, "manager"]), "seed");
    expectGitOk(await runGit(sb, ["config", "--global", "--add", HELPER, "store"]), "seed");
    expectGitOk(await runGit(sb, ["config", "--global", "credential.helper", "cache"]), "seed");

    const first = await sb.run(["setup-git"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe("");
    expect(first.stderr).toContain("now asks ghpat for https://github.com credentials");
    const expected = ["", `!${process.execPath} ${BIN} git-credential`];
    expect(await getAll(sb, HELPER)).toEqual(expected);
    const once = readFileSync(join(sb.home, ".gitconfig"), "utf8");

    expect((await sb.run(["setup-git", "--global"])).code).toBe(0);
    expect(await getAll(sb, HELPER)).toEqual(expected);
    expect(readFileSync(join(sb.home, ".gitconfig"), "utf8")).toBe(once);
    expect(await getAll(sb, "credential.helper")).toEqual(["cache"]);
    expect(await getAll(sb, "credential.https://github.com.usehttppath")).toEqual([]);

    expect((await sb.run(["setup-git", "--path"])).code).toBe(0);
    expect((await sb.run(["setup-git", "--path"])).code).toBe(0);
    expect(await getAll(sb, HELPER)).toEqual(expected);
    expect(await getAll(sb, "credential.https://github.com.usehttppath")).toEqual(["true"]);

    expect((await sb.run(["setup-git", "--host", "GHE.example.com:8443"])).code).toBe(0);
    expect(await getAll(sb, "credential.https://ghe.example.com:8443.helper")).toEqual(expected);

    const unset = await sb.run(["setup-git", "--unset", "--path"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect(await getAll(sb, HELPER)).toEqual([]);
    expect(await getAll(sb, "credential.https://github.com.usehttppath")).toEqual([]);
    expect(await getAll(sb, "credential.https://ghe.example.com:8443.helper")).toEqual(expected);
    // Unsetting what is not set is fine.
    expect((await sb.run(["setup-git", "--unset"])).code).toBe(0);
  });

  it("makes ghpat's reset the last word again when a helper is added after it: git then runs ghpat alone, and no token reaches ~/.git-credentials", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    sb.seed([{ name: "me", token }]);
    const credentials = join(sb.home, ".git-credentials");
    sb.watchFile(credentials);
    expect((await sb.run(["setup-git", "--path"])).code).toBe(0);
    // What a newcomer (or another tool) does next: a general helper, written after ghpat's section.
    expectGitOk(await runGit(sb, ["config", "--global", "credential.helper", "store"]), "store");

    const again = await sb.run(["setup-git"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("now asks ghpat for https://github.com credentials");
    expect(again.stderr).toMatch(/reset now comes after 'store' \(credential\.helper in .*\.gitconfig \(global\)\)/);
    // The file ends with ghpat's section; the other keys of the section (useHttpPath) are kept.
    const text = readFileSync(join(sb.home, ".gitconfig"), "utf8");
    expect(text.indexOf("helper = store")).toBeLessThan(text.lastIndexOf('[credential "https://github.com"]'));
    expect(await getAll(sb, "credential.https://github.com.usehttppath")).toEqual(["true"]);

    // git's own view: fill answers from ghpat, approve hands the credential to every helper in the list: no store among them.
    const fill = await runGit(sb, ["credential", "fill"], {
      input: "protocol=https\nhost=github.com\npath=acme/app.git\n",
      secretOnStdout: true,
    });
    expectGitOk(fill, "fill");
    expect(lines(fill.stdout)).toContain(`password=${token}`);
    expectGitOk(await runGit(sb, ["credential", "approve"], { input: fill.stdout }), "approve");
    expect(existsSync(credentials)).toBe(false);

    const doctor = await sb.run(["doctor", "--json"]);
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "git")).toMatchObject({
      status: "ok",
    });

    const third = await sb.run(["setup-git"]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toContain("already set up");
    expect(readFileSync(join(sb.home, ".gitconfig"), "utf8")).toBe(text);
  });

  it("moves its section past an include of the same file, whose helpers git reads where the include stands", async () => {
    const sb = sandbox();
    expect((await sb.run(["setup-git"])).code).toBe(0);
    const included = join(sb.dir, "work.gitconfig");
    writeFileSync(included, "[credential]\n\thelper = cache\n");
    expectGitOk(await runGit(sb, ["config", "--global", "include.path", included]), "include");
    const doctor = JSON.parse((await sb.run(["doctor", "--json"])).stdout).checks.find(
      (c: { id: string }) => c.id === "git",
    );
    expect(doctor).toMatchObject({
      status: "warn",
      summary: expect.stringContaining(
        `'cache' helper for https://github.com (credential.helper in ${included} (global))`,
      ),
    });

    const moved = await sb.run(["setup-git"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`'cache' (credential.helper in ${included} (global))`);
    const chain = await runGit(sb, ["config", "--get-all", "--show-origin", "credential.https://github.com.helper"]);
    expect(lines(chain.stdout).at(-1)).toContain("git-credential");
    expect(
      JSON.parse((await sb.run(["doctor", "--json"])).stdout).checks.find((c: { id: string }) => c.id === "git").status,
    ).toBe("ok");
  });

  it("keeps the section's other keys as git reads them when it moves it (a bare useHttpPath stays true)", async () => {
    const sb = sandbox();
    const command = `!${process.execPath} ${BIN} git-credential`;
    writeFileSync(
      join(sb.home, ".gitconfig"),
      `[credential "https://github.com"]\n\tuseHttpPath\n\tusername = octocat\n\thelper =\n\thelper = ${command}\n[credential]\n\thelper = store\n`,
    );
    const moved = await sb.run(["setup-git"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(
      (await runGit(sb, ["config", "--global", "--type=bool", "credential.https://github.com.usehttppath"])).stdout,
    ).toBe("true\n");
    expect(await getAll(sb, "credential.https://github.com.username")).toEqual(["octocat"]);
    expect(await getAll(sb, HELPER)).toEqual(["", command]);
    expect((await sb.run(["setup-git", "--path"])).stderr).toContain("already set up");
  });

  it("names the helpers it cannot move ghpat's reset after (a repository's own file, the command line), with exit 1", async () => {
    const sb = sandbox();
    const repo = join(sb.dir, "repo");
    expectGitOk(await runGit(sb, ["init", "--quiet", repo]), "init");
    sb.watchGitRepo(repo);
    expectGitOk(await runGit(sb, ["config", "--local", "credential.helper", "store"], { cwd: repo }), "local store");

    const stuck = await sb.run(["setup-git"], { cwd: repo });
    expect(stuck.code, stuck.stderr).toBe(1);
    expect(stuck.stdout).toBe("");
    expect(stuck.stderr).toContain(`'store' (credential.helper in ${join(repo, ".git", "config")} (local))`);
    expect(stuck.stderr).toContain(`git config --file ${join(repo, ".git", "config")} --unset-all credential.helper`);
    expect(stuck.stderr).toContain("ghpat setup-git --local");
    // What it could do is done: the global file has ghpat's section.
    expect(await getAll(sb, HELPER)).toEqual(["", `!${process.execPath} ${BIN} git-credential`]);

    // Fixed as it says: the run in that repository succeeds, and one more says there is nothing to do.
    expectGitOk(
      await runGit(sb, ["config", "--file", join(repo, ".git", "config"), "--unset-all", "credential.helper"]),
      "unset",
    );
    expect((await sb.run(["setup-git"], { cwd: repo })).stderr).toContain("already set up");

    const fromEnv = await sb.run(["setup-git"], {
      env: { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: "cache" },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(1);
    expect(fromEnv.stderr).toContain("'cache' (credential.helper in command line (command))");
  });

  it("writes to the repository with --local, and refuses outside one", async () => {
    const sb = sandbox();
    const outside = await sb.run(["setup-git", "--local"], { cwd: sb.home });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/git config failed/);
    expect(outside.stderr).toMatch(/--local works inside a git repository only/);

    const repo = join(sb.dir, "repo");
    expectGitOk(await runGit(sb, ["init", "--quiet", repo]), "init");
    const local = await sb.run(["setup-git", "--local", "--path"], { cwd: repo });
    expect(local.code, local.stderr).toBe(0);
    expect(await getAll(sb, HELPER, ["--local"], repo)).toEqual(["", `!${process.execPath} ${BIN} git-credential`]);
    expect(await getAll(sb, HELPER)).toEqual([]);

    const both = await sb.run(["setup-git", "--local", "--global"], { cwd: repo });
    expect(both.code).toBe(2);
    const badHost = await sb.run(["setup-git", "--host", "https://github.com/"]);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toContain("is not a host name");
  });

  it("quotes an install path with spaces and quotes so git's shell runs it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const install = join(sb.dir, `it's a "tools" dir`, "ghpat");
    mkdirSync(install, { recursive: true });
    cpSync(join(ROOT, "bin"), join(install, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist"), join(install, "dist"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(install, "node_modules"));
    cpSync(join(ROOT, "package.json"), join(install, "package.json"));
    sb.seed([{ name: "me", token }]);

    const setup = await runProcess(process.execPath, [join(install, "bin", "ghpat.js"), "setup-git"], {
      env: sb.env,
      timeoutMs: 20_000,
      cwd: sb.dir,
    });
    expect(setup.code, setup.stderr).toBe(0);
    const [, entry] = await getAll(sb, HELPER);
    expect(entry).toBe(`!${process.execPath} '${install.replace(/'/g, `'\\''`)}/bin/ghpat.js' git-credential`);

    const fill = await runGit(sb, ["credential", "fill"], {
      input: "protocol=https\nhost=github.com\n",
      secretOnStdout: true,
    });
    expectGitOk(fill, "fill through the quoted helper");
    expect(lines(fill.stdout)).toEqual([
      "protocol=https",
      "host=github.com",
      "username=x-access-token",
      `password=${token}`,
    ]);
  });
});

/** Runs `ghpat exec` as a user would, with a handle on the process for signals. */
function startExec(sb: Sandbox, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, "exec", ...args], {
    env: { ...sb.env, ...env },
    cwd: sb.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stdout: () => stdout };
}

const PRINT_ENV = `process.stdout.write(JSON.stringify(["GH_TOKEN","GITHUB_TOKEN","GH_ENTERPRISE_TOKEN","GITHUB_ENTERPRISE_TOKEN"].map(k => process.env[k] ?? null)))`;
const PRINT_HOST_AND_PASSPHRASE = `process.stdout.write(JSON.stringify(["GH_HOST","GHPAT_PASSPHRASE"].map(k => process.env[k] ?? null)))`;

describeKeychain("exec", () => {
  const { sandbox } = useWorld();

  async function seeded() {
    const sb = sandbox();
    const main = sb.canary(canaryToken());
    const work = sb.canary(canaryToken());
    const ghe = sb.canary(canaryToken());
    sb.seed([
      { name: "main", token: main },
      { name: "work", token: work },
      { name: "ghe", token: ghe, host: "ghe.example.com" },
    ]);
    return { sb, main, work, ghe };
  }

  it("gives the command GH_TOKEN and GITHUB_TOKEN (GH_ENTERPRISE_TOKEN and GITHUB_ENTERPRISE_TOKEN for an Enterprise Server), and records the use", async () => {
    const { sb, main, work, ghe } = await seeded();
    const byDefault = await sb.run(["exec", "--", process.execPath, "-e", PRINT_ENV], { secretOnStdout: true });
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toEqual([main, main, null, null]);
    const named = await sb.run(["exec", "work", "--", process.execPath, "-e", PRINT_ENV], { secretOnStdout: true });
    expect(JSON.parse(named.stdout)).toEqual([work, work, null, null]);
    const enterprise = await sb.run(["exec", "--host", "ghe.example.com", "--", process.execPath, "-e", PRINT_ENV], {
      secretOnStdout: true,
    });
    expect(JSON.parse(enterprise.stdout)).toEqual([null, null, ghe, ghe]);

    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{
      name: string;
      lastUsedAt: string | null;
    }>;
    expect(records.map((r) => [r.name, r.lastUsedAt !== null])).toEqual([
      ["ghe", true],
      ["main", true],
      ["work", true],
    ]);
  });

  it("names the token's host in GH_HOST, and never passes the file store's passphrase on", async () => {
    const { sb } = await seeded();
    const env = { GH_HOST: "ghe.example.com", GHPAT_PASSPHRASE: "the passphrase of every stored token" };
    const enterprise = await sb.run(["exec", "ghe", "--", process.execPath, "-e", PRINT_HOST_AND_PASSPHRASE], {
      env,
      secretOnStdout: true,
    });
    expect(JSON.parse(enterprise.stdout)).toEqual(["ghe.example.com", null]);
    const cloud = await sb.run(["exec", "main", "--", process.execPath, "-e", PRINT_HOST_AND_PASSPHRASE], {
      env,
      secretOnStdout: true,
    });
    expect(JSON.parse(cloud.stdout)).toEqual(["github.com", null]);
  });

  it("keeps an Enterprise Server token from github.com: a ghpat the command runs finds no github.com token in the environment", async () => {
    const sb = sandbox();
    const ghe = sb.canary(canaryToken());
    sb.seed([{ name: "ghe", token: ghe, host: "ghe.example.com" }]);
    const inner = await sb.run(
      ["exec", "--host", "ghe.example.com", "--", process.execPath, BIN, "token", "--host", "github.com"],
      { secretOnStdout: true },
    );
    expect(inner.code, inner.stderr).toBe(3);
    expect(inner.stdout).not.toContain(ghe);
    expect(inner.stderr).toContain("github.com");
  });

  it("falls back to the environment token when nothing is stored, else says what to do (3)", async () => {
    const sb = sandbox();
    const fromEnv = sb.canary(canaryToken());
    const fallback = await sb.run(["exec", "--", process.execPath, "-e", PRINT_ENV], {
      env: { GITHUB_TOKEN: fromEnv },
      secretOnStdout: true,
    });
    expect(JSON.parse(fallback.stdout)).toEqual([fromEnv, fromEnv, null, null]);
    const none = await sb.run(["exec", "--", "true"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("ghpat add");
  });

  it("passes the exit code through", async () => {
    const { sb } = await seeded();
    for (const code of [0, 1, 7, 255]) {
      const result = await sb.run(["exec", "--", "sh", "-c", `exit ${code}`]);
      expect(result.code).toBe(code);
    }
  });

  it("dies of the signal its command died of", async () => {
    const { sb } = await seeded();
    for (const signal of ["TERM", "INT", "HUP"]) {
      const result = await sb.run(["exec", "--", "sh", "-c", `kill -${signal} $$`]);
      expect(result, result.stderr).toMatchObject({ code: null, signal: `SIG${signal}` });
    }
  });

  it("forwards a signal it receives to the command and waits for it", async () => {
    const { sb } = await seeded();
    const run = startExec(sb, [
      "--",
      "sh",
      "-c",
      `trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.05; done`,
    ]);
    const deadline = Date.now() + 20_000;
    while (!run.stdout().includes("ready") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.stdout).toContain("got-term");
    expect(result).toMatchObject({ code: 42, signal: null });
  });

  it("refuses bad usage with exit 2 and a missing command with exit 3", async () => {
    const { sb } = await seeded();
    const noDashes = await sb.run(["exec", "sh", "-c", "true"]);
    expect(noDashes.code).toBe(2);
    expect(noDashes.stderr).toContain("Put '--' before the command");
    const empty = await sb.run(["exec", "--"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("No command to run");
    const twoNames = await sb.run(["exec", "main", "work", "--", "true"]);
    expect(twoNames.code).toBe(2);
    const missing = await sb.run(["exec", "--", "ghpat-no-such-command"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("'ghpat-no-such-command' was not found");
    const unknown = await sb.run(["exec", "nope", "--", "true"]);
    expect(unknown.code).toBe(3);
    const token = sb.canary(canaryToken());
    const asName = await sb.run(["exec", token, "--", "true"], { secretInArgs: true });
    expect(asName.code).toBe(2);
    expect(asName.stderr).toContain("--stdin");
  });
});
