import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { expectGitOk, gitEnv, lines, runGit } from "../helpers/git.js";
import type { Sandbox } from "../helpers/sandbox.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

interface Answer {
  url: string;
  host: string;
  path: string | null;
  username: string | null;
  useHttpPath: boolean;
  source: string;
  token: { name: string; fingerprint: string } | null;
  pattern: string | null;
  variable: string | null;
  reason: string;
  skipped: Array<{ name: string; why: string }>;
  git: { state: string; others: string[] };
}

describeEachStore("which: the token git would get for a URL, and why", () => {
  const { sandbox } = useWorld();

  function seeded(): { sb: Sandbox; tokens: Map<string, string> } {
    const sb = sandbox();
    const tokens = new Map(["main", "acme", "acme-app", "old"].map((name) => [name, sb.canary(canaryToken())]));
    sb.seed([
      { name: "main", token: tokens.get("main") as string, default: true },
      { name: "acme", token: tokens.get("acme") as string, match: ["acme/*"] },
      { name: "acme-app", token: tokens.get("acme-app") as string, match: ["acme/app"] },
      {
        name: "old",
        token: tokens.get("old") as string,
        match: ["globex"],
        expiresAt: "2020-01-01T00:00:00.000Z",
        expiryKnown: true,
      },
    ]);
    return { sb, tokens };
  }

  async function which(
    sb: Sandbox,
    url: string,
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; answer: Answer; text: string }> {
    const json = await sb.run(["which", url, "--json"], { env });
    const text = await sb.run(["which", url], { env });
    expect(text.code).toBe(json.code);
    return { code: json.code, answer: JSON.parse(json.stdout) as Answer, text: text.stdout };
  }

  it("names the token git-credential get hands out, for each URL, with the rule that chose it; git agrees", async () => {
    const { sb, tokens } = seeded();
    expect((await sb.run(["setup-git", "--path"])).code).toBe(0);
    const cases: Array<[url: string, name: string, source: string, pattern: string | null]> = [
      ["https://github.com/acme/app.git", "acme-app", "match", "acme/app"],
      ["https://github.com/ACME/tool", "acme", "match", "acme/*"],
      ["https://github.com/globex/lib.git", "main", "default", null],
      ["https://github.com/octocat/hello", "main", "default", null],
    ];
    for (const [url, name, source, pattern] of cases) {
      const { code, answer, text } = await which(sb, url);
      expect(code).toBe(0);
      expect(answer).toMatchObject({
        host: "github.com",
        useHttpPath: true,
        source,
        pattern,
        token: { name },
        git: { state: "ghpat", others: [] },
      });
      expect(text).toContain(`token:  ${name} (`);
      // git itself, through the helper setup-git wrote: the same token.
      const path = new URL(url).pathname.slice(1);
      const fill = await runGit(sb, ["credential", "fill"], {
        input: `protocol=https\nhost=github.com\npath=${path}\n`,
        env: gitEnv(sb),
        secretOnStdout: true,
      });
      expectGitOk(fill, `fill ${url}`);
      expect(lines(fill.stdout)).toContain(`password=${tokens.get(name)}`);
    }
    // The expired token's pattern names globex, and it is skipped with the reason.
    const globex = await which(sb, "https://github.com/globex/lib.git");
    expect(globex.answer.skipped).toEqual([{ name: "old", why: "expired: git is never given it" }]);
    expect(globex.answer.reason).toContain("default token for github.com");
  });

  it("without useHttpPath git sends no path: which says the default goes, and how to turn --match on", async () => {
    const { sb } = seeded();
    expect((await sb.run(["setup-git"])).code).toBe(0);
    const { answer, text } = await which(sb, "https://github.com/acme/app.git");
    expect(answer).toMatchObject({ path: null, useHttpPath: false, source: "default", token: { name: "main" } });
    expect(text).toContain("credential.useHttpPath is off");
    expect(text).toContain("ghpat setup-git --path");
  });

  it("a user in the URL, the environment token, none, and git not asking ghpat; never a secret", async () => {
    const { sb } = seeded();
    const named = await which(sb, "https://someone@github.com/acme/app.git");
    expect(named.code).toBe(3);
    expect(named.answer).toMatchObject({ source: "none", username: "someone", token: null });
    expect(named.answer.git.state).toBe("none");
    expect(named.text).toContain("git does not ask ghpat for github.com; run 'ghpat setup-git'");

    const fromEnv = sb.canary(canaryToken());
    const other = await which(sb, "https://ghe.example.com/team/tool", {
      GH_HOST: "ghe.example.com",
      GH_ENTERPRISE_TOKEN: fromEnv,
    });
    expect(other.code).toBe(0);
    expect(other.answer).toMatchObject({ source: "env", variable: "GH_ENTERPRISE_TOKEN", token: null });
    expect(JSON.stringify(other.answer)).not.toContain(fromEnv);

    const nothing = await which(sb, "https://ghe.example.com/team/tool");
    expect(nothing.code).toBe(3);
    expect(nothing.answer.reason).toBe(
      "ghpat stores no token for ghe.example.com, and no environment token may go there",
    );
    const plain = await which(sb, "http://github.com/acme/app.git");
    expect(plain.code).toBe(3);
    expect(plain.answer.reason).toContain("https:// requests only");

    for (const bad of ["git@github.com:acme/app.git", "https://x:hunter2@github.com/acme/app"]) {
      const refused = await sb.run(["which", bad]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
    }
  });
});
