import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";
import { runOnTerminal } from "../helpers/terminal.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

/** The link a run printed on stderr (the line after "Create the ... token at:"), parsed. */
function linkIn(text: string): URL {
  const match = /token at:\r?\n\s+(https:\/\/\S+)/.exec(text);
  expect(match, text).not.toBeNull();
  return new URL(match?.[1] ?? "");
}

function params(url: URL): Array<[string, string]> {
  return [...url.searchParams];
}

/** A program that records its arguments (one a line) and its environment, for $BROWSER and a stand-in xdg-open. */
function recorder(sb: Sandbox, name: string): { path: string; dir: string; args(): string[] | null; env(): string } {
  const dir = join(sb.dir, `bin-${name}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const out = join(sb.dir, `${name}.args`);
  writeFileSync(
    path,
    `#!/bin/sh\nenv > '${out}.env'\nprintf '%s\\n' "$@" > '${out}.tmp' && mv '${out}.tmp' '${out}'\n`,
  );
  chmodSync(path, 0o755);
  return {
    path,
    dir,
    args: () => (existsSync(out) ? readFileSync(out, "utf8").trimEnd().split("\n") : null),
    env: () => readFileSync(`${out}.env`, "utf8"),
  };
}

/** The browser is started without being waited for: its record appears shortly after. */
async function recorded(rec: ReturnType<typeof recorder>): Promise<string[] | null> {
  for (let i = 0; i < 50 && rec.args() === null; i++) await new Promise((r) => setTimeout(r, 100));
  return rec.args();
}

describeEachStore("ghpat new: prefilled links, the browser, the token checked against the request", () => {
  const { api, sandbox } = useWorld();

  it("prints every link with --print-url, parameter by parameter, and stores nothing", async () => {
    const sb = sandbox();
    const fine = await sb.run([
      "new",
      "deploy",
      "--owner",
      "acme",
      "--permission",
      "contents:write",
      "--permission",
      "metadata:read",
      "--note",
      "CI deploys & more",
      "--expires-in",
      "90",
      "--print-url",
    ]);
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout.endsWith("\n")).toBe(true);
    const link = new URL(fine.stdout.trim());
    expect(`${link.origin}${link.pathname}`).toBe("https://github.com/settings/personal-access-tokens/new");
    expect(params(link)).toEqual([
      ["name", "deploy"],
      ["description", "CI deploys & more"],
      ["target_name", "acme"],
      ["expires_in", "90"],
      ["contents", "write"],
      ["metadata", "read"],
    ]);

    const never = new URL(
      (
        await sb.run([
          "new",
          "x",
          "--permission",
          "workflows:write",
          "--permission",
          "pull-requests:read",
          "--expires-in",
          "none",
          "--print-url",
        ])
      ).stdout.trim(),
    );
    expect(params(never)).toEqual([
      ["name", "x"],
      ["expires_in", "none"],
      ["pull_requests", "read"],
      ["workflows", "write"],
    ]);

    const classic = new URL(
      (await sb.run(["new", "ci", "--classic", "--scopes", "repo, read:org", "--print-url"])).stdout.trim(),
    );
    expect(`${classic.origin}${classic.pathname}`).toBe("https://github.com/settings/tokens/new");
    expect(params(classic)).toEqual([
      ["scopes", "repo,read:org"],
      ["description", "ci"],
    ]);

    const cloud = new URL(
      (
        await sb.run(["new", "x", "--host", "acme.ghe.com", "--permission", "issues:read", "--print-url"])
      ).stdout.trim(),
    );
    expect(cloud.host).toBe("acme.ghe.com");
    expect(params(cloud)).toEqual([
      ["name", "x"],
      ["expires_in", "30"],
      ["issues", "read"],
    ]);

    const server = await sb.run([
      "new",
      "x",
      "--host",
      "ghe.example.com",
      "--permission",
      "issues:read",
      "--print-url",
    ]);
    expect(server.stdout).toBe("https://ghe.example.com/settings/personal-access-tokens/new\n");
    expect(sb.readIndexText()).toBeNull();
    expect(api.requests).toEqual([]);
  });

  it.each([
    [["--permission", "contnets:write"], "'contnets' is not a fine-grained permission", "Did you mean 'contents'?"],
    [
      ["--permission", "metadata:write"],
      "'metadata' (Metadata) cannot be 'write': it allows read only.",
      "metadata:read",
    ],
    [["--permission", "contents:wrte"], "cannot be 'wrte'", "Did you mean 'contents:write'?"],
    [["--permission", "contents"], "give NAME:LEVEL", "read, write and admin"],
    [["--expires-in", "0"], "--expires-in must be a whole number of days from 1 to 366", "default is 30"],
    [["--expires-in", "367"], "--expires-in must be", "1 to 366"],
    [["--scopes", "repo"], "--scopes is for classic tokens", "--classic"],
    [["--classic", "--permission", "contents:read"], "--permission is for fine-grained tokens", "--scopes"],
    [["--classic", "--fine-grained"], "cannot be used with option", ""],
    [["--owner", "acme corp"], "is not a GitHub user or organisation name", ""],
  ])("refuses %j as a usage error (2), storing nothing", async (args, message, hint) => {
    const sb = sandbox();
    const result = await sb.run(["new", "deploy", ...args, "--no-browser", "--stdin"], { input: "" });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(hint);
    expect(sb.readIndexText()).toBeNull();
    expect(api.requests).toEqual([]);
  });

  it("stores the token made for the request, declared, owned and matched, so git routes the owner's repositories to it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, {
      login: "octocat",
      scopes: null,
      expiration: expirationHeader(30),
      repositories: ["acme/web", "acme/api"],
      publicRepositories: ["acme/www"],
    });
    const result = await sb.run(
      ["new", "deploy", "--owner", "acme", "--permission", "contents:write", "--no-browser", "--stdin"],
      { input: token },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(params(linkIn(result.stderr))).toEqual([
      ["name", "deploy"],
      ["target_name", "acme"],
      ["expires_in", "30"],
      ["contents", "write"],
    ]);
    expect(result.stderr).toContain(
      [
        "Check that the page shows (pick the repositories there: no link can choose them):",
        "  - Token name: deploy",
        "  - Resource owner: acme",
        "  - Expiration: 30 days",
        "  - Repository access: only the repositories the token needs",
        "  - Permission Contents (repository): Read and write",
        "Then click 'Generate token'.",
      ].join("\n"),
    );
    expect(result.stderr).toContain("Stored 'deploy'");
    expect(result.stderr).not.toContain("Opened it in your browser");

    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(record).toMatchObject({
      name: "deploy",
      type: "fine-grained",
      login: "octocat",
      status: "valid",
      match: ["acme/*"],
      permissions: { contents: "write" },
      owner: "acme",
      repositories: ["acme/api", "acme/web"],
    });
    expect(Date.parse(String(record?.repositoriesCheckedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect((await sb.run(["list"])).stdout).toMatch(
      /deploy\s+github\.com\s+acme\/\*\s+octocat\s+fine-grained\s+github_pat_…\S+\s+contents:write \(declared\); acme\/api, acme\/web\s+expires/,
    );

    const git = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\npath=acme/api.git\n\n",
      secretOnStdout: true,
    });
    expect(git.code, git.stderr).toBe(0);
    expect(git.stdout).toContain(`password=${token}\n`);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("without --owner records the login as owner and matches nothing; --no-match keeps the match off", async () => {
    const sb = sandbox();
    const mine = sb.canary(canaryFineGrained());
    const theirs = sb.canary(canaryFineGrained());
    api.addToken(mine, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    api.addToken(theirs, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    expect((await sb.run(["new", "mine", "--permission", "issues:read", "--stdin"], { input: mine })).code).toBe(0);
    expect((await sb.run(["new", "theirs", "--owner", "acme", "--no-match", "--stdin"], { input: theirs })).code).toBe(
      0,
    );
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.name, r.owner, r.match, r.permissions])).toEqual([
      ["mine", "octocat", [], { issues: "read" }],
      ["theirs", "acme", [], {}],
    ]);
  });

  it.each([
    [
      "a classic token for a fine-grained request",
      ["--permission", "contents:read"],
      () => ({ token: canaryToken(), info: { login: "octocat", scopes: ["repo"], expiration: expirationHeader(30) } }),
      "This is a classic token, not the fine-grained personal access token asked for.",
    ],
    [
      "a fine-grained token for a classic request",
      ["--classic", "--scopes", "repo"],
      () => ({
        token: canaryFineGrained(),
        info: { login: "octocat", scopes: null, expiration: expirationHeader(30) },
      }),
      "This is a fine-grained token, not the classic personal access token asked for.",
    ],
    [
      "a classic token lacking a requested scope",
      ["--classic", "--scopes", "repo,read:org,workflow"],
      () => ({
        token: canaryToken(),
        info: { login: "octocat", scopes: ["repo", "admin:org"], expiration: expirationHeader(30) },
      }),
      "It lacks the scope workflow (it has repo, admin:org).",
    ],
    [
      "an expiry later than asked, beyond a day",
      ["--expires-in", "7"],
      () => ({ token: canaryFineGrained(), info: { login: "octocat", scopes: null, expiration: expirationHeader(9) } }),
      "later than the 7 days asked for.",
    ],
    [
      "a token that never expires when days were asked",
      ["--classic", "--scopes", "repo"],
      () => ({ token: canaryToken(), info: { login: "octocat", scopes: ["repo"] } }),
      "It never expires, but 30 days were asked for.",
    ],
  ])("refuses %s (1) with nothing stored, and stores it with --force", async (_label, args, make, message) => {
    const sb = sandbox();
    const { token, info } = make();
    sb.canary(token);
    api.addToken(token, info);
    const refused = await sb.run(["new", "deploy", ...args, "--stdin"], { input: token });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(message);
    expect(refused.stderr).toContain("Nothing was stored.");
    expect(refused.stderr).toContain("or pass --force to store it anyway");
    expect(sb.readIndexText()).toBeNull();
    expect(sb.storedSecret("github.com/deploy")).toBeNull();

    const forced = await sb.run(["new", "deploy", ...args, "--stdin", "--force"], { input: token });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain("(accepted because of --force)");
    expect(sb.storedSecret("github.com/deploy")).toBe(token);
    expectTokenOnlyInAuthorization(api.requests, token);
  });

  it("accepts an expiry within a day of the one asked for, and a classic token whose scopes cover the request", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    const classic = sb.canary(canaryToken());
    api.addToken(fine, { login: "octocat", scopes: null, expiration: expirationHeader(30.9) });
    api.addToken(classic, { login: "octocat", scopes: ["repo", "admin:org"], expiration: expirationHeader(90) });
    expect((await sb.run(["new", "fine", "--stdin"], { input: fine })).code).toBe(0);
    const covered = await sb.run(
      ["new", "classic", "--classic", "--scopes", "public_repo,read:org", "--expires-in", "90", "--stdin"],
      { input: classic },
    );
    expect(covered.code, covered.stderr).toBe(0);
    expect(params(linkIn(covered.stderr))).toEqual([
      ["scopes", "public_repo,read:org"],
      ["description", "classic"],
    ]);
    expect(covered.stderr).toContain("The link cannot set a classic token's expiration: pick 90 days on the page");
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.name, r.type, r.permissions, r.owner])).toEqual([
      ["classic", "classic", null, null],
      ["fine", "fine-grained", {}, "octocat"],
    ]);
  });

  it("stores nothing when GitHub rejects the token, even echoing it back (1), and never prints it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.intercept((req, res) =>
      req.url === "/user"
        ? (api.json(res, 401, { message: `Bad credentials: ${token}` }, { "x-echo": token }), true)
        : false,
    );
    const result = await sb.run(["new", "deploy", "--owner", "acme", "--permission", "contents:write", "--stdin"], {
      input: token,
      env: { GHPAT_DEBUG: "1" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Nothing was stored.");
    expect(sb.readIndexText()).toBeNull();
    expect(sb.storedSecret("github.com/deploy")).toBeNull();
  });

  it("refuses a name already taken before showing any link (2)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    expect((await sb.run(["new", "deploy", "--stdin"], { input: token })).code).toBe(0);
    const before = sb.readIndexText();
    const again = await sb.run(["new", "deploy", "--stdin"], { input: token });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("A token named 'deploy' already exists.");
    expect(again.stderr).not.toContain("token at:");
    expect(sb.readIndexText()).toBe(before);
  });

  it("hands $BROWSER the link with --open, and never a secret in its environment", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    const browser = recorder(sb, "browser");
    const result = await sb.run(
      ["new", "deploy", "--owner", "acme", "--permission", "contents:write", "--open", "--stdin"],
      { input: token, env: { BROWSER: `${browser.path} --new-tab` } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Opened it in your browser.");
    const args = await recorded(browser);
    expect(args).toEqual(["--new-tab", linkIn(result.stderr).href]);
    expect(params(new URL(args?.[1] ?? ""))).toEqual([
      ["name", "deploy"],
      ["target_name", "acme"],
      ["expires_in", "30"],
      ["contents", "write"],
    ]);
    const env = browser.env();
    expect(env).not.toContain("GHPAT_PASSPHRASE=");
    for (const secret of sb.canaries) expect(env.includes(secret)).toBe(false);
  });

  it("without $BROWSER, opens the link through the platform's opener (xdg-open here)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    const opener = recorder(sb, "xdg-open");
    const result = await sb.run(["new", "deploy", "--permission", "issues:write", "--open", "--stdin"], {
      input: token,
      env: { BROWSER: undefined, PATH: `${opener.dir}:${sb.env.PATH}` },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await recorded(opener)).toEqual([linkIn(result.stderr).href]);
    expect(opener.env()).not.toContain("GHPAT_PASSPHRASE=");
  });

  it("says so and goes on when the browser cannot be started", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    const result = await sb.run(["new", "deploy", "--open", "--stdin"], {
      input: token,
      env: { BROWSER: join(sb.dir, "no-such-browser") },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Could not open a browser");
    expect(result.stderr).toContain("Stored 'deploy'");
  });

  it("on a terminal opens the browser and prompts for the token; --no-browser only prints the link", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    const second = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    api.addToken(second, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    const browser = recorder(sb, "browser");
    const opened = await runOnTerminal(sb, ["new", "deploy", "--permission", "contents:read"], {
      env: { BROWSER: browser.path },
      answers: [{ when: /Paste the new token/, send: `${token}\r` }],
    });
    expect(opened.code, opened.output).toBe(0);
    expect(opened.output).not.toContain(token);
    expect(await recorded(browser)).toEqual([linkIn(opened.output).href]);

    const quiet = recorder(sb, "quiet");
    const printed = await runOnTerminal(sb, ["new", "other", "--no-browser"], {
      env: { BROWSER: quiet.path },
      answers: [{ when: /Paste the new token/, send: `${second}\r` }],
    });
    expect(printed.code, printed.output).toBe(0);
    expect(printed.output).toContain("https://github.com/settings/personal-access-tokens/new?name=other");
    await new Promise((r) => setTimeout(r, 500));
    expect(quiet.args()).toBeNull();
    expect(JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => r.name)).toEqual([
      "deploy",
      "other",
    ]);
  });

  it("gives Enterprise Server the plain page and a checklist of what to pick", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryFineGrained());
    api.addToken(token, { login: "octocat", scopes: null, expiration: expirationHeader(7) });
    const result = await sb.run(
      [
        "new",
        "deploy",
        "--host",
        "ghe.example.com",
        "--owner",
        "acme",
        "--permission",
        "contents:write",
        "--expires-in",
        "7",
        "--stdin",
      ],
      { input: token },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(linkIn(result.stderr).href).toBe("https://ghe.example.com/settings/personal-access-tokens/new");
    expect(result.stderr).toContain(
      [
        "ghe.example.com does not fill that page in; pick:",
        "  - Token name: deploy",
        "  - Resource owner: acme",
        "  - Expiration: 7 days",
        "  - Repository access: only the repositories the token needs",
        "  - Permission Contents (repository): Read and write",
      ].join("\n"),
    );
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user", "GET /user/repos?per_page=100"]);
    expect(result.stderr).toContain("The token reaches no private repository yet");
  });

  it("add --permission declares a hand-made token's permissions; a classic token cannot have them (2)", async () => {
    const sb = sandbox();
    const fine = sb.canary(canaryFineGrained());
    const classic = sb.canary(canaryToken());
    api.addToken(fine, { login: "octocat", scopes: null, expiration: expirationHeader(30) });
    api.addToken(classic, { login: "octocat", scopes: ["repo"] });
    const added = await sb.run(
      ["add", "hand", "--permission", "contents:write", "--permission", "metadata:read", "--stdin"],
      { input: fine },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain("contents:write, metadata:read (declared)");
    const refused = await sb.run(["add", "old", "--permission", "contents:write", "--stdin"], { input: classic });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this is a classic token");
    expect((await sb.run(["add", "bad", "--permission", "metadata:admin", "--stdin"], { input: fine })).code).toBe(2);
    const records = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<Record<string, unknown>>;
    expect(records.map((r) => [r.name, r.permissions])).toEqual([["hand", { contents: "write", metadata: "read" }]]);
  });
});
