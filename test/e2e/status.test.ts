import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { expirationHeader } from "../helpers/fake-github.js";
import { expectGitOk, runGit } from "../helpers/git.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

interface HostStatus {
  host: string;
  ok: boolean;
  tokens: number;
  default: { name: string; standing: string; via: string; store: string } | null;
  environment: string | null;
  git: { state: string; others: string[]; commandWorks: boolean | null };
  problems: string[];
  next: string | null;
  verified: { asked: boolean; error: string | null };
}

interface Report {
  ok: boolean;
  store: { kind: string; state: string };
  hosts: HostStatus[];
}

describeEachStore("status: each host's default token, git's wiring, the store, and the next step", () => {
  const { api, sandbox } = useWorld();

  async function status(
    sb: Sandbox,
    args: string[] = [],
  ): Promise<{ code: number | null; report: Report; text: string }> {
    const json = await sb.run(["status", "--json", ...args]);
    const text = await sb.run(["status", ...args]);
    expect(text.code, text.stderr).toBe(json.code);
    return { code: json.code, report: JSON.parse(json.stdout) as Report, text: text.stdout };
  }

  it("a newcomer with nothing stored: exit 1, and the next step is 'ghpat add'", async () => {
    const sb = sandbox();
    const { code, report, text } = await status(sb);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.hosts).toEqual([
      {
        host: "github.com",
        ok: false,
        tokens: 0,
        default: null,
        environment: null,
        git: { state: "none", others: [], commandWorks: null },
        problems: ["no token stored"],
        next: "ghpat add",
        verified: { asked: false, error: null },
      },
    ]);
    expect(text).toContain("next: ghpat add");
    expect(api.requests).toEqual([]);
  });

  it("reads the index, the store's health and git's configuration only: an expired default and git's wiring, each with one next step", async () => {
    const sb = sandbox();
    const main = sb.canary(canaryToken());
    seedVerified(
      sb,
      api,
      main,
      { login: "octocat", scopes: ["repo"], expiration: expirationHeader(90) },
      { name: "main" },
    );
    const enterprise = sb.canary(canaryToken());
    sb.seed([
      { name: "spare", token: sb.canary(canaryToken()) },
      {
        name: "enterprise",
        token: enterprise,
        host: "ghe.example.com",
        expiresAt: "2020-01-01T00:00:00.000Z",
        expiryKnown: true,
        status: "valid",
      },
    ]);
    expect((await sb.run(["setup-git"])).code).toBe(0);
    api.requests.length = 0;

    const { code, report, text } = await status(sb);
    expect(code).toBe(1);
    expect(api.requests).toEqual([]);
    const [ghe, github] = report.hosts;
    expect(github).toMatchObject({
      host: "github.com",
      ok: true,
      tokens: 2,
      default: { name: "main", standing: "valid", via: "default", store: sb.store },
      git: { state: "ghpat", others: [], commandWorks: true },
      problems: [],
      next: null,
    });
    expect(ghe).toMatchObject({
      host: "ghe.example.com",
      ok: false,
      default: { name: "enterprise", standing: "expired" },
      git: { state: "none" },
      next: "ghpat rotate enterprise",
    });
    expect(report.store.kind).toBe(sb.store);
    expect(report.store.state).toBe(sb.store === "file" ? "not-opened" : "ok");
    expect(text).toContain("✓ default token 'main'");
    expect(text).toContain("✓ git asks ghpat alone for https://github.com");
    expect(text).toContain("next: ghpat rotate enterprise");

    // The newcomer's leak: a store helper after ghpat's section is a problem, and setup-git is the step that fixes it.
    expectGitOk(await runGit(sb, ["config", "--global", "credential.helper", "store"]), "store");
    const leaky = (await status(sb)).report.hosts.find((h) => h.host === "github.com");
    expect(leaky).toMatchObject({ ok: false, git: { state: "shared", others: ["store"] }, next: "ghpat setup-git" });
    expect((await sb.run(["setup-git"])).code).toBe(0);
    expect((await status(sb)).report.hosts.find((h) => h.host === "github.com")).toMatchObject({
      ok: true,
      git: { state: "ghpat" },
    });

    const defaults = await sb.run(["default"]);
    expect(defaults.code).toBe(0);
    expect(defaults.stdout).toBe(
      `ghe.example.com  enterprise (ghp_…${enterprise.slice(-4)})\ngithub.com       main (ghp_…${main.slice(-4)})\n`,
    );
  });

  it("an expiring default asks for a rotation, an unverified one for a verification; --verify asks the API (its only network use)", async () => {
    const sb = sandbox();
    const soon = sb.canary(canaryToken());
    const unknown = sb.canary(canaryToken());
    seedVerified(
      sb,
      api,
      soon,
      { login: "octocat", scopes: ["repo"], expiration: expirationHeader(3) },
      { name: "soon" },
    );
    sb.seed([{ name: "unknown", token: unknown, host: "ghe.example.com" }]);
    api.requests.length = 0;

    const before = await status(sb);
    expect(before.code).toBe(0);
    expect(before.report.hosts.map((h) => [h.host, h.default?.standing, h.next])).toEqual([
      ["ghe.example.com", "unverified", "ghpat verify unknown"],
      ["github.com", "expiring", "ghpat rotate soon"],
    ]);
    expect(api.requests).toEqual([]);

    // The API does not know 'unknown': GitHub says 401, verify marks it revoked, and the step is a rotation.
    const verified = await status(sb, ["--verify"]);
    expect(verified.code).toBe(1);
    expect(api.requests.filter((r) => r.url.endsWith("/user")).length).toBeGreaterThanOrEqual(2);
    expect(verified.report.hosts.map((h) => [h.host, h.default?.standing, h.verified.asked, h.next])).toEqual([
      ["ghe.example.com", "revoked", true, "ghpat rotate unknown"],
      ["github.com", "expiring", true, "ghpat rotate soon"],
    ]);
  });
});
