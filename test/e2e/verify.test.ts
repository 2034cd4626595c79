import { expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { seedTokens } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

const DAY = 86_400_000;

describeKeychain("verify: stored tokens, real Secret Service, fake API", () => {
  const { api, sandbox } = useWorld();

  function world() {
    const sb = sandbox();
    const seed = (entries: Parameters<typeof seedTokens>[2]) => seedTokens(sb, keyringEnv ?? {}, entries);
    const records = async () => JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    return { sb, seed, records };
  }

  it("checks every token, updates the index, prints a table, and exits 1 for a revoked one", async () => {
    const { sb, seed, records } = world();
    const good = sb.canary(canaryToken());
    const fine = sb.canary(canaryFineGrained());
    const gone = sb.canary(canaryToken());
    const lapsed = sb.canary(canaryToken());
    api.addToken(good, { login: "octocat", scopes: ["repo", "read:org"], expiration: expirationHeader(30) });
    api.addToken(fine, { login: "octocat", scopes: null, expiration: expirationHeader(60) });
    seed([
      { name: "work", token: good },
      { name: "fine", token: fine },
      {
        name: "gone",
        token: gone,
        status: "valid",
        login: "old",
        scopes: ["repo"],
        expiresAt: new Date(Date.now() + 5 * DAY).toISOString(),
        expiryKnown: true,
      },
      {
        name: "lapsed",
        token: lapsed,
        status: "valid",
        login: "old",
        expiresAt: new Date(Date.now() - 2 * DAY).toISOString(),
        expiryKnown: true,
      },
    ]);

    const result = await sb.run(["verify"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^NAME\s+HOST\s+LOGIN\s+STATUS\s+SCOPES\s+EXPIRY\s+RESULT\n/);
    expect(result.stdout).toMatch(
      /work\s+github\.com\s+octocat\s+valid\s+repo, read:org\s+expires \S+ \(in 30 days\)\s+ok/,
    );
    expect(result.stdout).toMatch(
      /fine\s+github\.com\s+octocat\s+valid\s+scopes unknown\s+expires \S+ \(in 60 days\)\s+ok/,
    );
    expect(result.stdout).toMatch(/gone\s+github\.com\s+old\s+revoked\s+repo\s+.*401 Bad credentials/);
    expect(result.stdout).toMatch(/lapsed\s+github\.com\s+old\s+expired\s+.*it expired on/);
    expect(result.stderr).toContain("2 of 4 tokens failed verification: gone, lapsed.");
    expect(result.stderr).not.toContain("\r"); // no progress line when stderr is not a terminal

    const after = Object.fromEntries((await records()).map((r) => [r.name, r]));
    expect(after.work).toMatchObject({
      status: "valid",
      login: "octocat",
      scopes: ["repo", "read:org"],
      expiryKnown: true,
    });
    expect(Date.parse(String(after.work?.lastVerifiedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect(after.fine).toMatchObject({ status: "valid", type: "fine-grained", scopes: null });
    expect(after.gone).toMatchObject({ status: "revoked", login: "old" });
    expect(after.lapsed).toMatchObject({ status: "expired" });

    // The fine-grained token is also asked where it reaches (GET /user/repos).
    expect(api.requests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      ...Array(4).fill("GET /user"),
      "GET /user/repos?per_page=100",
    ]);
    for (const token of [good, fine, gone, lapsed]) {
      expectTokenOnlyInAuthorization(
        api.requests.filter((r) => r.headers.authorization === `token ${token}`),
        token,
      );
    }
    expect(new Set(api.authorizations())).toEqual(new Set([good, fine, gone, lapsed].map((t) => `token ${t}`)));
  });

  it("checks only the named tokens (and --host), prints --json, says 3 for an unknown name", async () => {
    const { sb, seed } = world();
    const a = sb.canary(canaryToken());
    const b = sb.canary(canaryToken());
    const c = sb.canary(canaryToken());
    api.addToken(a, { login: "alice", scopes: ["repo"] });
    api.addToken(b, { login: "bob", scopes: ["gist"] });
    api.addToken(c, { login: "carol", scopes: [] });
    seed([
      { name: "alice", token: a },
      { name: "bob", token: b },
      { name: "carol@ghe", token: c, host: "ghe.example.com" },
    ]);

    const named = await sb.run(["verify", "bob", "--json"]);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).map((o: { name: string; login: string }) => [o.name, o.login])).toEqual([
      ["bob", "bob"],
    ]);
    expect(api.authorizations()).toEqual([`token ${b}`]);

    const host = await sb.run(["verify", "--host", "ghe.example.com", "--json"]);
    expect(host.code, host.stderr).toBe(0);
    expect(JSON.parse(host.stdout).map((o: { name: string }) => o.name)).toEqual(["carol@ghe"]);

    const unknown = await sb.run(["verify", "bob", "nobody"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("nobody");
    expect(api.requests).toHaveLength(2);
  });

  it("applies --require-scopes to stored tokens, with the hierarchy", async () => {
    const { sb, seed } = world();
    const admin = sb.canary(canaryToken());
    const narrow = sb.canary(canaryToken());
    api.addToken(admin, { login: "admin", scopes: ["repo", "admin:org"] });
    api.addToken(narrow, { login: "narrow", scopes: ["public_repo", "read:org"] });
    seed([
      { name: "admin", token: admin },
      { name: "narrow", token: narrow },
    ]);
    const result = await sb.run(["verify", "--require-scopes", "repo,read:org", "--json"]);
    expect(result.code).toBe(1);
    const outcomes = JSON.parse(result.stdout) as Array<{
      name: string;
      ok: boolean;
      status: string;
      error: string | null;
    }>;
    expect(outcomes.map((o) => [o.name, o.ok, o.status])).toEqual([
      ["admin", true, "valid"],
      ["narrow", false, "valid"],
    ]);
    expect(outcomes[1]?.error).toBe("Missing scope repo (it has public_repo, read:org)");
  });

  it("never marks a token revoked because GitHub could not be reached or was rate limited (5)", async () => {
    const { sb, seed } = world();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "steady", scopes: ["repo"] });
    seed([
      {
        name: "steady",
        token,
        status: "valid",
        login: "steady",
        scopes: ["repo"],
        expiresAt: new Date(Date.now() - DAY).toISOString(),
        expiryKnown: true,
        lastVerifiedAt: "2026-01-02T00:00:00.000Z",
      },
    ]);
    const before = sb.readIndexText();
    const faults: Array<[string, Parameters<typeof api.intercept>[0]]> = [
      ["500", (_q, res) => (api.json(res, 500, { message: "boom" }), true)],
      [
        "rate limit",
        (_q, res) => (
          api.json(
            res,
            403,
            { message: "rate" },
            { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60) },
          ),
          true
        ),
      ],
      ["reset", (req) => (req.socket.resetAndDestroy(), true)],
      ["silence", () => new Promise<boolean>(() => undefined)],
    ];
    for (const [label, fault] of faults) {
      api.clearInterceptors();
      api.intercept(fault);
      const result = await sb.run(["verify", "--timeout", "0.5"]);
      expect(result.code, `${label}: ${result.stderr}`).toBe(5);
      expect(sb.readIndexText(), label).toBe(before);
    }
    api.clearInterceptors();
    const back = await sb.run(["verify"]);
    expect(back.code, back.stderr).toBe(0);
    expect(sb.readIndexText()).not.toBe(before);
  });

  it("exits 1 when a token is bad even if another could not be checked, and 5 when none is bad", async () => {
    const { sb, seed } = world();
    const bad = sb.canary(canaryToken());
    const unlucky = sb.canary(canaryToken());
    const fine = sb.canary(canaryToken());
    api.addToken(unlucky, { login: "unlucky", scopes: [] });
    api.addToken(fine, { login: "fine", scopes: [] });
    seed([
      { name: "bad", token: bad },
      { name: "unlucky", token: unlucky },
    ]);
    api.intercept(
      (req, res) =>
        req.headers.authorization === `token ${unlucky}` && (api.json(res, 502, { message: "bad gateway" }), true),
    );
    const mixed = await sb.run(["verify"]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain("1 of 2 tokens failed verification: bad. 1 more could not be checked.");

    const onlyDown = await sb.run(["verify", "unlucky"]);
    expect(onlyDown.code).toBe(5);
    expect(onlyDown.stderr).toContain("answered 502");
  });

  it("verifies a token stored by 'add --no-verify' and reports SSO without changing its status", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    sb.seed([{ name: "org-bot", token }]);
    const url = "https://github.com/orgs/acme/sso?authorization_request=XYZ";
    api.addToken(token, { login: "org-bot", scopes: ["repo"], ssoUrl: url });
    const result = await sb.run(["verify", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({
      name: "org-bot",
      ok: false,
      status: "unverified",
      sso: { required: true, url },
    });
    expect(result.stderr).toContain(url);

    api.addToken(token, { login: "org-bot", scopes: ["repo"] });
    const authorised = await sb.run(["verify"]);
    expect(authorised.code, authorised.stderr).toBe(0);
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(record).toMatchObject({
      status: "valid",
      login: "org-bot",
      scopes: ["repo"],
      expiryKnown: true,
      expiresAt: null,
    });
  });

  it("says so when there is nothing to verify", async () => {
    const sb = sandbox();
    const result = await sb.run(["verify"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("No tokens stored");
    const json = await sb.run(["verify", "--json"]);
    expect(json.stdout).toBe("[]\n");
  });
});
