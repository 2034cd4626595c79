import { expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

describeKeychain("verify: where fine-grained tokens reach, and --require-repo", () => {
  const { api, sandbox } = useWorld();

  it("learns a fine-grained token's private repositories across pages (Link), and lists them", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    const classic = sb.canary(canaryToken());
    api.reposPageSize = 2;
    api.addToken(fine, {
      login: "octocat",
      scopes: null,
      expiration: expirationHeader(30),
      repositories: ["acme/web", "acme/api", "acme/infra"],
      publicRepositories: ["octocat/hello"],
    });
    api.addToken(classic, { login: "octocat", scopes: ["repo"], repositories: ["acme/api"] });
    sb.seed([
      { name: "deploy", token: fine, permissions: { contents: "write" }, owner: "acme" },
      { name: "work", token: classic },
    ]);
    try {
      const result = await sb.run(["verify"]);
      expect(result.code, result.stderr).toBe(0);
      // Its row says what the record declares, as list does, where a classic token's says its scopes.
      expect(result.stdout).toMatch(
        /deploy\s+github\.com\s+octocat\s+valid\s+contents:write \(declared\); owner acme\s+expires/,
      );
      expect(result.stdout).toMatch(/work\s+github\.com\s+octocat\s+valid\s+repo\s+/);
    } finally {
      api.reposPageSize = 100;
    }
    const repoRequests = api.requests.filter((r) => r.url.startsWith("/user/repos"));
    expect(repoRequests.map((r) => new URL(r.url, api.url).searchParams.get("page"))).toEqual([null, "2"]);
    expect(repoRequests.every((r) => r.headers.authorization === `token ${fine}`)).toBe(true);

    const records = Object.fromEntries(
      (JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>).map((r) => [r.name, r]),
    );
    expect(records.deploy).toMatchObject({
      repositories: ["acme/api", "acme/infra", "acme/web"],
      permissions: { contents: "write" },
      owner: "acme",
    });
    expect(Date.parse(String(records.deploy?.repositoriesCheckedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect(records.work).toMatchObject({ repositories: null, repositoriesCheckedAt: null });
    expect((await sb.run(["list"])).stdout).toMatch(
      /deploy\s+.*contents:write \(declared\); acme\/api, acme\/infra, acme\/web\s+expires/,
    );

    // Access taken away on GitHub: the next verify says so.
    api.addToken(fine, { login: "octocat", scopes: null, expiration: expirationHeader(30), repositories: [] });
    expect((await sb.run(["verify", "deploy"])).code).toBe(0);
    expect(
      (JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>)[0]?.repositories,
    ).toEqual([]);
    for (const token of [fine, classic])
      expectTokenOnlyInAuthorization(
        api.requests.filter((r) => r.headers.authorization === `token ${token}`),
        token,
      );
  });

  it("never follows a next page to another origin with the token", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    api.addToken(fine, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    api.intercept((req, res) => {
      if (!req.url?.startsWith("/user/repos")) return false;
      api.json(
        res,
        200,
        [
          { full_name: "acme/api", private: true },
          { full_name: "acme/\u001b[31mred", private: true },
        ],
        { link: '<http://127.0.0.2:9/user/repos?page=2>; rel="next"' },
      );
      return true;
    });
    sb.seed([{ name: "deploy", token: fine }]);
    expect((await sb.run(["verify"])).code).toBe(0);
    expect(api.requests.filter((r) => r.url.startsWith("/user/repos"))).toHaveLength(1);
    expect(
      (JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>)[0]?.repositories,
    ).toEqual(["acme/api"]);
  });

  it("--require-repo passes a token that reaches each repository and fails (1) one that does not, naming it", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    const classic = sb.canary(canaryToken());
    api.addToken(fine, {
      login: "octocat",
      scopes: null,
      expiration: expirationHeader(30),
      repositories: ["acme/api", "acme/web"],
    });
    api.addToken(classic, { login: "octocat", scopes: ["repo"], repositories: ["acme/api"] });
    sb.seed([
      { name: "deploy", token: fine },
      { name: "work", token: classic },
    ]);
    const pass = await sb.run(["verify", "deploy", "--require-repo", "acme/api", "--require-repo", "acme/web"]);
    expect(pass.code, pass.stderr).toBe(0);
    expect(api.requests.filter((r) => r.url.startsWith("/repos/")).map((r) => r.url)).toEqual([
      "/repos/acme/api",
      "/repos/acme/web",
    ]);

    const fail = await sb.run(["verify", "--require-repo", "acme/web", "--json"]);
    expect(fail.code).toBe(1);
    const outcomes = JSON.parse(fail.stdout) as Array<{ name: string; ok: boolean; error: string | null }>;
    expect(outcomes.map((o) => [o.name, o.ok])).toEqual([
      ["deploy", true],
      ["work", false],
    ]);
    expect(outcomes[1]?.error).toBe("Does not reach acme/web (GET /repos/acme/web answered 404)");
    expect(fail.stderr).toContain("1 of 2 tokens failed verification: work.");

    const table = await sb.run(["verify", "work", "--require-repo", "acme/secret"]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("Does not reach acme/secret (GET /repos/acme/secret answered 404)");
    expect(table.stderr).toContain("Give the token access to the repository on GitHub");
    for (const token of [fine, classic])
      expectTokenOnlyInAuthorization(
        api.requests.filter((r) => r.headers.authorization === `token ${token}`),
        token,
      );
  });

  it("--require-repo works on a token from --stdin, storing nothing, and refuses a repository that is no OWNER/REPO (2)", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    api.addToken(fine, {
      login: "octocat",
      scopes: null,
      expiration: expirationHeader(30),
      repositories: ["acme/api"],
    });
    const pass = await sb.run(["verify", "--stdin", "--require-repo", "acme/api"], { input: fine });
    expect(pass.code, pass.stderr).toBe(0);
    const fail = await sb.run(["verify", "--stdin", "--require-repo", "Acme/API", "--require-repo", "acme/web"], {
      input: fine,
    });
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain("Does not reach acme/web (GET /repos/acme/web answered 404)");
    expect(fail.stderr).not.toContain("Acme/API");
    const bad = await sb.run(["verify", "--stdin", "--require-repo", "acme"], { input: fine });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'acme' is not a repository: give OWNER/REPO");
    expect(sb.readIndexText()).toBeNull();
    expectTokenOnlyInAuthorization(api.requests, fine);
  });

  it("rotate prints the successor's link prefilled from the record: name, owner, declared permissions, old lifetime", async () => {
    const sb = sandbox();
    const old = sb.canary(canaryFineGrained());
    const successor = sb.canary(canaryFineGrained());
    const addedAt = new Date(Date.now() - 50 * 86_400_000);
    const expiresAt = new Date(addedAt.getTime() + 60 * 86_400_000);
    api.addToken(old, { login: "octocat", scopes: null, expiration: expirationHeader(10) });
    api.addToken(successor, { login: "octocat", scopes: null, expiration: expirationHeader(60) });
    sb.seed([
      {
        name: "deploy",
        token: old,
        login: "octocat",
        status: "valid",
        addedAt: addedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        expiryKnown: true,
        permissions: { contents: "write", metadata: "read" },
        owner: "acme",
        match: ["acme/*"],
        repositories: ["acme/api"],
        repositoriesCheckedAt: addedAt.toISOString(),
      },
    ]);
    const result = await sb.run(["rotate", "deploy", "--stdin"], { input: successor });
    expect(result.code, result.stderr).toBe(0);
    const match = /create its successor at:\n\s+(\S+)/.exec(result.stderr);
    const link = new URL(match?.[1] ?? "");
    expect(`${link.origin}${link.pathname}`).toBe("https://github.com/settings/personal-access-tokens/new");
    expect([...link.searchParams]).toEqual([
      ["name", "deploy"],
      ["target_name", "acme"],
      ["expires_in", "60"],
      ["contents", "write"],
      ["metadata", "read"],
    ]);
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(record).toMatchObject({
      name: "deploy",
      permissions: { contents: "write", metadata: "read" },
      owner: "acme",
      match: ["acme/*"],
      repositories: null,
      repositoriesCheckedAt: null,
    });
    expect(sb.storedSecret("github.com/deploy")).toBe(successor);
  });
});
