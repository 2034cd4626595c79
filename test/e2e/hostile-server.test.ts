import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import type { RunResult } from "../helpers/sandbox.js";
import { seedTokens } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

/** Logins a hostile (or impersonated) API answers with: a terminal title, a colour, and an Actions workflow command after a newline. */
const HOSTILE_LOGINS = [
  "octo\u001b]0;owned\u0007cat",
  "\u001b[31mred",
  "octocat\n::error::forged annotation",
  "octo\u009b31mcat",
  "octo cat",
];

// eslint-disable-next-line no-control-regex -- looking for control characters is the point.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function expectNoRawControls(result: RunResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toMatch(CONTROL);
    expect(text).not.toMatch(/(^|\n)::error::/);
  }
}

describeKeychain("strings from a hostile API server", () => {
  const { api, sandbox } = useWorld();

  it("add refuses a login GitHub never issues (exit 5), stores nothing and prints it only escaped", async () => {
    const sb = sandbox();
    for (const login of HOSTILE_LOGINS) {
      const token = sb.canary(canaryToken());
      api.addToken(token, { login, scopes: ["repo"] });
      for (const args of [
        ["add", "--stdin"],
        ["add", "named", "--stdin"],
      ]) {
        const add = await sb.run(args, { input: token });
        expect(add.code, add.stderr).toBe(5);
        expect(add.stderr).toContain("which is not a GitHub login");
        expectNoRawControls(add);
      }
      const verify = await sb.run(["verify", "--stdin", "--json"], { input: token });
      expect(verify.code).not.toBe(0);
      expectNoRawControls(verify);
    }
    expect(sb.readIndexText()).toBeNull();
    expect(sb.storedAccounts()).toEqual([]);
    // 15 runs of the CLI: about 15 s on an idle machine, over 30 s on a loaded one.
  }, 90_000);

  it("verify keeps a stored login when the server answers a hostile one, and shows nothing raw", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    seedTokens(sb, keyringEnv ?? {}, [{ name: "work", token, login: "octocat", status: "valid" }]);
    for (const login of HOSTILE_LOGINS) {
      api.addToken(token, { login, scopes: ["repo"] });
      for (const args of [["verify"], ["verify", "--json"], ["list"], ["list", "--json"]]) {
        const result = await sb.run(args);
        expectNoRawControls(result);
      }
    }
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{ login: string }>;
    expect(record?.login).toBe("octocat");
    // 21 runs of the CLI, as above.
  }, 90_000);

  it("strips C1 controls from the scopes a server reports before they are stored or printed", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: ["repo", "\u009b31mgist\u0085"] });
    const add = await sb.run(["add", "--stdin"], { input: token });
    expect(add.code, add.stderr).toBe(0);
    expectNoRawControls(add);
    const list = await sb.run(["list", "--json"]);
    expect((JSON.parse(list.stdout) as Array<{ scopes: string[] }>)[0]?.scopes).toEqual(["repo", "31mgist"]);
    expectNoRawControls(await sb.run(["list"]));
  });
});
