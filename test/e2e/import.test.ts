import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";
import { runOnTerminal } from "../helpers/terminal.js";
import type { Sandbox } from "../helpers/sandbox.js";

interface ListedRecord {
  name: string;
  host: string;
  login: string | null;
  status: string;
  match: string[];
}

async function listed(sb: Sandbox): Promise<ListedRecord[]> {
  const list = await sb.run(["list", "--json"]);
  expect(list.code).toBe(0);
  return JSON.parse(list.stdout);
}

/** A fake `gh` on PATH: `gh auth token --hostname H` prints the token in `<dir>/tokens/H` and logs its arguments. */
function fakeGh(sb: Sandbox, tokens: Record<string, string>): { env: Record<string, string>; calls: () => string[] } {
  const dir = join(sb.dir, "fake-gh");
  mkdirSync(join(dir, "bin"), { recursive: true });
  mkdirSync(join(dir, "tokens"));
  for (const [host, token] of Object.entries(tokens)) writeFileSync(join(dir, "tokens", host), token);
  const script = join(dir, "bin", "gh");
  writeFileSync(
    script,
    `#!/bin/sh
printf '%s\\n' "$*" >> "${dir}/calls"
[ "$1 $2 $3" = "auth token --hostname" ] && [ $# -eq 4 ] || { echo "fake gh: unexpected arguments" >&2; exit 2; }
[ -f "${dir}/tokens/$4" ] || { echo "no oauth token found for $4" >&2; exit 1; }
cat "${dir}/tokens/$4"; echo
`,
  );
  chmodSync(script, 0o755);
  return {
    env: { PATH: `${join(dir, "bin")}:${sb.env.PATH}` },
    calls: () => (existsSync(join(dir, "calls")) ? readFileSync(join(dir, "calls"), "utf8").trim().split("\n") : []),
  };
}

describeEachStore("ghpat import into the store", () => {
  const { api, sandbox } = useWorld();

  it("treats one token written for two hosts as two imports, and removes only the lines of what it imported", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const lines = {
      cloud: `https://octo:${token}@github.com\n`,
      ghe: `https://octo:${token}@ghe.example.com\n`,
      plainHttp: `http://octo:${token}@github.com\n`,
    };
    const file = join(sb.home, ".git-credentials");
    writeFileSync(file, Object.values(lines).join(""), { mode: 0o600 });

    const result = await sb.run(["import", "--from", "git-credentials", "--no-verify", "--remove-plaintext"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("line 3: skipped: it is for http://");
    expect(result.stderr).toContain(`Removed 2 lines from ${file}`);
    // git keeps what ghpat did not take over: the http:// line, byte for byte.
    expect(readFileSync(file, "utf8")).toBe(lines.plainHttp);
    expect((await listed(sb)).map((r) => `${r.name} ${r.host}`)).toEqual([
      "octo@ghe.example.com ghe.example.com",
      "octo github.com",
    ]);
    for (const host of ["github.com", "ghe.example.com"]) {
      const get = await sb.run(["git-credential", "get"], {
        input: `protocol=https\nhost=${host}\n\n`,
        secretOnStdout: true,
      });
      expect(get.stdout, host).toContain(`password=${token}\n`);
    }
  });

  it("imports the GitHub tokens of ~/.git-credentials, verified, and removes only their lines, byte for byte", async () => {
    const sb = sandbox();
    const octo = sb.canary(canaryToken());
    const hubot = sb.canary(canaryToken("gho_"));
    const revoked = sb.canary(canaryToken());
    api.addToken(octo, { login: "octocat", scopes: ["repo"] });
    api.addToken(hubot, { login: "hubot", scopes: ["read:org"] });
    const lines = {
      octo: `https://octocat:${octo}@github.com\n`,
      gitlab: "https://someone:hunter2@gitlab.com\r\n",
      revoked: `https://x-access-token:${revoked}@github.com\n`,
      odd: "  weird line with \u00fcn\u00efc\u00f6d\u00e9, a\ttab, a lone \r and U+2028 \u2028 inside\n",
      hubot: `https://hubot:${hubot}@GHE.example.com:8443/acme/tools.git\r\n`,
      blank: "\n",
      octoAgain: `https://octocat:${octo}@github.com/acme/api\n`,
      last: "https://bob:not-a-token@github.com",
    };
    const file = join(sb.home, ".git-credentials");
    writeFileSync(file, Object.values(lines).join(""), { mode: 0o640 });

    const result = await sb.run(["import", "--from", "git-credentials", "--remove-plaintext"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/line 3: ghp_…\w{4} for github\.com was not imported: GitHub rejected the token/);
    expect(result.stderr).toContain("1 token was not imported because GitHub refused it");
    expect(result.stderr).toContain(`Removed 3 lines from ${file}`);

    // Every other line, byte for byte, in order; the file keeps its mode; no backup was left.
    expect(readFileSync(file).toString("utf8")).toBe(
      lines.gitlab + lines.revoked + lines.odd + lines.blank + lines.last,
    );
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(sb.home).filter((f) => f.includes("git-credentials"))).toEqual([".git-credentials"]);

    expect(await listed(sb)).toEqual([
      expect.objectContaining({
        name: "hubot@ghe.example.com:8443",
        host: "ghe.example.com:8443",
        login: "hubot",
        status: "valid",
        match: ["acme/tools"],
      }),
      expect.objectContaining({
        name: "octocat",
        host: "github.com",
        login: "octocat",
        status: "valid",
        match: ["acme/api"],
      }),
    ]);
    expect(sb.storedSecret("github.com/octocat")).toBe(octo);
    expect(sb.storedSecret("ghe.example.com:8443/hubot@ghe.example.com:8443")).toBe(hubot);
    // Each distinct token was verified once, through GHPAT_API_URL.
    expect(api.authorizations().sort()).toEqual([`token ${hubot}`, `token ${octo}`, `token ${revoked}`].sort());
  });

  it("imports each host gh knows from 'gh auth token --hostname HOST'", async () => {
    const sb = sandbox();
    const mona = sb.canary(canaryToken("gho_"));
    const enterprise = sb.canary(canaryToken("gho_"));
    api.addToken(mona, { login: "monalisa", scopes: ["repo", "gist"] });
    api.addToken(enterprise, { login: "mona", scopes: [] });
    const ghConfig = join(sb.dir, "gh-config");
    mkdirSync(ghConfig);
    writeFileSync(
      join(ghConfig, "hosts.yml"),
      "github.com:\n    users:\n        monalisa:\n    git_protocol: https\n    user: monalisa\nghe.example.com:\n    user: mona\nlogged-out.example.com:\n    user: nobody\n",
    );
    const gh = fakeGh(sb, { "github.com": mona, "ghe.example.com": enterprise });

    const result = await sb.run(["import", "--from", "gh"], { env: { ...gh.env, GH_CONFIG_DIR: ghConfig } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /gh \(logged-out\.example\.com\): skipped: 'gh auth token --hostname logged-out\.example\.com' failed \(exit 1\)/,
    );
    expect(gh.calls()).toEqual([
      "auth token --hostname github.com",
      "auth token --hostname ghe.example.com",
      "auth token --hostname logged-out.example.com",
    ]);
    expect((await listed(sb)).map((r) => [r.name, r.login, r.status])).toEqual([
      ["mona@ghe.example.com", "mona", "valid"],
      ["monalisa", "monalisa", "valid"],
    ]);
    expect(sb.storedSecret("github.com/monalisa")).toBe(mona);

    // Importing again finds them stored already and stores nothing twice.
    const again = await sb.run(["import", "--from", "gh", "--json"], { env: { ...gh.env, GH_CONFIG_DIR: ghConfig } });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).map((r: { outcome: string }) => r.outcome)).toEqual([
      "already-stored",
      "already-stored",
      "skipped",
    ]);
    expect(await listed(sb)).toHaveLength(2);
  });
});

describe("ghpat import: files, flags and refusals", () => {
  const { api, sandbox } = useWorld({ store: "file" });

  it("reads $XDG_CONFIG_HOME/git/credentials, imports unverified under --no-verify, and keeps a backup only with --backup", async () => {
    const sb = sandbox();
    const a = sb.canary(canaryToken());
    const b = sb.canary(canaryToken());
    const xdg = join(sb.dir, "xdg");
    mkdirSync(join(xdg, "git"), { recursive: true });
    const original = `https://alice:${a}@github.com\r\nhttps://someone:pw@example.com\nhttps://x-access-token:${b}@github.com`;
    const real = join(xdg, "git", "credentials-real");
    writeFileSync(real, original, { mode: 0o600 });
    // A dotfiles-style symlink: the link stays, its target is rewritten.
    symlinkSync(real, join(xdg, "git", "credentials"));

    const result = await sb.run(
      ["import", "--from", "git-credentials", "--no-verify", "--remove-plaintext", "--backup"],
      { env: { XDG_CONFIG_HOME: xdg }, cwd: sb.home },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(api.requests).toEqual([]);
    expect(readFileSync(real, "utf8")).toBe("https://someone:pw@example.com\n");
    expect(statSync(join(xdg, "git", "credentials"), { throwIfNoEntry: false })?.isFile()).toBe(true);
    const backups = readdirSync(join(xdg, "git")).filter((f) => f.startsWith("credentials.ghpat-backup-"));
    expect(backups).toHaveLength(1);
    const backup = join(xdg, "git", backups[0] ?? "");
    expect(readFileSync(backup, "utf8")).toBe(original);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(result.stderr).toContain(backup);

    const records = await listed(sb);
    expect(records.map((r) => [r.name, r.status, r.login])).toEqual([
      ["alice", "unverified", null],
      [`imported-${b.slice(-4)}`, "unverified", null],
    ]);

    // The backup names the file explicitly: everything in it is already stored, and --keep-plaintext leaves it alone.
    const again = await sb.run(["import", "--from", "git-credentials", backup, "--keep-plaintext", "--no-verify"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already stored as 'alice'");
    expect(readFileSync(backup, "utf8")).toBe(original);
    expect(await listed(sb)).toHaveLength(2);
  });

  it("without a terminal, asks for --remove-plaintext or --keep-plaintext before touching anything (2)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: [] });
    const file = join(sb.home, ".git-credentials");
    writeFileSync(file, `https://octocat:${token}@github.com\n`);
    for (const run of [
      () => sb.run(["import", "--from", "git-credentials"]),
      () => runOnTerminal(sb, ["import", "--from", "git-credentials"], { env: { CI: "true" } }),
    ]) {
      const result = await run();
      expect(result.code).toBe(2);
      const text = "output" in result ? result.output : result.stderr;
      expect(text).toContain("--remove-plaintext");
      expect(text).toContain("--keep-plaintext");
      expect(text).not.toContain(token);
    }
    expect(api.requests).toEqual([]);
    expect(existsSync(sb.indexPath())).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(`https://octocat:${token}@github.com\n`);
  });

  it("asks on a terminal whether to remove the lines", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: [] });
    const file = join(sb.home, ".git-credentials");
    writeFileSync(file, `keep me\nhttps://octocat:${token}@github.com\n`);
    const result = await runOnTerminal(sb, ["import", "--from", "git-credentials"], {
      env: { CI: undefined },
      answers: [{ when: /Remove the lines/, send: "y\r" }],
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain(token);
    expect(readFileSync(file, "utf8")).toBe("keep me\n");
    expect(sb.storedSecret("github.com/octocat")).toBe(token);
  });

  it("refuses what does not fit and names the fix", async () => {
    const sb = sandbox();
    const missing = await sb.run(["import", "--from", "git-credentials", "--keep-plaintext"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(join(sb.home, ".git-credentials"));
    const noGh = await sb.run(["import", "--from", "gh"], { env: { GH_CONFIG_DIR: join(sb.dir, "nowhere") } });
    expect(noGh.code).toBe(3);
    expect(noGh.stderr).toContain("gh auth login");
    const both = await sb.run(["import", "--from", "git-credentials", "--remove-plaintext", "--keep-plaintext"]);
    expect(both.code).toBe(2);
    const ghWithFile = await sb.run(["import", "--from", "gh", "--remove-plaintext"]);
    expect(ghWithFile.code).toBe(2);
    const noSource = await sb.run(["import"]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain("--from");
  });
});
