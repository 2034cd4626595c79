import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { keytarStore, secretTool } from "../helpers/keyring.js";
import type { RunOptions, Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";

const keyring = { env: keyringEnv ?? {} };

interface Orphans {
  status: string;
  summary: string;
  fix: string | null;
  details: string[];
  repaired: string[];
}

/**
 * doctor --fix under the wrong keychain service once dropped every record
 * (their secrets were safe under another service) and made a foreign
 * secret the host's default. It must conclude "wrong store", not "lost
 * secrets", and never bulk-delete or adopt a default without being told.
 */
describeKeychain("doctor --fix never bulk-drops records or adopts a default", () => {
  const { sandbox } = useWorld();

  async function fix(
    sb: Sandbox,
    args: string[],
    options: RunOptions = {},
  ): Promise<{ code: number | null; orphans: Orphans }> {
    const result = await sb.run(["doctor", "--fix", "--json", ...args], options);
    const report = JSON.parse(result.stdout) as { checks: Array<Orphans & { id: string }> };
    return { code: result.code, orphans: report.checks.find((c) => c.id === "orphans") as Orphans };
  }

  async function addAll(sb: Sandbox, names: string[]): Promise<Record<string, string>> {
    const tokens: Record<string, string> = {};
    for (const name of names) {
      tokens[name] = sb.canary(canaryToken());
      const added = await sb.run(["add", name, "--stdin", "--no-verify"], { input: tokens[name] });
      expect(added.code, added.stderr).toBe(0);
    }
    return tokens;
  }

  it("under another GHPAT_KEYCHAIN_SERVICE it changes nothing and says which variable to check", async () => {
    const sb = sandbox();
    await addAll(sb, ["work", "home"]);
    const before = sb.readIndexText();
    // The other service holds someone else's token, on the same host.
    const otherService = `${sb.service}-other`;
    const foreign = sb.canary(canaryToken());
    keytarStore(keyring, otherService, "github.com/theirs", foreign);

    const { code, orphans } = await fix(sb, [], { env: { GHPAT_KEYCHAIN_SERVICE: otherService } });
    expect(code).toBe(1);
    expect(orphans.status).toBe("fail");
    expect(`${orphans.summary} ${orphans.fix}`).toContain("GHPAT_KEYCHAIN_SERVICE");
    expect(orphans.repaired).toEqual([]);
    expect(sb.readIndexText()).toBe(before);
    // Both secrets are still where they were, and still answer.
    for (const name of ["work", "home"]) expect((await sb.run(["token", name], { secretOnStdout: true })).code).toBe(0);
    secretTool(keyring, ["clear", "service", otherService, "account", "github.com/theirs"]);
  });

  it("drops more than one record only with --yes", async () => {
    const sb = sandbox();
    await addAll(sb, ["a", "b", "c"]);
    for (const name of ["a", "b"])
      secretTool(keyring, ["clear", "service", sb.service, "account", `github.com/${name}`]);

    const withheld = await fix(sb, []);
    expect(withheld.code).toBe(1);
    expect(withheld.orphans.summary).toContain("only with --yes");
    expect(JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => r.name)).toEqual([
      "a",
      "b",
      "c",
    ]);

    const confirmed = await fix(sb, ["--yes"]);
    expect(confirmed.code).toBe(0);
    expect(confirmed.orphans.repaired).toHaveLength(2);
    expect(JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => r.name)).toEqual(["c"]);
  });

  it("makes a recovered secret a plain record, never the host's default", async () => {
    const sb = sandbox();
    const orphan = sb.canary(canaryToken());
    keytarStore(keyring, sb.service, "ghe.example.com/found", orphan);
    const { code, orphans } = await fix(sb, []);
    expect(code).toBe(0);
    expect(orphans.repaired).toHaveLength(1);
    const [record] = JSON.parse((await sb.run(["list", "--json"])).stdout) as Array<{ name: string; default: boolean }>;
    expect(record).toMatchObject({ name: "found", default: false });
  });
});
