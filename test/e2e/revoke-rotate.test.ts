import { spawn, spawnSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { expect, it } from "vitest";
import { acquireLock } from "../../src/storage/lock.js";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader, type FakeToken } from "../helpers/fake-github.js";
import { secretToolLookup } from "../helpers/keyring.js";
import { BIN, ROOT, type Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

const keyring = { env: keyringEnv ?? {} };

interface Listed {
  name: string;
  fingerprint: string;
  login: string | null;
  scopes: string[] | null;
  expiresAt: string | null;
  default: boolean;
  match: string[];
  note: string | null;
  status: string;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function isRevoke(req: IncomingMessage): boolean {
  return req.method === "POST" && req.url === "/credentials/revoke";
}

function bearerOf(req: IncomingMessage): string {
  return (req.headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
}

describeKeychain("revoke and rotate against the real Secret Service and a fake API", () => {
  const { api, sandbox } = useWorld();

  /** A token as `ghpat add NAME --stdin` leaves it once the fake API verified it. */
  async function add(
    sb: Sandbox,
    name: string,
    info: FakeToken,
    fields: { host?: string; match?: string[]; note?: string } = {},
    token = canaryToken(),
  ): Promise<string> {
    seedVerified(sb, api, sb.canary(token), info, { name, ...fields });
    return token;
  }

  async function listed(sb: Sandbox): Promise<Listed[]> {
    const result = await sb.run(["list", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Listed[];
  }

  async function stored(sb: Sandbox, name: string): Promise<string> {
    const result = await sb.run(["token", name], { secretOnStdout: true });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.replace(/\n$/, "");
  }

  function keychainHolds(sb: Sandbox, name: string, host = "github.com"): string | null {
    return secretToolLookup(keyring, sb.service, `${host}/${name}`);
  }

  function revokeRequests() {
    return api.requests.filter((r) => r.method === "POST" && r.url === "/credentials/revoke");
  }

  /** The token is still stored exactly as before: index bytes and secret. */
  async function expectKept(sb: Sandbox, name: string, token: string, indexBefore: string | null): Promise<void> {
    expect(sb.readIndexText()).toBe(indexBefore);
    expect(keychainHolds(sb, name)).toBe(token);
    expect(await stored(sb, name)).toBe(token);
  }

  describeKeychain("revoke", () => {
    it('posts exactly {"credentials":[token]} without an Authorization header, then removes the token', async () => {
      const sb = sandbox();
      const token = await add(sb, "leaked", { login: "octocat", scopes: ["repo"] });
      const other = await add(sb, "kept", { login: "octocat", scopes: ["repo"] });
      api.requests.length = 0;

      const result = await sb.run(["revoke", "leaked", "--yes"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("Revoked 'leaked'");
      expect(api.requests).toHaveLength(1);
      const [request] = api.requests;
      expect(request?.method).toBe("POST");
      expect(request?.url).toBe("/credentials/revoke");
      expect(request?.body).toBe(JSON.stringify({ credentials: [token] }));
      expect(request?.headers.authorization).toBeUndefined();
      expect(request?.headers["content-type"]).toMatch(/^application\/json/);
      expect(request?.headers["user-agent"]).toMatch(/^ghpat\//);

      expect((await listed(sb)).map((t) => t.name)).toEqual(["kept"]);
      expect(keychainHolds(sb, "leaked")).toBeNull();
      expect(await stored(sb, "kept")).toBe(other);
    });

    for (const [label, fault] of [
      ["422", (res: import("node:http").ServerResponse) => api.json(res, 422, { message: "Validation Failed" })],
      ["500", (res: import("node:http").ServerResponse) => api.json(res, 500, { message: "Server Error" })],
      ["503", (res: import("node:http").ServerResponse) => api.json(res, 503, { message: "Unavailable" })],
      ["a dropped connection", (res: import("node:http").ServerResponse) => res.socket?.destroy()],
    ] as const) {
      it(`keeps the token and exits 5 when GitHub answers ${label}`, async () => {
        const sb = sandbox();
        const token = await add(sb, "leaked", { login: "octocat", scopes: ["repo"] });
        const before = sb.readIndexText();
        api.intercept((req, res) => {
          if (!isRevoke(req)) return false;
          fault(res);
          return true;
        });
        const result = await sb.run(["revoke", "leaked", "--yes"]);
        expect(result.code, result.stderr).toBe(5);
        expect(result.stderr).toContain("was not revoked and is still stored");
        expect(result.stderr).toContain("https://github.com/settings/tokens");
        // 5xx and dropped connections are retried twice (revoking twice is harmless); 422 never.
        expect(revokeRequests()).toHaveLength(label === "422" ? 1 : 3);
        await expectKept(sb, "leaked", token, before);
      });
    }

    it("keeps the token and exits 5 when the API cannot be reached", async () => {
      const sb = sandbox();
      const token = await add(sb, "leaked", { login: "octocat", scopes: ["repo"] });
      const before = sb.readIndexText();
      const result = await sb.run(["revoke", "leaked", "--yes"], { env: { GHPAT_API_URL: "http://127.0.0.1:9" } });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain("still stored");
      await expectKept(sb, "leaked", token, before);
    });

    it("prints the settings URL and changes nothing for a token off github.com (2)", async () => {
      const sb = sandbox();
      const token = await add(sb, "ghe", { login: "octocat", scopes: ["repo"] }, { host: "ghe.example.com" });
      const before = sb.readIndexText();
      api.requests.length = 0;
      const result = await sb.run(["revoke", "ghe", "--yes"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("https://ghe.example.com/settings/tokens");
      expect(result.stderr).toContain("Nothing was changed");
      expect(api.requests).toEqual([]);
      expect(sb.readIndexText()).toBe(before);
      expect(keychainHolds(sb, "ghe", "ghe.example.com")).toBe(token);
    });

    it("asks for --yes without a terminal (2), says 3 for an unknown name, and refuses a token as the name (2)", async () => {
      const sb = sandbox();
      const token = await add(sb, "leaked", { login: "octocat", scopes: ["repo"] });
      const before = sb.readIndexText();
      api.requests.length = 0;
      const noTty = await sb.run(["revoke", "leaked"]);
      expect(noTty.code).toBe(2);
      expect(noTty.stderr).toContain("--yes");
      const unknown = await sb.run(["revoke", "nobody", "--yes"]);
      expect(unknown.code).toBe(3);
      const asArg = await sb.run(["revoke", sb.canary(canaryToken()), "--yes"], { secretInArgs: true });
      expect(asArg.code).toBe(2);
      expect(asArg.stderr).toContain("--stdin");
      expect(api.requests).toEqual([]);
      await expectKept(sb, "leaked", token, before);
    });
  });

  describeKeychain("rotate", () => {
    /** A github.com token with everything rotate must keep, beside another token of the same host. */
    async function seeded(scopes = ["repo", "read:org"]) {
      const sb = sandbox();
      const old = await add(
        sb,
        "work",
        { login: "octocat", scopes, expiration: expirationHeader(3) },
        { match: ["acme/*", "acme-labs/api"], note: "laptop; main account" },
      );
      const bystander = await add(sb, "bystander", { login: "octocat", scopes: ["gist"] });
      expect((await sb.run(["default", "work"])).code).toBe(0);
      api.requests.length = 0;
      return { sb, old, bystander, before: sb.readIndexText() };
    }

    it("swaps in a verified successor, keeping name, matches, default and note", async () => {
      const { sb, old, bystander } = await seeded();
      const [beforeWork] = (await listed(sb)).filter((t) => t.name === "work");
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org", "gist"], expiration: expirationHeader(90) });

      const result = await sb.run(["rotate", "work", "--stdin"], { input: `${next}\n` });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("https://github.com/settings/tokens/new?scopes=repo,read:org&description=work");
      expect(result.stderr).toContain(`Rotated 'work': now ghp_…${next.slice(-4)}`);
      // Without a terminal and without --revoke-old, nothing is revoked, and the user is told how.
      expect(result.stderr).toContain("--revoke-old");
      expect(result.stderr).toContain(`ghp_…${old.slice(-4)}`);
      expect(revokeRequests()).toEqual([]);
      expect(api.authorizations()).toEqual([`token ${next}`]);

      expect(await stored(sb, "work")).toBe(next);
      expect(keychainHolds(sb, "work")).toBe(next);
      expect(await stored(sb, "bystander")).toBe(bystander);
      const work = (await listed(sb)).find((t) => t.name === "work");
      expect(work).toMatchObject({
        fingerprint: `ghp_…${next.slice(-4)}`,
        login: "octocat",
        scopes: ["repo", "read:org", "gist"],
        default: true,
        match: ["acme/*", "acme-labs/api"],
        note: "laptop; main account",
        status: "valid",
      });
      expect(Date.parse(work?.expiresAt ?? "")).toBeGreaterThan(
        Date.parse(beforeWork?.expiresAt ?? "") + 80 * 86_400_000,
      );
      // The host's default is still work: `token` with no name gives the new secret.
      expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${next}\n`);
      // The expiring finding is gone.
      const findings = JSON.parse((await sb.run(["revoke-reminder", "--json"])).stdout) as Array<{
        name: string;
        reason: string;
      }>;
      expect(findings.filter((f) => f.name === "work")).toEqual([]);
    });

    it("reminds to authorise the successor for SAML SSO when a verify of the old token saw GitHub ask for it", async () => {
      const { sb, old } = await seeded();
      const ssoUrl = "https://github.com/orgs/acme/sso?authorization_request=A1B2";
      api.addToken(old, { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(3), ssoUrl });
      const verified = await sb.run(["verify", "work"]);
      expect(verified.stderr).toContain(ssoUrl);
      expect(
        JSON.parse(sb.readIndexText() ?? "{}").tokens.find((t: { name: string }) => t.name === "work")?.sso,
      ).toEqual({ url: ssoUrl });

      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(90) });
      const result = await sb.run(["rotate", "work", "--stdin"], { input: next });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `'work' was authorised for an organisation's SAML SSO, which a regenerated or new token loses: authorise it again at ${ssoUrl} (or under https://github.com/settings/tokens, Configure SSO).`,
      );
    });

    it("says nothing about SSO after rotating a token no verify saw SSO for", async () => {
      const { sb } = await seeded();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(90) });
      const result = await sb.run(["rotate", "work", "--stdin"], { input: next });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toContain("SSO");
    });

    it("revokes the old token after the swap with --revoke-old, unauthenticated", async () => {
      const { sb, old } = await seeded();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
      const result = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`Revoked the old token (ghp_…${old.slice(-4)}) on GitHub.`);
      const revokes = revokeRequests();
      expect(revokes).toHaveLength(1);
      expect(revokes[0]?.body).toBe(JSON.stringify({ credentials: [old] }));
      expect(revokes[0]?.headers.authorization).toBeUndefined();
      // The new token was verified before the swap, the old one revoked after it.
      expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user", "POST /credentials/revoke"]);
      expect(await stored(sb, "work")).toBe(next);
    });

    it("accepts wider scopes through the scope hierarchy", async () => {
      const { sb } = await seeded(["public_repo", "read:org", "read:user"]);
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "OctoCat", scopes: ["repo", "admin:org", "user"] });
      const result = await sb.run(["rotate", "work", "--stdin"], { input: next });
      expect(result.code, result.stderr).toBe(0);
      expect(await stored(sb, "work")).toBe(next);
    });

    it("refuses a successor of another login (2) and leaves the old token in place; --force accepts it", async () => {
      const { sb, old, before } = await seeded();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "hubot", scopes: ["repo", "read:org"] });
      const refused = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("belongs to 'hubot'");
      expect(refused.stderr).toContain("old token is still in place");
      expect(refused.stderr).toContain("--force");
      expect(revokeRequests()).toEqual([]);
      await expectKept(sb, "work", old, before);

      const forced = await sb.run(["rotate", "work", "--stdin", "--force"], { input: next });
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stderr).toContain("accepted because of --force");
      expect((await listed(sb)).find((t) => t.name === "work")?.login).toBe("hubot");
    });

    it("refuses narrower scopes (2), naming what is missing, and leaves the old token in place", async () => {
      const { sb, old, before } = await seeded(["repo", "workflow", "read:org"]);
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["public_repo", "read:org"] });
      const result = await sb.run(["rotate", "work", "--stdin"], { input: next });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("lacks repo, workflow");
      await expectKept(sb, "work", old, before);

      // A fine-grained successor reports no scopes: ghpat cannot tell, so it asks for --force.
      const fine = sb.canary(canaryFineGrained());
      api.addToken(fine, { login: "octocat", scopes: null });
      const unknown = await sb.run(["rotate", "work", "--stdin"], { input: fine });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("cannot check");
      await expectKept(sb, "work", old, before);
    });

    it("leaves the old token in place when the new one cannot be verified: API down (5), rejected (1), malformed (2), the same token (2)", async () => {
      const { sb, old, before } = await seeded();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });

      const down = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], {
        input: next,
        env: { GHPAT_API_URL: "http://127.0.0.1:9" },
      });
      expect(down.code).toBe(5);
      expect(down.stderr).toContain("old token is still in place");
      await expectKept(sb, "work", old, before);

      api.intercept((req, res) => {
        if (req.url !== "/user" || bearerOf(req) !== next) return false;
        api.json(res, 502, { message: "Bad Gateway" });
        return true;
      });
      const badGateway = await sb.run(["rotate", "work", "--stdin"], { input: next });
      expect(badGateway.code).toBe(5);
      api.clearInterceptors();
      await expectKept(sb, "work", old, before);

      const unknown = sb.canary(canaryToken());
      const rejected = await sb.run(["rotate", "work", "--stdin"], { input: unknown });
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toContain("Bad credentials");
      await expectKept(sb, "work", old, before);

      const typo = sb.canary(`${next.slice(0, -1)}${next.endsWith("A") ? "B" : "A"}`);
      const malformed = await sb.run(["rotate", "work", "--stdin"], { input: typo });
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain("checksum");

      const same = await sb.run(["rotate", "work", "--stdin"], { input: old });
      expect(same.code).toBe(2);
      expect(same.stderr).toContain("already holds");

      const noTty = await sb.run(["rotate", "work"]);
      expect(noTty.code).toBe(2);
      expect(noTty.stderr).toContain("--stdin");

      expect(revokeRequests()).toEqual([]);
      await expectKept(sb, "work", old, before);
    });

    it("puts the old secret back when the index cannot be written after the keychain swap", async () => {
      const { sb, old, before } = await seeded();
      // A symlinked stamp file makes the index write refuse, after the new secret went into the keychain.
      const stamp = `${sb.indexPath()}.validated`;
      renameSync(stamp, `${stamp}.real`);
      symlinkSync(`${stamp}.real`, stamp);
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
      const result = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("symbolic link");
      expect(result.stderr).toContain("old token is still in place");
      expect(api.requests.map((r) => r.url)).toEqual(["/user"]);
      await expectKept(sb, "work", old, before);
    });

    it("keeps the new token and reports the old one as not revoked when revoking it fails after the swap (5)", async () => {
      const { sb, old } = await seeded();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
      api.intercept((req, res) => {
        if (!isRevoke(req)) return false;
        api.json(res, 422, { message: "Validation Failed" });
        return true;
      });
      const result = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain(`the old token (ghp_…${old.slice(-4)}) was NOT revoked`);
      expect(result.stderr).toContain("https://github.com/settings/tokens");
      expect(revokeRequests()[0]?.body).toBe(JSON.stringify({ credentials: [old] }));
      expect(await stored(sb, "work")).toBe(next);
      expect((await listed(sb)).find((t) => t.name === "work")?.fingerprint).toBe(`ghp_…${next.slice(-4)}`);
    });

    it("refuses --revoke-old off github.com before changing anything (2)", async () => {
      const sb = sandbox();
      const old = await add(sb, "ghe", { login: "octocat", scopes: ["repo"] }, { host: "ghe.example.com" });
      const before = sb.readIndexText();
      const next = sb.canary(canaryToken());
      api.addToken(next, { login: "octocat", scopes: ["repo"] });
      api.requests.length = 0;
      const refused = await sb.run(["rotate", "ghe", "--stdin", "--revoke-old"], { input: next });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("https://ghe.example.com/settings/tokens");
      expect(api.requests).toEqual([]);
      expect(sb.readIndexText()).toBe(before);
      expect(keychainHolds(sb, "ghe", "ghe.example.com")).toBe(old);
      const rotated = await sb.run(["rotate", "ghe", "--stdin"], { input: next });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stderr).toContain("https://ghe.example.com/settings/tokens/new?scopes=repo&description=ghe");
      expect(rotated.stderr).toContain("still works until you revoke it at https://ghe.example.com/settings/tokens");
      expect(keychainHolds(sb, "ghe", "ghe.example.com")).toBe(next);
    });

    describeKeychain("killed with SIGKILL: the old or the new token is always retrievable", () => {
      /** Starts rotate as a user would, without waiting for it. */
      function startRotate(sb: Sandbox, input: string, extra: string[] = []) {
        const child = spawn(process.execPath, [BIN, "rotate", "work", "--stdin", ...extra], {
          env: sb.env,
          cwd: sb.dir,
          stdio: ["pipe", "pipe", "pipe"],
        });
        const output = { stdout: "", stderr: "" };
        child.stdout.on("data", (c: Buffer) => (output.stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (output.stderr += c.toString()));
        const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
        child.stdin.end(input);
        return {
          child,
          async kill() {
            child.kill("SIGKILL");
            await exited;
            sb.assertNoLeak({ code: null, signal: "SIGKILL", ...output });
            // A lock held by a killed process would delay the next write by its stale time; the test knows the holder is dead.
            rmSync(`${sb.indexPath()}.lock`, { recursive: true, force: true });
          },
        };
      }

      /** Whatever state the kill left: one of the two tokens comes out, and a record naming the new token has the new secret. */
      async function expectRetrievable(sb: Sandbox, old: string, next: string): Promise<"old" | "new"> {
        const secret = await stored(sb, "work");
        expect([old, next]).toContain(secret);
        const record = (await listed(sb)).find((t) => t.name === "work");
        expect(record).toMatchObject({
          match: ["acme/*", "acme-labs/api"],
          note: "laptop; main account",
          default: true,
        });
        if (record?.fingerprint === `ghp_…${next.slice(-4)}`) expect(secret).toBe(next);
        return secret === old ? "old" : "new";
      }

      it("while verifying the new token: the old one stays", async () => {
        const { sb, old, before } = await seeded();
        const next = sb.canary(canaryToken());
        api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
        const arrived = deferred();
        const release = deferred();
        api.intercept(async (req, res) => {
          if (req.url !== "/user" || bearerOf(req) !== next) return false;
          arrived.resolve();
          await release.promise;
          res.socket?.destroy();
          return true;
        });
        const run = startRotate(sb, next, ["--revoke-old"]);
        await arrived.promise;
        await run.kill();
        release.resolve();
        await expectKept(sb, "work", old, before);
      });

      it("while waiting for the index lock right before the swap: the old one stays", async () => {
        const { sb, old, before } = await seeded();
        const next = sb.canary(canaryToken());
        api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
        // The test process holds the index lock as another ghpat would (alive, heartbeat running).
        const held = await acquireLock(`${sb.indexPath()}.lock`);
        try {
          const verified = deferred();
          api.intercept((req) => {
            if (req.url === "/user" && bearerOf(req) === next) verified.resolve();
            return false;
          });
          const run = startRotate(sb, next);
          await verified.promise;
          // Give it time to reach the lock; wherever it is, it cannot have passed it.
          await new Promise((r) => setTimeout(r, 400));
          expect(run.child.exitCode).toBeNull();
          await run.kill();
        } finally {
          await held.release();
        }
        await expectKept(sb, "work", old, before);
      });

      it("while revoking the old token after the swap: the new one is in place", async () => {
        const { sb, old } = await seeded();
        const next = sb.canary(canaryToken());
        api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
        const arrived = deferred();
        const release = deferred();
        api.intercept(async (req, res) => {
          if (!isRevoke(req)) return false;
          arrived.resolve();
          await release.promise;
          res.socket?.destroy();
          return true;
        });
        const run = startRotate(sb, next, ["--revoke-old"]);
        await arrived.promise;
        await run.kill();
        release.resolve();
        expect(await expectRetrievable(sb, old, next)).toBe("new");
        expect((await listed(sb)).find((t) => t.name === "work")?.fingerprint).toBe(`ghp_…${next.slice(-4)}`);
      });

      it("at staggered moments after verification: never neither", async () => {
        const { sb, old } = await seeded();
        const next = sb.canary(canaryToken());
        api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
        const seen: string[] = [];
        for (const delayMs of [0, 15, 40, 80, 160]) {
          const verified = deferred();
          api.clearInterceptors();
          api.intercept((req) => {
            if (req.url === "/user" && bearerOf(req) === next) verified.resolve();
            return false;
          });
          const current = await stored(sb, "work");
          if (current === next) break;
          const run = startRotate(sb, next);
          await verified.promise;
          await new Promise((r) => setTimeout(r, delayMs));
          await run.kill();
          seen.push(await expectRetrievable(sb, old, next));
        }
        expect(seen.length).toBeGreaterThan(0);
      });

      it("resumes a rotation killed between its keychain write and its index write", async () => {
        const { sb, old } = await seeded();
        const next = sb.canary(canaryToken());
        api.addToken(next, { login: "octocat", scopes: ["repo", "read:org"] });
        // The state that kill leaves: the record announcing the successor's fingerprint, and the new secret under it (written with the same keychain library ghpat uses).
        const index = JSON.parse(readFileSync(sb.indexPath(), "utf8")) as { tokens: Array<Record<string, unknown>> };
        for (const record of index.tokens)
          if (record.name === "work") record.pendingFingerprint = `ghp_…${next.slice(-4)}`;
        writeFileSync(sb.indexPath(), JSON.stringify(index), { mode: 0o600 });
        const write = spawnSync(
          process.execPath,
          [
            "-e",
            "require('@github/keytar').setPassword(process.argv[1], process.argv[2], require('fs').readFileSync(0, 'utf8')).then(() => process.exit(0), () => process.exit(1))",
            sb.service,
            "github.com/work",
          ],
          {
            env: sb.env,
            cwd: ROOT,
            input: next,
            timeout: 10_000,
          },
        );
        expect(write.status).toBe(0);
        expect(await expectRetrievable(sb, old, next)).toBe("new");

        const result = await sb.run(["rotate", "work", "--stdin", "--revoke-old"], { input: next });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toContain("was interrupted");
        expect(result.stderr).toContain(`ghp_…${old.slice(-4)}`);
        // Revoking "the old one" would revoke the new token: nothing is revoked.
        expect(revokeRequests()).toEqual([]);
        expect((await listed(sb)).find((t) => t.name === "work")?.fingerprint).toBe(`ghp_…${next.slice(-4)}`);
        expect(await stored(sb, "work")).toBe(next);
        const after = readFileSync(sb.indexPath(), "utf8");
        expect(after.includes(next) || after.includes(old)).toBe(false);
        expect(after).not.toContain("pendingFingerprint");
      });
    });
  });
});
