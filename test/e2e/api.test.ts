import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canaryFineGrained, canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { ROOT, runProcess, type Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";

/**
 * A Node project of a user's: `import ... from "ghpat"` resolves through its
 * node_modules to this package (its package.json `exports`, the built
 * dist/api.js), as an installed dependency would.
 */
const CONSUMER = `
import * as ghpat from "ghpat";
const [operation, rawOptions] = process.argv.slice(2);
const options = rawOptions === undefined ? undefined : JSON.parse(rawOptions);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString("utf8");
const classes = ["GhpatError", "UsageError", "NotFoundError", "StoreUnavailableError", "NetworkError", "TokenRejectedError", "SsoRequiredError", "CorruptIndexError"];
try {
  const value =
    operation === "exports" ? Object.keys(ghpat).sort()
    : operation === "list" ? await ghpat.listTokens(options)
    : operation === "get" ? await ghpat.getToken(options)
    : operation === "verify" ? await ghpat.verifyToken(input, options)
    : undefined;
  process.stdout.write(JSON.stringify({ value }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: {
    message: error.message, hint: error.hint, code: error.code, exitCode: error.exitCode, url: error.url,
    instanceOf: classes.filter((name) => error instanceof ghpat[name]),
  } }));
}
`;

interface Outcome {
  value?: unknown;
  error?: { message: string; hint?: string; code: string; exitCode: number; url?: string | null; instanceOf: string[] };
}

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "ghpat-consumer-"));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(ROOT, join(project, "node_modules", "ghpat"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  writeFileSync(join(project, "consumer.mjs"), CONSUMER);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs the consumer under the sandbox's environment (keyring, config dir, fake API) and checks no canary leaked. */
async function api(
  sb: Sandbox,
  operation: string,
  options?: unknown,
  input = "",
  env: Record<string, string> = {},
): Promise<Outcome> {
  const args = [join(project, "consumer.mjs"), operation, ...(options === undefined ? [] : [JSON.stringify(options)])];
  const result = await runProcess(process.execPath, args, {
    env: { ...sb.env, ...env },
    input,
    timeoutMs: 20_000,
    cwd: project,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe("");
  for (const secret of sb.canaries)
    expect(JSON.stringify(JSON.parse(result.stdout).error ?? null)).not.toContain(secret);
  sb.assertNoLeak();
  return JSON.parse(result.stdout) as Outcome;
}

describeKeychain("the library, imported by name as 'ghpat', against the real keyring and a fake GitHub", () => {
  const { api: github, sandbox } = useWorld();

  it("exports the three functions and every error class", async () => {
    const { value } = await api(sandbox(), "exports");
    expect(value).toEqual(
      expect.arrayContaining([
        "getToken",
        "listTokens",
        "verifyToken",
        "GhpatError",
        "UsageError",
        "NotFoundError",
        "StoreUnavailableError",
        "NetworkError",
        "TokenRejectedError",
        "SsoRequiredError",
        "TokenForbiddenError",
        "UnsafePermissionsError",
        "CorruptIndexError",
        "ExitCode",
        "isGhpatError",
      ]),
    );
  });

  it("listTokens and getToken see what the CLI stored", async () => {
    const sb = sandbox();
    const work = sb.canary(canaryToken());
    const ghe = sb.canary(canaryFineGrained());
    github.addToken(work, { login: "octocat", scopes: ["repo"], expiration: expirationHeader(30) });
    github.addToken(ghe, { login: "octocat", scopes: null });
    expect((await sb.run(["add", "work", "--stdin"], { input: work })).code).toBe(0);
    expect((await sb.run(["add", "--stdin", "--host", "ghe.example.com"], { input: ghe })).code).toBe(0);

    const listed = await api(sb, "list");
    const cliList = JSON.parse((await sb.run(["list", "--json"])).stdout);
    expect(listed.value).toEqual(cliList);
    expect((await api(sb, "list", { host: "ghe.example.com" })).value).toEqual([cliList[0]]);
    expect((await api(sb, "list", { env: { GHPAT_CONFIG_DIR: join(sb.dir, "elsewhere") } })).value).toEqual([]);

    expect((await api(sb, "get")).value).toBe(work);
    expect((await api(sb, "get", "work")).value).toBe(work);
    expect((await api(sb, "get", { host: "ghe.example.com" })).value).toBe(ghe);
    expect((await api(sb, "get", { name: "octocat@ghe.example.com" })).value).toBe(ghe);
  });

  it("getToken falls back to GH_TOKEN only when nothing is stored, like 'ghpat token'", async () => {
    const sb = sandbox();
    const fromEnv = sb.canary(canaryToken());
    expect((await api(sb, "get", undefined, "", { GH_TOKEN: fromEnv })).value).toBe(fromEnv);
    const missing = await api(sb, "get");
    expect(missing.error).toMatchObject({
      code: "ENOTFOUND",
      exitCode: 3,
      instanceOf: ["GhpatError", "NotFoundError"],
    });
    expect(missing.error?.hint).toContain("ghpat add");
  });

  it("fails with typed errors: unknown name (3), keychain unreachable (4), a token as the name (2)", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    sb.seed([{ name: "ci", token }]);

    expect((await api(sb, "get", "nobody")).error).toMatchObject({
      code: "ENOTFOUND",
      exitCode: 3,
      instanceOf: ["GhpatError", "NotFoundError"],
    });
    const locked = await api(sb, "get", "ci", "", { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" });
    expect(locked.error).toMatchObject({
      code: "ESTORE",
      exitCode: 4,
      instanceOf: ["GhpatError", "StoreUnavailableError"],
    });
    // The index needs no keychain.
    expect(
      (await api(sb, "list", undefined, "", { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" })).value,
    ).toHaveLength(1);

    const other = canaryToken();
    const refused = await api(sb, "get", other);
    expect(refused.error).toMatchObject({ code: "EUSAGE", exitCode: 2, instanceOf: ["GhpatError", "UsageError"] });
    expect(refused.error?.message).not.toContain(other);
  });

  it("verifyToken asks GET /user about a token without storing it", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    github.addToken(token, { login: "hubot", scopes: ["repo", "gist"], expiration: expirationHeader(10) });
    const { value } = await api(sb, "verify", { host: "github.com" }, `${token}\n`);
    expect(value).toMatchObject({
      host: "github.com",
      login: "hubot",
      type: "classic",
      fingerprint: `ghp_…${token.slice(-4)}`,
      scopes: ["repo", "gist"],
      expiryKnown: true,
      rateLimit: { limit: 5000, remaining: 4999 },
    });
    expect(Date.parse((value as { expiresAt: string }).expiresAt) - Date.now()).toBeGreaterThan(9 * 86_400_000);
    expect(JSON.stringify(value)).not.toContain(token);
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /user"]);
    expect(github.authorizations()).toEqual([`token ${token}`]);
    expect(sb.readIndexText()).toBeNull();
  });

  it("verifyToken's failures: malformed (2, nothing sent), rejected (1), SSO (1, with the URL), unreachable (5)", async () => {
    const sb = sandbox();
    const good = canaryToken();
    const typo = sb.canary(good.slice(0, -1) + (good.endsWith("A") ? "B" : "A"));
    const malformed = await api(sb, "verify", undefined, typo);
    expect(malformed.error).toMatchObject({ code: "EUSAGE", exitCode: 2, instanceOf: ["GhpatError", "UsageError"] });
    expect(malformed.error?.message).toContain("checksum");
    expect(github.requests).toEqual([]);

    const revoked = sb.canary(canaryToken());
    expect((await api(sb, "verify", undefined, revoked)).error).toMatchObject({
      code: "EREJECTED",
      exitCode: 1,
      instanceOf: ["GhpatError", "TokenRejectedError"],
    });

    const sso = sb.canary(canaryToken());
    github.addToken(sso, {
      login: "octocat",
      scopes: ["repo"],
      ssoUrl: "https://github.com/orgs/acme/sso?authorization_request=1",
    });
    expect((await api(sb, "verify", undefined, sso)).error).toMatchObject({
      code: "ESSO",
      exitCode: 1,
      url: "https://github.com/orgs/acme/sso?authorization_request=1",
      instanceOf: ["GhpatError", "SsoRequiredError"],
    });

    const unreachable = await api(sb, "verify", { timeoutMs: 2000 }, sb.canary(canaryToken()), {
      GHPAT_API_URL: "http://127.0.0.1:9",
    });
    expect(unreachable.error).toMatchObject({
      code: "ENETWORK",
      exitCode: 5,
      instanceOf: ["GhpatError", "NetworkError"],
    });
  });
});
