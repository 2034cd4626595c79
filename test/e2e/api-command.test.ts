import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { expectGitOk, runGit } from "../helpers/git.js";
import { seedTokens } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

describeKeychain("ghpat api: the right token, the exact request, GitHub's answer", () => {
  const { api, sandbox } = useWorld();
  // Another origin: a second loopback port, as GitHub's archive downloads redirect to codeload.
  const other = new FakeGitHub();
  beforeAll(async () => {
    await other.start();
  });
  afterAll(async () => {
    await other.stop();
  });

  /** Four tokens: a default, an owner match, a repository match, and one for an Enterprise Server. */
  function world() {
    const sb = sandbox();
    other.requests.length = 0;
    other.clearInterceptors();
    const tokens = {
      personal: sb.canary(canaryToken()),
      acme: sb.canary(canaryToken()),
      acmeApp: sb.canary(canaryToken()),
      ghe: sb.canary(canaryToken()),
    };
    seedTokens(sb, keyringEnv ?? {}, [
      { name: "personal", token: tokens.personal, default: true },
      { name: "acme", token: tokens.acme, match: ["acme"] },
      { name: "acme-app", token: tokens.acmeApp, match: ["acme/app"] },
      { name: "ghe", token: tokens.ghe, host: "ghe.example.com", default: true },
    ]);
    const nameOf = new Map(Object.entries(tokens).map(([name, token]) => [`token ${token}`, name]));
    /** The name of the token each request carried, "none" for none. */
    const sent = () =>
      api.requests.map((r) =>
        r.headers.authorization === undefined ? "none" : (nameOf.get(r.headers.authorization) ?? "unknown"),
      );
    return { sb, tokens, sent };
  }

  it("sends the token git would get: --match on repos/OWNER/REPO, orgs/OWNER, users/OWNER; else the default; --token and --hostname", async () => {
    const { sb, tokens, sent } = world();
    for (const path of [
      "/user",
      "/repos/acme/app/issues",
      "/repos/acme/site",
      "/orgs/acme/members",
      "/users/acme",
      "/repos/other/x",
    ])
      api.respond("GET", path, 200, { ok: path });
    const cases: Array<[string[], string]> = [
      [["api", "user"], "personal"],
      [["api", "repos/acme/app/issues"], "acmeApp"],
      [["api", "/repos/acme/site"], "acme"],
      [["api", "orgs/acme/members"], "acme"],
      [["api", "users/acme"], "acme"],
      [["api", "repos/other/x"], "personal"],
      [["api", "repos/other/x", "--token", "acme"], "acme"],
      [["api", "user", "--hostname", "ghe.example.com"], "ghe"],
      [["api", "user", "--token", "ghe"], "ghe"],
    ];
    for (const [args] of cases) {
      const result = await sb.run(args);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ ok: expect.any(String) });
    }
    expect(sent()).toEqual(cases.map(([, name]) => name));
    for (const token of Object.values(tokens))
      expectTokenOnlyInAuthorization(
        api.requests.filter((r) => r.headers.authorization === `token ${token}`),
        token,
      );

    const mismatch = await sb.run(["api", "user", "--token", "ghe", "--hostname", "github.com"]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("'ghe' is a token for ghe.example.com, not for github.com.");
    const unknown = await sb.run(["api", "user", "--token", "nope"]);
    expect(unknown.code).toBe(3);
    expect(api.requests).toHaveLength(cases.length);
  });

  it("falls back to GH_TOKEN only when nothing is stored for the host, and exits 3 with a hint when there is no token at all", async () => {
    const sb = sandbox();
    const fromEnv = sb.canary(canaryToken());
    api.respond("GET", "/user", 200, { login: "env-user" });
    const viaEnv = await sb.run(["api", "user"], { env: { GH_TOKEN: fromEnv } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(api.authorizations()).toEqual([`token ${fromEnv}`]);

    const none = await sb.run(["api", "user"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("No token is stored for github.com.");
    expect(none.stderr).toContain("ghpat add");
    // An enterprise token never goes to a host ghpat knows nothing about.
    const foreign = await sb.run(["api", "user", "--hostname", "elsewhere.example"], {
      env: { GH_ENTERPRISE_TOKEN: fromEnv },
    });
    expect(foreign.code).toBe(3);
    expect(api.requests).toHaveLength(1);
  });

  it("`ghpat api repos/acme/app/issues -f title='Flaky test'` files the issue with acme's token: POST, that JSON body", async () => {
    const { sb, sent } = world();
    api.respond("POST", "/repos/acme/app/issues", 201, { number: 7, title: "Flaky test" });
    const result = await sb.run(["api", "repos/acme/app/issues", "-f", "title=Flaky test"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('{"number":7,"title":"Flaky test"}');
    const [request] = api.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/repos/acme/app/issues");
    expect(request?.body).toBe('{"title":"Flaky test"}');
    expect(request?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(request?.headers.accept).toBe("application/vnd.github+json");
    expect(request?.headers["user-agent"]).toMatch(/^ghpat\//);
    expect(sent()).toEqual(["acmeApp"]);
  });

  it("-F types its values, reads @file, builds arrays and objects; -X and -H apply; GET puts fields in the query", async () => {
    const { sb } = world();
    const notes = join(sb.dir, "notes.md");
    writeFileSync(notes, "Seen twice on main.\n");
    api.respond("PATCH", "/repos/acme/app/issues/7", 200, {});
    api.respond("GET", "/repos/acme/app/issues", 200, []);
    const typed = await sb.run([
      "api",
      "-X",
      "patch",
      "repos/acme/app/issues/7",
      "-F",
      "locked=true",
      "-F",
      "milestone=3",
      "-F",
      "assignee=null",
      "-F",
      `body=@${notes}`,
      "-f",
      "labels[]=bug",
      "-f",
      "labels[]=flaky",
      "-F",
      "meta[count]=2",
      "-H",
      "X-Custom: yes",
    ]);
    expect(typed.code, typed.stderr).toBe(0);
    const [patch] = api.requests;
    expect(patch?.method).toBe("PATCH");
    expect(patch?.body).toBe(
      '{"labels":["bug","flaky"],"locked":true,"milestone":3,"assignee":null,"body":"Seen twice on main.\\n","meta":{"count":2}}',
    );
    expect(patch?.headers["x-custom"]).toBe("yes");

    const get = await sb.run(["api", "repos/acme/app/issues", "-X", "GET", "-f", "state=all", "-F", "per_page=5"]);
    expect(get.code, get.stderr).toBe(0);
    expect(api.requests[1]?.method).toBe("GET");
    expect(api.requests[1]?.url).toBe("/repos/acme/app/issues?state=all&per_page=5");
    expect(api.requests[1]?.body).toBe("");
  });

  it("--input sends a file or standard input byte for byte; GraphQL posts {query, variables}", async () => {
    const { sb } = world();
    const file = join(sb.dir, "body.json");
    const bytes = '{"name":"v1.0",\n "draft": true}\r\n';
    writeFileSync(file, bytes);
    api.respond("PUT", "/repos/acme/app/contents/x", 201, {});
    api.respond("POST", "/repos/acme/app/releases", 201, {});
    api.respond("POST", "/graphql", 200, { data: { viewer: { login: "octocat" } } });

    const fromFile = await sb.run(["api", "-X", "PUT", "repos/acme/app/contents/x", "--input", file]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const fromStdin = await sb.run(["api", "repos/acme/app/releases", "--input", "-", "-f", "ref=main"], {
      input: bytes,
    });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const graphql = await sb.run([
      "api",
      "graphql",
      "-f",
      "query=query($n:Int!){viewer{login}}",
      "-F",
      "n=5",
      "-f",
      "owner=acme",
    ]);
    expect(graphql.code, graphql.stderr).toBe(0);
    expect(JSON.parse(graphql.stdout)).toEqual({ data: { viewer: { login: "octocat" } } });

    // -f fields come before -F ones, as gh orders them.
    expect(api.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ["PUT", "/repos/acme/app/contents/x", bytes],
      ["POST", "/repos/acme/app/releases?ref=main", bytes],
      [
        "POST",
        "/graphql",
        JSON.stringify({ query: "query($n:Int!){viewer{login}}", variables: { owner: "acme", n: 5 } }),
      ],
    ]);
  });

  it("--paginate follows Link rel=next over three pages into one array; search results' items are merged", async () => {
    const { sb, sent } = world();
    api.paginate("/repos/acme/app/issues", [[{ n: 1 }, { n: 2 }], [{ n: 3 }], [{ n: 4 }, { n: 5 }]]);
    api.paginate("/search/issues", [[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]], (items) => ({
      total_count: 3,
      incomplete_results: false,
      items,
    }));

    const list = await sb.run(["api", "--paginate", "repos/acme/app/issues?state=all"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    expect(api.requests.map((r) => r.url)).toEqual([
      "/repos/acme/app/issues?state=all&per_page=100",
      "/repos/acme/app/issues?state=all&per_page=100&page=2",
      "/repos/acme/app/issues?state=all&per_page=100&page=3",
    ]);
    expect(sent()).toEqual(["acmeApp", "acmeApp", "acmeApp"]);

    const search = await sb.run(["api", "--paginate", "search/issues", "-X", "GET", "-f", "q=repo:acme/app flaky"]);
    expect(search.code, search.stderr).toBe(0);
    expect(JSON.parse(search.stdout)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(api.requests.slice(3).map((r) => r.url)).toEqual([
      "/search/issues?q=repo%3Aacme%2Fapp+flaky&per_page=100",
      "/search/issues?q=repo%3Aacme%2Fapp+flaky&per_page=100&page=2",
      "/search/issues?q=repo%3Aacme%2Fapp+flaky&per_page=100&page=3",
    ]);
  });

  it("404 and 422: the body on stdout, HTTP status, request and GitHub's errors on stderr, exit 1", async () => {
    const { sb } = world();
    const invalid = {
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }],
      documentation_url: "https://docs.github.com/rest/issues",
    };
    api.respond("POST", "/repos/acme/app/issues", 422, invalid);

    const missing = await sb.run(["api", "repos/acme/nope"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
    });
    expect(missing.stderr).toContain("HTTP 404: Not Found (GET /repos/acme/nope)\nNot Found\n");

    const unprocessable = await sb.run(["api", "repos/acme/app/issues", "-f", "body=no title"]);
    expect(unprocessable.code).toBe(1);
    expect(JSON.parse(unprocessable.stdout)).toEqual(invalid);
    expect(unprocessable.stderr).toContain(
      "HTTP 422: Unprocessable Entity (POST /repos/acme/app/issues)\nValidation Failed\n- Issue.title: missing_field\n",
    );

    const quiet = await sb.run(["api", "repos/acme/nope", "--silent"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe("");
  });

  it("a rate limit exits 5 with the reset time; a retry-after within the timeout is waited out once; 5xx exits 5 after the retries", async () => {
    const { sb } = world();
    const reset = Math.floor(Date.now() / 1000) + 1800;
    api.respond(
      "GET",
      "/rate/limited",
      403,
      { message: "API rate limit exceeded for user ID 1." },
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    );
    const limited = await sb.run(["api", "rate/limited"]);
    expect(limited.code).toBe(5);
    expect(limited.stderr).toContain("HTTP 403: Forbidden (GET /rate/limited)\nAPI rate limit exceeded for user ID 1.");
    expect(limited.stderr).toContain(`it resets at ${new Date(reset * 1000).toISOString()}`);
    expect(api.requests).toHaveLength(1);

    let secondary = 0;
    api.intercept((req, res) => {
      if (req.url !== "/secondary") return false;
      if (secondary++ === 0)
        api.json(res, 429, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "1" });
      else api.json(res, 200, { ok: true });
      return true;
    });
    const waited = await sb.run(["api", "secondary"]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual({ ok: true });
    expect(secondary).toBe(2);

    api.respond("GET", "/always/429", 429, { message: "slow down" }, { "retry-after": "600" });
    const tooLong = await sb.run(["api", "always/429", "--timeout", "2"]);
    expect(tooLong.code).toBe(5);
    expect(tooLong.stderr).toContain("HTTP 429: Too Many Requests (GET /always/429)");

    api.respond("GET", "/broken", 502, { message: "Server Error" });
    const broken = await sb.run(["api", "broken"]);
    expect(broken.code).toBe(5);
    expect(broken.stderr).toContain("HTTP 502: Bad Gateway (GET /broken)");
    expect(api.requests.filter((r) => r.url === "/broken")).toHaveLength(3);
  });

  it("a network failure exits 5", async () => {
    const { sb } = world();
    const refused = await sb.run(["api", "user"], { env: { GHPAT_API_URL: "http://127.0.0.1:9" } });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("refused the connection");
  });

  it("follows a redirect to another origin without the token, and a same-origin one with it", async () => {
    const { sb, tokens, sent } = world();
    api.redirect("GET", "/repos/acme/app/tarball/main", `${other.url}/acme/app/legacy.tar.gz/main?token=short-lived`);
    // Bytes that are no JSON and end without a newline: passed on exactly as they came.
    const payload = "\u001f\u0008archive ✓\r\n\u0000end";
    other.intercept((req, res) => {
      if (req.method !== "GET") return false;
      res.writeHead(200, { "content-type": "application/x-gzip" });
      res.end(Buffer.from(payload, "utf8"));
      return true;
    });
    api.redirect("GET", "/repos/acme/old-name", `${api.url}/repositories/42`, 301);
    api.respond("GET", "/repositories/42", 200, { id: 42 });

    const archive = await sb.run(["api", "repos/acme/app/tarball/main"]);
    expect(archive.code, archive.stderr).toBe(0);
    expect(archive.stdout).toBe(payload);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.url).toBe("/acme/app/legacy.tar.gz/main?token=short-lived");
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    for (const token of Object.values(tokens)) expect(JSON.stringify(other.requests)).not.toContain(token);

    const moved = await sb.run(["api", "repos/acme/old-name"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toEqual({ id: 42 });
    expect(sent()).toEqual(["acmeApp", "acme", "acme"]);
  });

  it("refuses a full URL outside the API, a token in -H, and bad flags, with exit 2 and nothing sent", async () => {
    const { sb } = world();
    for (const args of [
      ["api", `${other.url}/user`],
      ["api", "user", "-H", "Authorization: token abc"],
      ["api", "user", "--no-such-flag"],
      ["api", "repos/acme/app/../../evil/x"],
      ["api", "user", "-f", "no-equals"],
      ["api", "graphql", "--paginate", "-f", "query={viewer{login}}"],
    ]) {
      const result = await sb.run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
    }
    expect(api.requests).toHaveLength(0);
    expect(other.requests).toHaveLength(0);
  });

  it("fills {owner} and {repo} from a real git repository's origin remote", async () => {
    const { sb, sent } = world();
    const repo = join(sb.dir, "clone");
    mkdirSync(repo);
    expectGitOk(await runGit(sb, ["init", "-q"], { cwd: repo }), "git init");
    expectGitOk(
      await runGit(sb, ["remote", "add", "origin", "git@github.com:acme/app.git"], { cwd: repo }),
      "git remote add",
    );
    api.respond("POST", "/repos/acme/app/issues/3/comments", 201, { id: 1 });

    const result = await sb.run(["api", "repos/{owner}/{repo}/issues/3/comments", "-F", "body=From {owner}/{repo}"], {
      cwd: repo,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(api.requests[0]?.url).toBe("/repos/acme/app/issues/3/comments");
    expect(api.requests[0]?.body).toBe('{"body":"From acme/app"}');
    expect(sent()).toEqual(["acmeApp"]);

    const outside = await sb.run(["api", "repos/{owner}/{repo}"], { cwd: sb.home });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("no GitHub repository to fill it from");
  });

  it("records lastUsedAt, at most once a minute", async () => {
    const { sb } = world();
    api.respond("GET", "/user", 200, {});
    const lastUsed = () =>
      (
        JSON.parse(sb.readIndexText() ?? "{}") as { tokens: Array<{ name: string; lastUsedAt: string | null }> }
      ).tokens.find((t) => t.name === "personal")?.lastUsedAt;
    expect(lastUsed()).toBeNull();
    expect((await sb.run(["api", "user"])).code).toBe(0);
    const first = lastUsed();
    expect(Date.parse(String(first))).toBeGreaterThan(Date.now() - 60_000);
    expect((await sb.run(["api", "user"])).code).toBe(0);
    expect(lastUsed()).toBe(first);
  });

  it("prints no token: not with --include, --verbose, GHPAT_DEBUG, nor in an error", async () => {
    const { sb, tokens } = world();
    api.respond("GET", "/user", 200, { login: "octocat" }, { "x-oauth-scopes": "repo" });
    // Every run is scanned for every canary on stdout and stderr (GHPAT_DEBUG=1 is on in the sandbox).
    const shown = await sb.run(["api", "user", "--include", "--verbose", "-f", "a=b", "-X", "GET"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(shown.stdout).toContain("X-Oauth-Scopes: repo\r\n");
    expect(shown.stdout).toContain('\r\n\r\n{"login":"octocat"}');
    expect(shown.stderr).toContain("> GET /user?a=b HTTP/1.1\n");
    expect(shown.stderr).toContain("> Authorization: token ********\n");
    expect(shown.stderr).toContain("< HTTP/1.1 200 OK\n");

    const failed = await sb.run(["api", "repos/acme/nope", "--verbose", "--include"]);
    expect(failed.code).toBe(1);
    other.latencyMs = 2000;
    try {
      const timedOut = await sb.run(["api", "user", "--timeout", "0.3"], { env: { GHPAT_API_URL: other.url } });
      expect(timedOut.code).toBe(5);
      expect(timedOut.stderr).toContain("did not answer within 0.3 s");
    } finally {
      other.latencyMs = 0;
    }
    for (const token of Object.values(tokens))
      expectTokenOnlyInAuthorization(
        api.requests.filter((r) => r.headers.authorization === `token ${token}`),
        token,
      );
  });
});
