import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expectGitOk, gitEnv, runGit } from "../helpers/git.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

interface Finding {
  file: string;
  line: number;
  column: number;
  kind: string;
  fingerprint: string;
  checksum: string;
  commit: string | null;
  name: string | null;
  host: string | null;
  source: string;
  excerpt: string;
  live?: string;
}
interface ScanJson {
  findings: Finding[];
  stats: { files: number; binary: number; tooLarge: number; symlinks: number; lookAlikes: number; commits: number };
  unnamedStored: number;
}

/** A ghp_ token whose last character is changed: its CRC-32 fails. */
function lookAlike(token: string): string {
  return `${token.slice(0, -1)}${token.at(-1) === "A" ? "B" : "A"}`;
}

function fingerprintOf(token: string): string {
  return `${token.startsWith("github_pat_") ? "github_pat_" : token.slice(0, 4)}…${token.slice(-4)}`;
}

async function scanJson(
  sb: Sandbox,
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<{ code: number | null; json: ScanJson; stderr: string }> {
  const result = await sb.run(["scan", ...args, "--json"], { env, ...(cwd ? { cwd } : {}) });
  expect(result.code, result.stderr).not.toBe(70);
  return { code: result.code, json: JSON.parse(result.stdout) as ScanJson, stderr: result.stderr };
}

async function initRepo(sb: Sandbox, name: string): Promise<string> {
  const repo = join(sb.dir, name);
  mkdirSync(repo);
  expectGitOk(await runGit(sb, ["init", "-q", "-b", "main"], { cwd: repo }), "git init");
  return repo;
}

async function commitAll(sb: Sandbox, repo: string, message: string): Promise<string> {
  expectGitOk(await runGit(sb, ["add", "-A"], { cwd: repo }), "git add");
  expectGitOk(await runGit(sb, ["commit", "-q", "-m", message], { cwd: repo }), "git commit");
  return (await runGit(sb, ["rev-parse", "HEAD"], { cwd: repo })).stdout.trim();
}

describeEachStore("ghpat scan names your tokens", () => {
  const { api, sandbox } = useWorld();

  it("finds a stored token (named once it has a keyed hash, without opening the store), an unknown one and a fine-grained one in .env; drops a look-alike; skips a binary file and a symlink loop", async () => {
    const sb = sandbox();
    const mine = sb.canary(canaryToken());
    const stranger = sb.canary(canaryToken("gho_"));
    const fine = sb.canary(canaryFineGrained());
    const fake = sb.canary(lookAlike(canaryToken()));
    const inBinary = sb.canary(canaryToken());
    api.addToken(mine, { login: "octocat", scopes: ["repo"] });
    sb.seed([{ name: "ci-bot", token: mine }]);
    // As an older ghpat left it: a record without the keyed hash.
    writeFileSync(sb.indexPath(), (sb.readIndexText() ?? "").replace(/,"secretMac":"[^"]*"/, ""), { mode: 0o600 });

    const tree = join(sb.dir, "tree");
    mkdirSync(join(tree, "src"), { recursive: true });
    writeFileSync(
      join(tree, "src", "deploy.sh"),
      `#!/bin/sh\n# deploy\ncurl -H "Authorization: token ${mine}" https://api.github.com/user\n`,
    );
    writeFileSync(join(tree, "notes.md"), `Some notes.\n\n  héllo ${stranger} and ${fake}\n`);
    writeFileSync(join(tree, ".env"), `A=1\nGITHUB_TOKEN=${fine}\n`);
    writeFileSync(join(tree, "blob.bin"), Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(inBinary)]));
    symlinkSync("..", join(tree, "src", "loop"));
    symlinkSync(join(tree, "notes.md"), join(tree, "link-to-notes"));

    // Before any verification, the seeded record has no keyed hash: nothing is named, and scan says why.
    const before = await scanJson(sb, ["tree"], sb.lockedEnv());
    expect(before.code).toBe(1);
    expect(before.json.unnamedStored).toBe(1);
    expect(before.json.findings.every((f) => f.name === null)).toBe(true);
    expect(before.stderr).toContain("1 stored token cannot be named yet; run 'ghpat verify'");

    // Reading the secret gives the record its keyed hash; so does verifying it.
    expect((await sb.run(["token", "ci-bot"], { secretOnStdout: true })).code).toBe(0);
    expect(sb.readIndexText()).toContain('"secretMac":');
    writeFileSync(sb.indexPath(), (sb.readIndexText() ?? "").replace(/,"secretMac":"[^"]*"/, ""), { mode: 0o600 });
    expect((await sb.run(["verify", "ci-bot"])).code).toBe(0);
    expect(sb.readIndexText()).toContain('"secretMac":');

    // Named with the store locked (no passphrase): scan reads the index and its key only.
    const { code, json, stderr } = await scanJson(sb, ["tree"], sb.lockedEnv());
    expect(code).toBe(1);
    expect(json.unnamedStored).toBe(0);
    expect(json.findings).toEqual([
      {
        file: join("tree", ".env"),
        line: 2,
        column: 14,
        kind: "fine-grained",
        fingerprint: fingerprintOf(fine),
        checksum: "none",
        commit: null,
        name: null,
        host: null,
        source: "file",
        excerpt: `GITHUB_TOKEN=github_pat_********${fine.slice(-4)}`,
      },
      {
        file: join("tree", "notes.md"),
        line: 3,
        column: 9,
        kind: "oauth",
        fingerprint: fingerprintOf(stranger),
        checksum: "valid",
        commit: null,
        name: null,
        host: null,
        source: "file",
        excerpt: `héllo gho_********${stranger.slice(-4)} and ghp_********${fake.slice(-4)}`,
      },
      {
        file: join("tree", "src", "deploy.sh"),
        line: 3,
        column: 31,
        kind: "classic",
        fingerprint: fingerprintOf(mine),
        checksum: "valid",
        commit: null,
        name: "ci-bot",
        host: "github.com",
        source: "file",
        excerpt: `curl -H "Authorization: token ghp_********${mine.slice(-4)}" https://api.github.com/user`,
      },
    ]);
    expect(json.stats).toMatchObject({ files: 4, binary: 1, tooLarge: 0, symlinks: 2, lookAlikes: 1 });
    expect(stderr).toContain("Found 3 GitHub tokens, 1 of them yours.");

    const text = await sb.run(["scan", "tree"], { env: sb.lockedEnv() });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `tree/src/deploy.sh:3:31: classic personal access token (ghp_) ${fingerprintOf(mine)}, yours: 'ci-bot' (github.com)`,
    );
    expect(text.stdout).toContain("rotate it with 'ghpat rotate ci-bot'");
    expect(text.stderr).toContain("skipped 1 binary file, 2 symlinks not followed");
    expect(text.stderr).toContain("1 look-alike with a failing checksum was dropped (--include-invalid shows them)");

    const withInvalid = await scanJson(sb, ["tree", "--include-invalid"]);
    expect(
      withInvalid.json.findings.filter((f) => f.checksum === "invalid").map((f) => [f.file, f.line, f.column]),
    ).toEqual([[join("tree", "notes.md"), 3, 54]]);

    // Files over --max-file-size are skipped and counted.
    const small = await scanJson(sb, ["tree", "--max-file-size", "40"]);
    expect(small.json.stats.tooLarge).toBeGreaterThanOrEqual(2);
    expect(small.json.findings.map((f) => f.file)).not.toContain(join("tree", "src", "deploy.sh"));
  });
});

describe("ghpat scan", () => {
  const { api, sandbox } = useWorld({ store: "file" });

  it("exits 0 on a clean tree, 2 on bad arguments, and finds look-alikes alone no failure", async () => {
    const sb = sandbox();
    const clean = join(sb.dir, "clean");
    mkdirSync(clean);
    writeFileSync(join(clean, "a.txt"), `nothing here but ghp_ and github_pat_ and ${lookAlike(canaryToken())}\n`);
    const result = await sb.run(["scan", "clean"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Scanned 1 file: no GitHub token found.");
    expect((await sb.run(["scan", "clean", "--include-invalid"])).code).toBe(0);
    expect((await sb.run(["scan", "missing-dir"])).code).toBe(2);
    expect((await sb.run(["scan", "--max-file-size", "ten"])).code).toBe(2);
    expect((await sb.run(["scan", "--format", "xml"])).code).toBe(2);
    expect((await sb.run(["scan", "--json", "--format", "sarif"])).code).toBe(2);
    expect((await sb.run(["scan", "clean", "--staged"])).code).toBe(2);
    expect((await sb.run(["scan", "missing-dir", "--history"])).code).toBe(2);

    // A file name with a terminal escape in it is shown quoted, never sent to the terminal as it is.
    const evil = join(sb.dir, "evil");
    mkdirSync(evil);
    writeFileSync(join(evil, "x\u001b]0;pwned\u0007.txt"), `${sb.canary(canaryToken())}\n`);
    const shown = await sb.run(["scan", "evil"]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).not.toContain("\u001b");
    expect(shown.stdout).toContain('"evil/x\\u001b]0;pwned\\u0007.txt":1:1:');
  });

  it("in a git work tree reads tracked and untracked files, ignored ones only with --all-files", async () => {
    const sb = sandbox();
    const repo = await initRepo(sb, "repo");
    const tracked = sb.canary(canaryToken());
    const untracked = sb.canary(canaryToken());
    const ignored = sb.canary(canaryFineGrained());
    writeFileSync(join(repo, ".gitignore"), ".env\n");
    writeFileSync(join(repo, "config.yml"), `token: ${tracked}\n`);
    await commitAll(sb, repo, "first");
    writeFileSync(join(repo, "scratch.txt"), `${untracked}\n`);
    writeFileSync(join(repo, ".env"), `GITHUB_TOKEN=${ignored}\n`);

    const plain = await scanJson(sb, [], {}, repo);
    expect(plain.json.findings.map((f) => f.file).sort()).toEqual(["config.yml", "scratch.txt"]);
    const all = await scanJson(sb, ["--all-files"], {}, repo);
    expect(all.json.findings.map((f) => f.file).sort()).toEqual([".env", "config.yml", "scratch.txt"]);
    // A work tree inside a plain directory is listed by git too.
    const outer = await scanJson(sb, [sb.dir]);
    expect(
      outer.json.findings
        .map((f) => f.file)
        .filter((f) => f.startsWith("repo/"))
        .sort(),
    ).toEqual(["repo/config.yml", "repo/scratch.txt"]);
  });

  it("--staged reads only the lines about to be committed; --history every commit's added lines, in every ref", async () => {
    const sb = sandbox();
    const repo = await initRepo(sb, "repo");
    const old = sb.canary(canaryToken());
    const staged = sb.canary(canaryToken("ghu_"));
    const onBranch = sb.canary(canaryFineGrained());
    writeFileSync(join(repo, "a.txt"), "one\n");
    await commitAll(sb, repo, "first");
    writeFileSync(join(repo, "a.txt"), `one\ntwo ${old}\n`);
    const added = await commitAll(sb, repo, "add a token");
    writeFileSync(join(repo, "a.txt"), "one\ntwo\n");
    await commitAll(sb, repo, "remove it");
    expectGitOk(await runGit(sb, ["checkout", "-q", "-b", "side"], { cwd: repo }), "checkout");
    writeFileSync(join(repo, "b 2.txt"), `x\ny\n  ${onBranch}\n`);
    const sideCommit = await commitAll(sb, repo, "on a branch");
    expectGitOk(await runGit(sb, ["checkout", "-q", "main"], { cwd: repo }), "checkout main");

    // Nothing in the files as they stand now, nor staged.
    expect((await sb.run(["scan"], { cwd: repo })).code).toBe(0);
    expect((await sb.run(["scan", "--staged"], { cwd: repo })).code).toBe(0);

    const history = await scanJson(sb, ["--history"], {}, repo);
    expect(history.code).toBe(1);
    expect(history.json.findings.map((f) => [f.commit, f.file, f.line, f.column, f.source])).toEqual([
      [added, "a.txt", 2, 5, "history"],
      [sideCommit, "b 2.txt", 3, 3, "history"],
    ]);
    expect(history.json.stats.commits).toBe(4);

    writeFileSync(join(repo, "a.txt"), `one\ntwo\nthree ${staged}\n`);
    expectGitOk(await runGit(sb, ["add", "a.txt"], { cwd: repo }), "git add");
    writeFileSync(join(repo, "unstaged.txt"), `${canaryToken()}\n`);
    const stagedScan = await scanJson(sb, ["--staged"], {}, repo);
    expect(stagedScan.json.findings.map((f) => [f.file, f.line, f.column, f.kind, f.source, f.commit])).toEqual([
      ["a.txt", 3, 7, "user-to-server", "staged", null],
    ]);
  });

  it("--format sarif is valid SARIF 2.1.0 (the schema from npm), --format github prints workflow annotations", async () => {
    const sb = sandbox();
    const tree = join(sb.dir, "tree");
    mkdirSync(tree);
    const token = sb.canary(canaryToken());
    writeFileSync(join(tree, "x.js"), `const t = "${token}";\n`);
    writeFileSync(join(tree, "y.txt"), `${lookAlike(canaryToken())}\n`);
    const sarif = await sb.run(["scan", "tree", "--format", "sarif", "--include-invalid"]);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      version: string;
      runs: Array<{
        results: Array<{
          ruleId: string;
          level: string;
          locations: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } };
          }>;
        }>;
      }>;
    };
    const require = createRequire(import.meta.url);
    const Ajv = (
      require("ajv-draft-04") as {
        default: new (options: object) => {
          compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
        };
      }
    ).default;
    const schema = JSON.parse(
      readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(
      schema,
    );
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe("2.1.0");
    const results = log.runs[0]?.results ?? [];
    expect(
      results.map((r) => [
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation.artifactLocation.uri,
        r.locations[0]?.physicalLocation.region.startLine,
        r.locations[0]?.physicalLocation.region.startColumn,
      ]),
    ).toEqual([
      ["ghpat/github-token", "error", "tree/x.js", 1, 12],
      ["ghpat/github-token-look-alike", "note", "tree/y.txt", 1, 1],
    ]);
    // A schema check that can fail: a result without a message is refused.
    const broken = structuredClone(log) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete broken.runs[0]?.results[0]?.message;
    expect(validate(broken)).toBe(false);

    const github = await sb.run(["scan", "tree", "--format", "github"]);
    expect(github.code).toBe(1);
    expect(github.stdout.trim().split("\n")).toEqual([
      `::error file=tree/x.js,line=1,col=12,title=GitHub token in plain text::A classic personal access token (ghp_), ${fingerprintOf(token)}. Revoke it where it was created (or ask its owner to), then remove this copy.`,
    ]);
  });

  it("--home finds tokens in shell history, git-credentials, .netrc, .npmrc, gh's hosts.yml, docker's base64 auth and .env files under the current directory", async () => {
    const sb = sandbox();
    const t = Array.from({ length: 7 }, () => sb.canary(canaryToken()));
    const [history, credentials, netrc, npmrc, gh, docker, env] = t as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    writeFileSync(join(sb.home, ".bash_history"), `ls\nexport GH_TOKEN=${history}\n`);
    writeFileSync(join(sb.home, ".git-credentials"), `https://me:${credentials}@github.com\n`);
    writeFileSync(join(sb.home, ".netrc"), `machine github.com login me password ${netrc}\n`);
    writeFileSync(join(sb.home, ".npmrc"), `//npm.pkg.github.com/:_authToken=${npmrc}\n`);
    mkdirSync(join(sb.home, ".config", "gh"), { recursive: true });
    writeFileSync(join(sb.home, ".config", "gh", "hosts.yml"), `github.com:\n    oauth_token: ${gh}\n    user: me\n`);
    mkdirSync(join(sb.home, ".docker"));
    writeFileSync(
      join(sb.home, ".docker", "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { auth: Buffer.from(`me:${docker}`).toString("base64") } } }, null, 2),
    );
    const project = join(sb.dir, "project");
    mkdirSync(join(project, "deep", "er"), { recursive: true });
    writeFileSync(join(project, "deep", "er", ".env.local"), `TOKEN=${env}\n`);
    writeFileSync(join(project, "other.txt"), `${sb.canary(canaryToken())}\n`);

    const { code, json } = await scanJson(sb, ["--home"], {}, project);
    expect(code).toBe(1);
    const byFingerprint = new Map(json.findings.map((f) => [f.fingerprint, f]));
    const expected: Array<[string, string]> = [
      [history, join(sb.home, ".bash_history")],
      [credentials, join(sb.home, ".git-credentials")],
      [netrc, join(sb.home, ".netrc")],
      [npmrc, join(sb.home, ".npmrc")],
      [gh, join(sb.home, ".config", "gh", "hosts.yml")],
      [docker, join(sb.home, ".docker", "config.json")],
      [env, join("deep", "er", ".env.local")],
    ];
    for (const [token, file] of expected) expect(byFingerprint.get(fingerprintOf(token))?.file, file).toBe(file);
    expect(json.findings).toHaveLength(7);
    expect(json.findings.every((f) => f.source === "home")).toBe(true);
    const dockerFinding = byFingerprint.get(fingerprintOf(docker));
    expect(dockerFinding?.line).toBe(4);
    expect(dockerFinding?.excerpt).not.toContain(Buffer.from(`me:${docker}`).toString("base64"));
  });

  it("install-hook: a real git commit that adds a token is refused; a foreign hook is kept only with --force, and runs first", async () => {
    const sb = sandbox();
    const repo = await initRepo(sb, "repo");
    writeFileSync(join(repo, "README"), "hello\n");
    await commitAll(sb, repo, "first");
    const hooks = join(repo, ".git", "hooks");
    mkdirSync(hooks, { recursive: true });
    const foreign = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/foreign-ran"\n';
    writeFileSync(join(hooks, "pre-commit"), foreign);
    chmodSync(join(hooks, "pre-commit"), 0o755);

    const refused = await sb.run(["scan", "install-hook"], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("did not write");
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toBe(foreign);

    const installed = await sb.run(["scan", "install-hook", "--force"], { cwd: repo });
    expect(installed.code, installed.stderr).toBe(0);
    expect(readFileSync(join(hooks, "pre-commit.before-ghpat"), "utf8")).toBe(foreign);
    const hook = readFileSync(join(hooks, "pre-commit"), "utf8");
    expect(hook).toContain("scan --staged");
    // Installing again changes nothing and keeps the chain.
    expect((await sb.run(["scan", "install-hook"], { cwd: repo })).code).toBe(0);
    expect(readFileSync(join(hooks, "pre-commit"), "utf8")).toBe(hook);

    const token = sb.canary(canaryToken());
    writeFileSync(join(repo, "secret.txt"), `token=${token}\n`);
    expectGitOk(await runGit(sb, ["add", "secret.txt"], { cwd: repo }), "git add");
    const headBefore = (await runGit(sb, ["rev-parse", "HEAD"], { cwd: repo })).stdout;
    const blocked = await runGit(sb, ["commit", "-q", "-m", "leak"], { cwd: repo, env: gitEnv(sb) });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain("secret.txt:1:7");
    expect((await runGit(sb, ["rev-parse", "HEAD"], { cwd: repo })).stdout).toBe(headBefore);
    expect(existsSync(join(repo, ".git", "foreign-ran"))).toBe(true);

    writeFileSync(join(repo, "secret.txt"), "token=from-the-environment\n");
    expectGitOk(await runGit(sb, ["add", "secret.txt"], { cwd: repo }), "git add");
    expectGitOk(await runGit(sb, ["commit", "-q", "-m", "clean"], { cwd: repo }), "a clean commit");
    expect(readFileSync(join(repo, ".git", "foreign-ran"), "utf8")).toBe("ran\nran\n");
  });

  it("--verify asks once per distinct token: 200 is active, only a 401 inactive, a rate limit unknown", async () => {
    const sb = sandbox();
    const live = sb.canary(canaryToken());
    const dead = sb.canary(canaryToken());
    const limited = sb.canary(canaryToken());
    api.addToken(live, { login: "octocat", scopes: ["repo"] });
    api.intercept((req, res) => {
      if (req.headers.authorization !== `token ${limited}`) return false;
      res.writeHead(403, {
        "content-type": "application/json",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-limit": "60",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      });
      res.end(JSON.stringify({ message: "API rate limit exceeded" }));
      return true;
    });
    const tree = join(sb.dir, "tree");
    mkdirSync(tree);
    writeFileSync(join(tree, "a.txt"), `${live}\n${dead}\n${limited}\n${live}\n`);
    const { code, json } = await scanJson(sb, ["tree", "--verify", "--timeout", "2"]);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.line, f.live])).toEqual([
      [1, "active"],
      [2, "inactive"],
      [3, "unknown"],
      [4, "active"],
    ]);
    const asked = api.requests.filter((r) => r.url.startsWith("/user"));
    expect(asked.filter((r) => r.headers.authorization === `token ${live}`)).toHaveLength(1);
  });
});
