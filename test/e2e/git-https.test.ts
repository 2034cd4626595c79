import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { expectGitOk, gitEnv, runGit } from "../helpers/git.js";
import { GitHttpsServer, makeCertificate } from "../helpers/git-server.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

describeEachStore("git clone and push over HTTPS, with credentials only from ghpat", () => {
  const { api, sandbox } = useWorld();
  let dir: string;
  let certFile: string;
  let server: GitHttpsServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ghpat-git-https-"));
    const tls = makeCertificate(dir);
    certFile = tls.certFile;
    server = await new GitHttpsServer(dir, tls).start();
    const seedEnv = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Seed",
      GIT_AUTHOR_EMAIL: "seed@example.com",
      GIT_COMMITTER_NAME: "Seed",
      GIT_COMMITTER_EMAIL: "seed@example.com",
    };
    server.createRepository("acme", "app", seedEnv);
    server.createRepository("globex", "lib", seedEnv);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two tokens of two owners on the loopback host: alice's for acme/*, bob's for globex. Alice's is the host default. */
  async function twoOwners(sb: Sandbox) {
    const alice = sb.canary(canaryToken());
    const bob = sb.canary(canaryToken());
    seedVerified(sb, api, alice, { login: "alice", scopes: ["repo"] }, { host: server.host, match: ["acme/*"] });
    seedVerified(sb, api, bob, { login: "bob", scopes: ["repo"] }, { host: server.host, match: ["globex"] });
    server.tokens.set("acme", alice);
    server.tokens.set("globex", bob);
    server.requests.length = 0;
    // GIT_SSL_CAINFO beats -c http.sslCAInfo, and this machine sets its own: the test sets it explicitly.
    const env = gitEnv(sb, { GIT_SSL_CAINFO: certFile });
    return { alice, bob, env };
  }

  function authenticated(owner: string) {
    return server.requests.filter((r) => r.path.startsWith(`/${owner}/`) && r.password !== null);
  }

  it("clones and pushes two owners' repositories, each with its own token (setup-git --path, add --match)", async () => {
    const sb = sandbox();
    const { alice, bob, env } = await twoOwners(sb);
    const setup = await sb.run(["setup-git", "--host", server.host, "--path"]);
    expect(setup.code, setup.stderr).toBe(0);

    for (const [owner, repo] of [
      ["acme", "app"],
      ["globex", "lib"],
    ] as const) {
      const target = join(sb.dir, `${owner}-${repo}`);
      expectGitOk(
        await runGit(sb, ["clone", "--quiet", `${server.url}/${owner}/${repo}.git`, target], { env }),
        `clone ${owner}/${repo}`,
      );
      writeFileSync(join(target, "change.txt"), `pushed to ${owner}\n`);
      expectGitOk(await runGit(sb, ["add", "change.txt"], { env, cwd: target }), "add");
      expectGitOk(await runGit(sb, ["commit", "--quiet", "-m", `change for ${owner}`], { env, cwd: target }), "commit");
      expectGitOk(
        await runGit(sb, ["push", "--quiet", "origin", "main"], { env, cwd: target }),
        `push ${owner}/${repo}`,
      );
      const log = await runGit(
        sb,
        ["--git-dir", join(server.root, owner, `${repo}.git`), "log", "-1", "--format=%s", "main"],
        { env },
      );
      expect(log.stdout.trim()).toBe(`change for ${owner}`);
      // git keeps no credential in the clone's configuration.
      for (const secret of [alice, bob])
        expect(readFileSync(join(target, ".git", "config"), "utf8")).not.toContain(secret);
    }

    const acme = authenticated("acme");
    const globex = authenticated("globex");
    expect(acme.length).toBeGreaterThanOrEqual(2);
    expect(globex.length).toBeGreaterThanOrEqual(2);
    expect(new Set(acme.map((r) => `${r.user}:${r.password === alice ? "alice-token" : "other"}:${r.status}`))).toEqual(
      new Set(["alice:alice-token:200"]),
    );
    expect(new Set(globex.map((r) => `${r.user}:${r.password === bob ? "bob-token" : "other"}:${r.status}`))).toEqual(
      new Set(["bob:bob-token:200"]),
    );
    // Pushes went through receive-pack with the same tokens.
    expect(acme.some((r) => r.path.includes("git-receive-pack"))).toBe(true);
    expect(globex.some((r) => r.path.includes("git-receive-pack"))).toBe(true);

    // git reported success (store): ghpat recorded the use of both.
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{
      name: string;
      lastUsedAt: string | null;
      status: string;
    }>;
    expect(records.map((r) => [r.name, r.status, r.lastUsedAt !== null])).toEqual([
      [`alice@${server.host}`, "valid", true],
      [`bob@${server.host}`, "valid", true],
    ]);

    // Unset: git no longer asks ghpat, so it has nothing to send.
    expect((await sb.run(["setup-git", "--host", server.host, "--path", "--unset"])).code).toBe(0);
    server.requests.length = 0;
    const denied = await runGit(sb, ["clone", "--quiet", `${server.url}/acme/app.git`, join(sb.dir, "denied")], {
      env,
    });
    expect(denied.code).not.toBe(0);
    expect(server.requests.every((r) => r.password === null)).toBe(true);
  });

  it("without useHttpPath git sends no path: the host default goes everywhere, and a refusal marks it rejected", async () => {
    const sb = sandbox();
    const { alice, env } = await twoOwners(sb);
    expect((await sb.run(["setup-git", "--host", server.host])).code).toBe(0);

    const clone = await runGit(sb, ["clone", "--quiet", `${server.url}/globex/lib.git`, join(sb.dir, "globex-lib")], {
      env,
    });
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toMatch(/Authentication failed/);
    // git's erase after the 401: one line from ghpat, naming the token and the way back.
    const said = clone.stderr.split("\n").filter((l) => l.startsWith("ghpat:"));
    expect(said).toEqual([
      `ghpat: ${server.host} refused token 'alice@${server.host}'; it will not be offered again until 'ghpat verify alice@${server.host}' passes`,
    ]);
    const tried = authenticated("globex");
    expect(tried.map((r) => [r.user, r.password === alice, r.status])).toEqual([["alice", true, 401]]);

    // git said the credential was refused (erase): marked, not deleted.
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{ name: string; status: string }>;
    expect(records.map((r) => [r.name, r.status])).toEqual([
      [`alice@${server.host}`, "rejected"],
      [`bob@${server.host}`, "valid"],
    ]);
    const still = await sb.run(["token", `alice@${server.host}`], { secretOnStdout: true });
    expect(still.stdout).toBe(`${alice}\n`);
  });
});
