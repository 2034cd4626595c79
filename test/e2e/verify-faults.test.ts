import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader, FakeGitHub } from "../helpers/fake-github.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { useWorld } from "../helpers/suite.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

/**
 * `verify --stdin` against the fake API over real HTTP, fault by fault. No
 * keychain is reachable in these runs (no D-Bus address): --stdin needs none.
 */
describe("verify --stdin and the GitHub client on a real network", () => {
  const { api, sandbox } = useWorld();
  const noKeychain = { DBUS_SESSION_BUS_ADDRESS: undefined };

  async function verify(sb: Sandbox, token: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
    const result = await sb.run(["verify", "--stdin", "--json", ...args], {
      input: token,
      env: { ...noKeychain, ...env },
      timeoutMs: 15_000,
    });
    const json = result.stdout === "" ? [] : (JSON.parse(result.stdout) as Array<Record<string, unknown>>);
    return { ...result, outcome: json[0] };
  }

  function fresh(): { sb: Sandbox; token: string } {
    const sb = sandbox();
    return { sb, token: sb.canary(canaryToken()) };
  }

  /** Answers the first `times` requests with `answer`, then lets the fake answer normally. */
  function failFirst(times: number, answer: Parameters<FakeGitHub["intercept"]>[0]) {
    let left = times;
    api.intercept((req, res, body) => (left-- > 0 ? answer(req, res, body) : false));
  }

  const resetIn = (seconds: number) => String(Math.floor(Date.now() / 1000) + seconds);

  it("reports a good token with every JSON field, and stores nothing", async () => {
    const { sb, token } = fresh();
    api.addToken(token, { login: "ci-bot", scopes: ["repo", "read:org"], expiration: expirationHeader(40) });
    const result = await verify(sb, token);
    expect(result.code, result.stderr).toBe(0);
    expect(Object.keys(result.outcome ?? {})).toEqual([
      "name",
      "host",
      "ok",
      "status",
      "login",
      "type",
      "scopes",
      "expiresAt",
      "expiryKnown",
      "daysLeft",
      "sso",
      "rateLimit",
      "error",
    ]);
    expect(result.outcome).toMatchObject({
      name: null,
      host: "github.com",
      ok: true,
      status: "valid",
      login: "ci-bot",
      type: "classic",
      scopes: ["repo", "read:org"],
      expiryKnown: true,
      daysLeft: 40,
      sso: null,
      error: null,
    });
    expect(result.outcome?.rateLimit).toMatchObject({ limit: 5000, remaining: 4999 });
    expect(existsSync(sb.configDir)).toBe(false);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
    expect(api.requests[0]?.headers["user-agent"]).toMatch(/^ghpat\/\d/);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("401: revoked, exit 1, asked once", async () => {
    const { sb, token } = fresh();
    const result = await verify(sb, token);
    expect(result.code).toBe(1);
    expect(result.outcome).toMatchObject({ ok: false, status: "revoked", login: null });
    expect(result.stderr).toContain("401 Bad credentials");
    expect(api.requests).toHaveLength(1);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("403 rate limit: exit 5 with the reset time, asked once", async () => {
    const { sb, token } = fresh();
    api.addToken(token, { login: "busy", scopes: [] });
    const reset = resetIn(1800);
    failFirst(99, (_req, res) => {
      api.json(
        res,
        403,
        { message: "API rate limit exceeded" },
        { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      );
      return true;
    });
    const result = await verify(sb, token);
    expect(result.code).toBe(5);
    const resetIso = new Date(Number(reset) * 1000).toISOString();
    expect(result.stderr).toContain(`resets at ${resetIso}`);
    expect(result.outcome).toMatchObject({
      ok: false,
      status: "unverified",
      rateLimit: { remaining: 0, resetAt: resetIso },
    });
    expect(api.requests).toHaveLength(1);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("429 with a retry-after within the timeout is waited out once, then succeeds", async () => {
    const { sb, token } = fresh();
    api.addToken(token, { login: "patient", scopes: [] });
    failFirst(1, (_req, res) => {
      api.json(res, 429, { message: "secondary rate limit" }, { "retry-after": "1" });
      return true;
    });
    const result = await verify(sb, token, ["--timeout", "5"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.outcome).toMatchObject({ ok: true, login: "patient" });
    expect(api.requests).toHaveLength(2);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("429 with a retry-after beyond the timeout, or a second 429: exit 5 with the time to retry", async () => {
    const { sb, token } = fresh();
    api.addToken(token, { login: "impatient", scopes: [] });
    failFirst(1, (_req, res) => {
      api.json(res, 429, { message: "secondary rate limit" }, { "retry-after": "120" });
      return true;
    });
    const before = Date.now();
    const far = await verify(sb, token, ["--timeout", "5"]);
    expect(far.code).toBe(5);
    const when = Date.parse(/resets at (\S+Z)/.exec(far.stderr)?.[1] ?? "");
    expect(when - before).toBeGreaterThan(100_000);
    expect(api.requests).toHaveLength(1);

    api.requests.length = 0;
    api.clearInterceptors();
    failFirst(2, (_req, res) => {
      api.json(res, 429, { message: "secondary rate limit" }, { "retry-after": "1" });
      return true;
    });
    const twice = await verify(sb, token, ["--timeout", "5"]);
    expect(twice.code).toBe(5);
    expect(twice.stderr).toContain("secondary rate limit");
    expect(api.requests).toHaveLength(2);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("500 then 200: the retry succeeds; a server that keeps failing is tried three times, then exit 5", async () => {
    const { sb, token } = fresh();
    api.addToken(token, { login: "lucky", scopes: ["repo"] });
    failFirst(1, (_req, res) => {
      api.json(res, 500, { message: "Server Error" });
      return true;
    });
    const retried = await verify(sb, token);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.outcome).toMatchObject({ ok: true, login: "lucky" });
    expect(api.requests).toHaveLength(2);

    api.requests.length = 0;
    failFirst(99, (_req, res) => {
      api.json(res, 503, { message: "Unavailable" });
      return true;
    });
    const down = await verify(sb, token);
    expect(down.code).toBe(5);
    expect(down.stderr).toContain("answered 503");
    expect(api.requests).toHaveLength(3);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("never retries 401, 403, 404 or 422", async () => {
    const { sb, token } = fresh();
    for (const [status, code] of [
      [401, 1],
      [403, 1],
      [404, 5],
      [422, 5],
    ] as const) {
      api.requests.length = 0;
      api.clearInterceptors();
      failFirst(99, (_req, res) => {
        api.json(res, status, { message: "no" });
        return true;
      });
      const result = await verify(sb, token);
      expect(result.code, `${status}: ${result.stderr}`).toBe(code);
      expect(api.requests, `${status} was retried`).toHaveLength(1);
    }
  });

  it("a response slower than the timeout: exit 5, no hang, not retried (flag and GHPAT_TIMEOUT)", async () => {
    const { sb, token } = fresh();
    api.intercept(() => new Promise<boolean>(() => undefined));
    const flag = await verify(sb, token, ["--timeout", "0.5"]);
    expect(flag.code).toBe(5);
    expect(flag.stderr).toContain("did not answer within 0.5 s");
    expect(flag.stderr).toContain("--timeout");
    expect(api.requests).toHaveLength(1);

    const env = await verify(sb, token, [], { GHPAT_TIMEOUT: "0.5" });
    expect(env.code).toBe(5);
    expect(env.stderr).toContain("within 0.5 s");

    const bad = await verify(sb, token, [], { GHPAT_TIMEOUT: "soon" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("GHPAT_TIMEOUT");
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("a body that stops half-way is a timeout too", async () => {
    const { sb, token } = fresh();
    api.intercept((_req, res) => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.write('{"login":');
      return new Promise<boolean>(() => undefined);
    });
    const result = await verify(sb, token, ["--timeout", "0.5"]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("did not answer within 0.5 s");
  });

  it("a connection reset: retried, then exit 5 with a clear message", async () => {
    const { sb, token } = fresh();
    api.intercept((req) => {
      req.socket.resetAndDestroy();
      return true;
    });
    const result = await verify(sb, token);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("was reset before it answered");
    expect(api.requests).toHaveLength(3);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("an answer that is not GitHub's JSON: exit 5 with a clear message", async () => {
    const { sb, token } = fresh();
    api.intercept((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>Please log in to the proxy</html>");
      return true;
    });
    const result = await verify(sb, token);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("cannot read");
    expect(result.stderr).toContain("proxy");
  });

  it("never follows a redirect with the token", async () => {
    const { sb, token } = fresh();
    const elsewhere = await new FakeGitHub().start();
    try {
      elsewhere.addToken(token, { login: "thief", scopes: ["repo"] });
      api.intercept((_req, res) => {
        res.writeHead(307, { location: `${elsewhere.url}/user` });
        res.end();
        return true;
      });
      const result = await verify(sb, token);
      expect(result.code).toBe(5);
      expect(result.stderr).toContain("redirect");
      expect(elsewhere.requests).toEqual([]);
      expectTokenOnlyInAuthorization(api.requests, token);
    } finally {
      await elsewhere.stop();
    }
  });

  it("SAML SSO: exit 1 and the URL to authorise", async () => {
    const { sb, token } = fresh();
    const url = "https://github.com/orgs/acme/sso?authorization_request=ABC123";
    api.addToken(token, { login: "sso-user", scopes: ["repo"], ssoUrl: url });
    const result = await verify(sb, token);
    expect(result.code).toBe(1);
    expect(result.outcome).toMatchObject({ ok: false, sso: { required: true, url } });
    expect(result.stderr).toContain(url);
  });

  describe("CI pre-flight requirements", () => {
    it("passes scopes covered through the hierarchy and fails missing ones by name", async () => {
      const { sb, token } = fresh();
      api.addToken(token, {
        login: "ci",
        scopes: ["repo", "admin:org", "write:packages"],
        expiration: expirationHeader(30),
      });
      const ok = await verify(sb, token, [
        "--require-scopes",
        "repo:status,public_repo,read:org,read:packages",
        "--min-days",
        "7",
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      const missing = await verify(sb, token, ["--require-scopes", "repo,workflow,delete_repo"]);
      expect(missing.code).toBe(1);
      expect(missing.outcome).toMatchObject({ ok: false, status: "valid" });
      expect(missing.stderr).toContain("Missing scopes workflow, delete_repo (it has repo, admin:org, write:packages)");
    });

    it("fails a fine-grained token under --require-scopes, saying why", async () => {
      const sb = sandbox();
      const token = sb.canary(canaryFineGrained());
      api.addToken(token, { login: "fine", scopes: null, expiration: expirationHeader(30) });
      const plain = await verify(sb, token);
      expect(plain.code).toBe(0);
      expect(plain.outcome).toMatchObject({ ok: true, type: "fine-grained", scopes: null });
      const required = await verify(sb, token, ["--require-scopes", "repo"]);
      expect(required.code).toBe(1);
      expect(required.stderr).toContain("Scopes unknown");
      expect(required.stderr).toContain("fine-grained");
    });

    it("fails a token expiring within --min-days", async () => {
      const { sb, token } = fresh();
      api.addToken(token, { login: "short", scopes: ["repo"], expiration: expirationHeader(3) });
      const result = await verify(sb, token, ["--min-days", "7"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Expires \d{4}-\d{2}-\d{2} \(in 3 days\), within --min-days 7/);
    });

    it("prints a table without --json", async () => {
      const { sb, token } = fresh();
      api.addToken(token, { login: "tabular", scopes: ["repo"] });
      const result = await sb.run(["verify", "--stdin"], { input: token, env: noKeychain });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/NAME\s+HOST\s+LOGIN\s+STATUS\s+SCOPES\s+EXPIRY\s+RESULT/);
      expect(result.stdout).toMatch(/\(stdin\)\s+github\.com\s+tabular\s+valid\s+repo\s+never expires\s+ok/);
    });
  });

  describe("bad input (2), and nothing sent", () => {
    it("refuses names with --stdin, empty input, a malformed token, and a token as an argument", async () => {
      const { sb, token } = fresh();
      const bent = sb.canary(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"));
      for (const [args, input] of [
        [["verify", "--stdin", "work"], token],
        [["verify", "--stdin"], ""],
        [["verify", "--stdin"], bent],
        [["verify", "--stdin", "--require-scopes", ","], token],
        [["verify", "--stdin", "--concurrency", "0"], token],
      ] as const) {
        const result = await sb.run([...args], { input, env: noKeychain });
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      }
      const positional = await sb.run(["verify", token], { secretInArgs: true, env: noKeychain });
      expect(positional.code).toBe(2);
      expect(positional.stderr).toContain("--stdin");
      expect(api.requests).toEqual([]);
    });
  });
});
