import { readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canaryFineGrained, canaryInstallationJwt, canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { seedVerified } from "../helpers/seed.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

describeEachStore("add, list, token, remove, default against the real secret store", () => {
  const { api, sandbox } = useWorld();

  it("round-trips a verified token: add --stdin, list --json, token", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(30) });

    const add = await sb.run(["add", "--stdin"], { input: `${token}\n` });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe("");
    expect(add.stderr).toContain("Stored 'octocat'");

    const list = await sb.run(["list", "--json"]);
    expect(list.code).toBe(0);
    const [record] = JSON.parse(list.stdout);
    expect(Object.keys(record)).toEqual([
      "name",
      "host",
      "login",
      "type",
      "fingerprint",
      "scopes",
      "expiresAt",
      "expiryKnown",
      "addedAt",
      "lastVerifiedAt",
      "lastUsedAt",
      "status",
      "default",
      "match",
      "note",
      "permissions",
      "owner",
      "repositories",
      "repositoriesCheckedAt",
    ]);
    expect(record).toMatchObject({
      name: "octocat",
      host: "github.com",
      login: "octocat",
      type: "classic",
      fingerprint: `ghp_…${token.slice(-4)}`,
      scopes: ["repo", "read:org"],
      expiryKnown: true,
      status: "valid",
      default: true,
    });
    expect(Date.parse(record.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const printed = await sb.run(["token"], { secretOnStdout: true });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`${token}\n`);

    expect(sb.storedSecret("github.com/octocat")).toBe(token);
    // The API saw the token only in the Authorization header of GET /user.
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
    expect(api.authorizations()).toEqual([`token ${token}`]);
    expect(api.requests[0]?.headers["user-agent"]).toMatch(/^ghpat\/\d/);
  });

  it("prints a table on list and never opens the secret store to do it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    seedVerified(sb, api, token, { login: "hubot", scopes: [] }, { note: "laptop" });
    // No D-Bus at all (keychain) or no passphrase (file store): list still works, token does not.
    const locked = sb.lockedEnv();
    const list = await sb.run(["list"], { env: locked });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /\* hubot\s+github\.com\s+-\s+hubot\s+classic\s+ghp_…\w{4}\s+no scopes\s+never expires\s+valid/,
    );
    const tokenRun = await sb.run(["token"], { env: locked });
    expect(tokenRun.code).toBe(4);
    expect(tokenRun.stdout).toBe("");
  });

  it("names tokens off github.com login@host and keeps per-host defaults", async () => {
    const sb = sandbox();
    const a = sb.canary(canaryToken());
    const b = sb.canary(canaryToken());
    const c = sb.canary(canaryFineGrained());
    api.addToken(a, { login: "alice", scopes: ["repo"] });
    api.addToken(b, { login: "bob", scopes: ["repo"] });
    api.addToken(c, { login: "alice", scopes: null });
    expect((await sb.run(["add", "--stdin"], { input: a })).code).toBe(0);
    expect((await sb.run(["add", "--stdin"], { input: b })).code).toBe(0);
    expect((await sb.run(["add", "--stdin", "--host", "GHE.Example.com:8443"], { input: c })).code).toBe(0);

    const records = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(records.map((r: { name: string; default: boolean; host: string }) => [r.name, r.host, r.default])).toEqual([
      ["alice@ghe.example.com:8443", "ghe.example.com:8443", true],
      ["alice", "github.com", true],
      ["bob", "github.com", false],
    ]);
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${a}\n`);
    expect((await sb.run(["default", "bob"])).code).toBe(0);
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${b}\n`);
    expect((await sb.run(["token", "--host", "ghe.example.com:8443"], { secretOnStdout: true })).stdout).toBe(`${c}\n`);
    const fine = records[0];
    expect(fine).toMatchObject({ type: "fine-grained", scopes: null });

    expect((await sb.run(["remove", "bob", "--yes"])).code).toBe(0);
    expect(sb.storedSecret("github.com/bob")).toBeNull();
    // The host's only remaining token becomes its default again.
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${a}\n`);
  });

  it("stores without the API under --no-verify, and refuses that without a name", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const unnamed = await sb.run(["add", "--stdin", "--no-verify"], { input: token });
    expect(unnamed.code).toBe(2);
    expect(unnamed.stderr).toContain("Give a name");
    const named = await sb.run(["add", "ci", "--stdin", "--no-verify", "--match", "acme/*"], { input: token });
    expect(named.code).toBe(0);
    expect(api.requests).toEqual([]);
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(record).toMatchObject({
      name: "ci",
      status: "unverified",
      login: null,
      expiryKnown: false,
      match: ["acme/*"],
    });
  });

  it("keeps an installation token in GitHub's JWT-style format whole, and hands it to git", async () => {
    const sb = sandbox();
    const jwt = sb.canary(canaryInstallationJwt());
    const add = await sb.run(["add", "app", "--stdin", "--no-verify"], { input: `${jwt}\n` });
    expect(add.code, add.stderr).toBe(0);
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(record).toMatchObject({ name: "app", type: "installation", fingerprint: `ghs_…${jwt.slice(-4)}` });
    expect((await sb.run(["token", "app"], { secretOnStdout: true })).stdout).toBe(`${jwt}\n`);
    const get = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n\n",
      secretOnStdout: true,
    });
    expect(get.stdout).toBe(`username=x-access-token\npassword=${jwt}\n`);
  });

  it("token falls back to an environment token set with GH_HOST only for GH_HOST", async () => {
    const sb = sandbox();
    const forB = sb.canary(canaryToken());
    const env = { GH_HOST: "ghe-b.example.com", GH_ENTERPRISE_TOKEN: forB };
    const own = await sb.run(["token"], { env, secretOnStdout: true });
    expect(own.stdout).toBe(`${forB}\n`);
    const other = await sb.run(["token", "--host", "ghe-a.example.com"], { env });
    expect(other.code).toBe(3);
    expect(other.stdout).toBe("");
    expect(other.stderr).toContain("No token is stored for ghe-a.example.com");
  });

  it("says a host has no default once its default is removed from among three, and what to do", async () => {
    const sb = sandbox();
    const tokens = { a: sb.canary(canaryToken()), b: sb.canary(canaryToken()), c: sb.canary(canaryToken()) };
    sb.seed(Object.entries(tokens).map(([name, token]) => ({ name, token })));
    const removed = await sb.run(["remove", "a", "--yes"]);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain("github.com has no default token now");
    expect(removed.stderr).toContain("ghpat default NAME");
    const token = await sb.run(["token"]);
    expect(token.code).toBe(3);
    expect(token.stdout).toBe("");
    expect(token.stderr).toContain("2 tokens are stored for github.com, and none is its default");
    // With one token left, that one is used, and nothing more is said.
    const again = await sb.run(["remove", "b", "--yes"]);
    expect(again.stderr).not.toContain("no default");
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${tokens.c}\n`);
    // A name and a --host that disagree are a mistake, not a choice between them.
    const mismatch = await sb.run(["token", "c", "--host", "ghe.example.com"]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stdout).toBe("");
    expect(mismatch.stderr).toContain("'c' is a token for github.com, not for ghe.example.com");
  });

  it("replaces a token of the same name only with --force", async () => {
    const sb = sandbox();
    const first = sb.canary(canaryToken());
    const second = sb.canary(canaryToken());
    api.addToken(first, { login: "octocat", scopes: ["repo"] });
    api.addToken(second, { login: "octocat", scopes: ["repo", "gist"] });
    expect((await sb.run(["add", "--stdin"], { input: first })).code).toBe(0);
    const duplicate = await sb.run(["add", "--stdin"], { input: second });
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain("already exists");
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${first}\n`);
    expect((await sb.run(["add", "--stdin", "--force"], { input: second })).code).toBe(0);
    expect((await sb.run(["token"], { secretOnStdout: true })).stdout).toBe(`${second}\n`);
  });

  describe("bad input gets a clear message and loses nothing", () => {
    /** One verified token, 'keeper': seeded, or added by ghpat (`byAdd`) where the test counts the API requests add made. */
    async function seeded(options: { byAdd?: boolean } = {}) {
      const sb = sandbox();
      const kept = sb.canary(canaryToken());
      const info = { login: "keeper", scopes: ["repo"] };
      if (options.byAdd) {
        api.addToken(kept, info);
        expect((await sb.run(["add", "--stdin"], { input: kept })).code).toBe(0);
      } else seedVerified(sb, api, kept, info);
      return { sb, kept, before: sb.readIndexText() };
    }

    async function expectUnchanged(sb: ReturnType<typeof sandbox>, kept: string, before: string | null) {
      expect(sb.readIndexText()).toBe(before);
      expect((await sb.run(["token", "keeper"], { secretOnStdout: true })).stdout).toBe(`${kept}\n`);
    }

    it("refuses a token given as an argument (2)", async () => {
      const { sb, kept, before } = await seeded();
      const token = sb.canary(canaryToken());
      for (const args of [
        ["add", token],
        ["token", token],
        ["remove", token, "--yes"],
      ]) {
        const result = await sb.run(args, { secretInArgs: true });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("--stdin");
      }
      await expectUnchanged(sb, kept, before);
    });

    it("refuses empty stdin (2)", async () => {
      const { sb, kept, before } = await seeded();
      for (const input of ["", "\n", "   \n"]) {
        const result = await sb.run(["add", "x", "--stdin"], { input });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("No token");
      }
      await expectUnchanged(sb, kept, before);
    });

    it("refuses a checksum mismatch, even with --force (2), and takes it only with --accept-bad-checksum", async () => {
      const { sb, kept, before } = await seeded({ byAdd: true });
      const good = canaryToken();
      const bad = sb.canary(good.slice(0, -1) + (good.endsWith("A") ? "B" : "A"));
      api.addToken(bad, { login: "typo", scopes: [] });
      for (const args of [
        ["add", "--stdin"],
        ["add", "--stdin", "--force"],
      ]) {
        const refused = await sb.run(args, { input: bad });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain("checksum");
        expect(refused.stderr).toContain("--accept-bad-checksum");
      }
      expect(api.requests.length).toBe(1);
      await expectUnchanged(sb, kept, before);
      const accepted = await sb.run(["add", "--stdin", "--accept-bad-checksum"], { input: bad });
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stderr).toContain("accepted because of --accept-bad-checksum");
      expect(sb.storedSecret("github.com/typo")).toBe(bad);
    });

    it("never replaces a token that verified with one that fails its checksum, whatever the flags (2)", async () => {
      const { sb, kept, before } = await seeded();
      const good = canaryToken();
      const bad = sb.canary(good.slice(0, -1) + (good.endsWith("A") ? "B" : "A"));
      // The mistyped token replacing 'keeper' without a check: the case that used to pass with --force alone.
      for (const args of [
        ["add", "keeper", "--stdin", "--no-verify", "--force"],
        ["add", "keeper", "--stdin", "--no-verify", "--force", "--accept-bad-checksum"],
      ]) {
        const refused = await sb.run(args, { input: bad });
        expect(refused.code, refused.stderr).toBe(2);
        if (args.includes("--accept-bad-checksum"))
          expect(refused.stderr).toContain("GitHub accepted; ghpat will not replace it");
        expect(refused.stderr).toMatch(/checksum|offline check/);
        await expectUnchanged(sb, kept, before);
        expect(sb.storedSecret("github.com/keeper")).toBe(kept);
      }
      // Refused before asking GitHub about it, too.
      api.requests.length = 0;
      const unasked = await sb.run(["add", "keeper", "--stdin", "--force", "--accept-bad-checksum"], { input: bad });
      expect(unasked.code, unasked.stderr).toBe(2);
      expect(api.requests).toEqual([]);
      await expectUnchanged(sb, kept, before);
      // --force still replaces it with a well-formed token.
      const successor = sb.canary(canaryToken());
      const replaced = await sb.run(["add", "keeper", "--stdin", "--no-verify", "--force"], { input: successor });
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(sb.storedSecret("github.com/keeper")).toBe(successor);
    });

    it("refuses an unknown prefix unless --accept-bad-checksum (2)", async () => {
      const { sb, kept, before } = await seeded();
      const odd = sb.canary("xoxb_abcdefghijklmnopqrstuvwxyz0123456789");
      for (const args of [
        ["add", "odd", "--stdin", "--no-verify"],
        ["add", "odd", "--stdin", "--no-verify", "--force"],
      ]) {
        const result = await sb.run(args, { input: odd });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("does not look like a GitHub token");
      }
      await expectUnchanged(sb, kept, before);
      expect(
        (await sb.run(["add", "odd", "--stdin", "--no-verify", "--accept-bad-checksum"], { input: odd })).code,
      ).toBe(0);
    });

    it("stores nothing when the API rejects the token (1)", async () => {
      const { sb, kept, before } = await seeded();
      const revoked = sb.canary(canaryToken());
      const result = await sb.run(["add", "--stdin"], { input: revoked });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Bad credentials");
      expect(result.stderr).toContain("Nothing was stored");
      await expectUnchanged(sb, kept, before);
    });

    it("stores nothing when the API is unreachable (5) and suggests --no-verify", async () => {
      const { sb, kept, before } = await seeded();
      const token = sb.canary(canaryToken());
      const result = await sb.run(["add", "--stdin"], { input: token, env: { GHPAT_API_URL: "http://127.0.0.1:9" } });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain("--no-verify");
      await expectUnchanged(sb, kept, before);
    });

    it("refuses a duplicate name without --force (2)", async () => {
      const { sb, kept, before } = await seeded();
      const other = sb.canary(canaryToken());
      const result = await sb.run(["add", "keeper", "--stdin", "--no-verify"], { input: other });
      expect(result.code).toBe(2);
      await expectUnchanged(sb, kept, before);
    });

    it("says 3 for remove and token of an unknown name", async () => {
      const { sb, kept, before } = await seeded();
      for (const args of [
        ["remove", "nobody", "--yes"],
        ["token", "nobody"],
      ]) {
        const result = await sb.run(args);
        expect(result.code).toBe(3);
        expect(result.stderr).toContain("ghpat list");
      }
      await expectUnchanged(sb, kept, before);
    });

    it("asks for --yes when remove has no terminal (2)", async () => {
      const { sb, kept, before } = await seeded();
      const result = await sb.run(["remove", "keeper"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--yes");
      await expectUnchanged(sb, kept, before);
    });

    it("says how to open the store when it cannot be opened (4)", async () => {
      const { sb, kept, before } = await seeded();
      const token = sb.canary(canaryToken());
      api.addToken(token, { login: "nobus", scopes: [] });
      const cases =
        sb.store === "keychain"
          ? [{ DBUS_SESSION_BUS_ADDRESS: undefined }, { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }].map(
              (env) => ({ env, says: ["gnome-keyring-daemon", "GHPAT_STORE=file"] }),
            )
          : [
              { env: { GHPAT_PASSPHRASE: undefined }, says: ["needs its passphrase", "GHPAT_PASSPHRASE"] },
              {
                env: { GHPAT_PASSPHRASE: "not the passphrase" },
                says: ["passphrase does not open", "GHPAT_PASSPHRASE"],
              },
            ];
      for (const { env, says } of cases) {
        const result = await sb.run(["add", "--stdin"], { input: token, env });
        expect(result.code).toBe(4);
        for (const text of says) expect(result.stderr).toContain(text);
      }
      await expectUnchanged(sb, kept, before);
    });

    it("leaves a corrupt index untouched (2) and names it", async () => {
      const { sb } = await seeded();
      writeFileSync(sb.indexPath(), "{ broken");
      const token = sb.canary(canaryToken());
      api.addToken(token, { login: "late", scopes: [] });
      for (const args of [["list"], ["add", "--stdin"], ["token"]]) {
        const result = await sb.run(args, { input: token });
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(sb.indexPath());
      }
      expect(readFileSync(sb.indexPath(), "utf8")).toBe("{ broken");
      expect(sb.storedSecret("github.com/late")).toBeNull();
    });
  });

  it("creates the index 0600 in a 0700 directory", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    mkdirSync(sb.configDir, { recursive: true, mode: 0o755 });
    expect((await sb.run(["add", "x", "--stdin", "--no-verify"], { input: token })).code).toBe(0);
    expect(statSync(sb.indexPath()).mode & 0o777).toBe(0o600);
    expect(statSync(sb.configDir).mode & 0o777).toBe(0o700);
    if (sb.store === "file") expect(statSync(sb.secretsPath()).mode & 0o777).toBe(0o600);
  });
});
