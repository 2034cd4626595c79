import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { BIN } from "../helpers/sandbox.js";
import { describeEachStore, useWorld } from "../helpers/suite.js";

const GITHUB_COM_REQUEST = "protocol=https\nhost=github.com\n\n";

/** A command for `exec` that asks ghpat, as git would, for github.com's credential, and prints the answer. */
const ASK_FOR_GITHUB_COM = [
  process.execPath,
  "-e",
  `const r = require("node:child_process").spawnSync(process.execPath, [${JSON.stringify(BIN)}, "git-credential", "get"], { input: ${JSON.stringify(GITHUB_COM_REQUEST)}, encoding: "utf8" }); process.stdout.write(JSON.stringify(r.stdout))`,
];

describeEachStore("environment tokens reach only the host they belong to", () => {
  const { sandbox } = useWorld();

  it("a *.ghe.com tenant's GH_TOKEN (GH_HOST=tenant) is never handed to github.com by git-credential, token or exec", async () => {
    const sb = sandbox();
    const tenant = sb.canary(canaryToken());
    const env = { GH_HOST: "acme.ghe.com", GH_TOKEN: tenant };

    const get = await sb.run(["git-credential", "get"], { env, input: GITHUB_COM_REQUEST });
    expect(get.stdout).toBe("");
    const own = await sb.run(["git-credential", "get"], {
      env,
      input: "protocol=https\nhost=acme.ghe.com\n\n",
      secretOnStdout: true,
    });
    expect(own.stdout).toBe(`username=x-access-token\npassword=${tenant}\n`);

    const token = await sb.run(["token", "--host", "github.com"], { env });
    expect(token.code).toBe(3);
    expect(token.stdout).toBe("");

    const exec = await sb.run(["exec", "--host", "github.com", "--", "true"], { env });
    expect(exec.code).toBe(3);
  });

  it("exec of a tenant token builds no environment in which git's helper hands it to github.com", async () => {
    const sb = sandbox();
    const tenant = sb.canary(canaryToken());
    const added = await sb.run(["add", "acme", "--host", "acme.ghe.com", "--stdin", "--no-verify"], { input: tenant });
    expect(added.code, added.stderr).toBe(0);
    const inner = await sb.run(["exec", "acme", "--", ...ASK_FOR_GITHUB_COM], { secretOnStdout: true });
    expect(inner.code, inner.stderr).toBe(0);
    expect(JSON.parse(inner.stdout)).toBe("");
  });

  it("token --host and exec --host give an environment token to no host ghpat does not know", async () => {
    const sb = sandbox();
    const enterprise = sb.canary(canaryToken());
    const env = { GH_ENTERPRISE_TOKEN: enterprise };
    for (const host of ["evil.example.com", "ghe.attacker.test:8443"]) {
      const token = await sb.run(["token", "--host", host], { env });
      expect(token.code, host).toBe(3);
      expect(token.stdout).toBe("");
      const exec = await sb.run(
        [
          "exec",
          "--host",
          host,
          "--",
          process.execPath,
          "-e",
          "process.stdout.write(process.env.GH_ENTERPRISE_TOKEN ?? 'none')",
        ],
        { env },
      );
      expect(exec.code, host).toBe(3);
      expect(exec.stdout).toBe("");
    }
    // The host GH_HOST names does get it, as gh would.
    const named = await sb.run(["token", "--host", "ghe.example.com"], {
      env: { ...env, GH_HOST: "ghe.example.com" },
      secretOnStdout: true,
    });
    expect(named.stdout).toBe(`${enterprise}\n`);
  });
});
