import { existsSync } from "node:fs";
import { expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { describeKeychain, useWorld } from "../helpers/suite.js";
import type { Sandbox, StoreKind } from "../helpers/sandbox.js";

interface IndexRecord {
  name: string;
  host: string;
  store?: StoreKind;
  staleCopyIn?: StoreKind;
}

const NAMES = ["one", "two", "three"];

describeKeychain("ghpat migrate between the OS keychain and the file store", () => {
  const { sandbox } = useWorld({ store: "keychain" });

  /** Both stores reachable: the keychain on the private bus, the file store with its passphrase. */
  function bothStores(sb: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
    return { GHPAT_PASSPHRASE: sb.passphrase, ...extra };
  }

  /** The tokens of NAMES, as `GHPAT_STORE=<store> ghpat add NAME --no-verify` would leave them. */
  async function seed(sb: Sandbox, store: StoreKind): Promise<Map<string, string>> {
    const tokens = new Map(NAMES.map((name) => [name, sb.canary(canaryToken())]));
    sb.seed(
      [...tokens].map(([name, token]) => ({ name, token })),
      { store },
    );
    return tokens;
  }

  function records(sb: Sandbox): IndexRecord[] {
    return (JSON.parse(sb.readIndexText() ?? "{}") as { tokens: IndexRecord[] }).tokens;
  }

  /** Every token is in the store its record names: what `ghpat token` reads. */
  function expectEveryTokenWhereItsRecordSays(sb: Sandbox, tokens: Map<string, string>): void {
    const byName = new Map(records(sb).map((r) => [r.name, r]));
    for (const [name, token] of tokens) {
      const record = byName.get(name);
      expect(record, `record of ${name}`).toBeDefined();
      expect(
        sb.storedSecret(`github.com/${name}`, record?.store ?? "keychain"),
        `${name} in its ${record?.store} store`,
      ).toBe(token);
    }
  }

  function expectAllIn(sb: Sandbox, tokens: Map<string, string>, to: StoreKind): void {
    const from: StoreKind = to === "file" ? "keychain" : "file";
    for (const [name, token] of tokens) {
      expect(sb.storedSecret(`github.com/${name}`, to)).toBe(token);
      expect(sb.storedSecret(`github.com/${name}`, from), `${name} left in the ${from}`).toBeNull();
    }
    for (const record of records(sb)) {
      expect(record.store).toBe(to);
      expect(record.staleCopyIn).toBeUndefined();
    }
  }

  it("moves every secret to the file store and back, deleting each original only after its copy reads back", async () => {
    const sb = sandbox();
    const tokens = await seed(sb, "keychain");
    const index = JSON.parse(sb.readIndexText() ?? "{}");

    const toFile = await sb.run(["migrate", "--to", "file"], { env: bothStores(sb) });
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(toFile.stderr).toContain("Moved 3 tokens to the file store");
    expect(toFile.stderr).toContain("GHPAT_STORE=file");
    expectAllIn(sb, tokens, "file");
    // Nothing but the store changed in the records.
    expect(records(sb)).toEqual(index.tokens.map((r: IndexRecord) => ({ ...r, store: "file" })));
    for (const [name, token] of tokens) {
      expect((await sb.run(["token", name], { secretOnStdout: true, env: bothStores(sb) })).stdout).toBe(`${token}\n`);
    }

    const again = await sb.run(["migrate", "--to", "file"], { env: bothStores(sb) });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("All 3 tokens are already in the file store");

    const back = await sb.run(["migrate", "--to", "keychain"], { env: bothStores(sb) });
    expect(back.code, back.stderr).toBe(0);
    expectAllIn(sb, tokens, "keychain");
    expect(back.stderr).not.toContain("GHPAT_STORE=");
  });

  it("changes nothing when the file store cannot be opened (4)", async () => {
    const sb = sandbox();
    const tokens = await seed(sb, "keychain");
    const before = sb.readIndexText();
    const result = await sb.run(["migrate", "--to", "file"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("GHPAT_PASSPHRASE");
    expect(sb.readIndexText()).toBe(before);
    for (const [name, token] of tokens) expect(sb.storedSecret(`github.com/${name}`, "keychain")).toBe(token);
  });

  it("leaves no copy behind when a token is replaced or removed across stores", async () => {
    const sb = sandbox();
    const tokens = await seed(sb, "keychain");
    // Replaced with --force while new tokens go to the file store: the keychain copy goes.
    const successor = sb.canary(canaryToken());
    const replaced = await sb.run(["--store", "file", "add", "one", "--stdin", "--no-verify", "--force"], {
      input: successor,
      env: bothStores(sb),
    });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(sb.storedSecret("github.com/one", "file")).toBe(successor);
    expect(sb.storedSecret("github.com/one", "keychain")).toBeNull();
    // Removed while an interrupted migration still marks a copy in the keychain: both copies go.
    const killed = await sb.run(["migrate", "--to", "file"], {
      env: bothStores(sb, { GHPAT_TEST_CRASH_AT: "switched" }),
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(records(sb).find((r) => r.name === "two")).toMatchObject({ store: "file", staleCopyIn: "keychain" });
    expect(sb.storedSecret("github.com/two", "keychain")).toBe(tokens.get("two"));
    expect((await sb.run(["remove", "two", "--yes"], { env: bothStores(sb) })).code).toBe(0);
    expect(sb.storedSecret("github.com/two", "keychain")).toBeNull();
    expect(sb.storedSecret("github.com/two", "file")).toBeNull();
  });

  const KILL_POINTS: Array<[from: StoreKind, to: StoreKind, point: string]> = [
    ["keychain", "file", "copied:1"],
    ["keychain", "file", "copied:3"],
    ["keychain", "file", "verified"],
    ["keychain", "file", "switched"],
    ["keychain", "file", "deleted:1"],
    ["keychain", "file", "deleted:3"],
    ["file", "keychain", "copied:2"],
    ["file", "keychain", "switched"],
    ["file", "keychain", "deleted:2"],
  ];

  it("copies under the index lock, so that an add or remove meanwhile waits for it instead of racing it", async () => {
    const sb = sandbox();
    const tokens = await seed(sb, "keychain");
    const killed = await sb.run(["migrate", "--to", "file"], {
      env: bothStores(sb, { GHPAT_TEST_CRASH_AT: "copied:1" }),
    });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    // Killed while copying, it still held the lock; the next command clears it, since its owner is gone.
    expect(existsSync(`${sb.indexPath()}.lock`)).toBe(true);
    expect((await sb.run(["remove", "one", "--yes"], { env: bothStores(sb) })).code).toBe(0);
    expect(existsSync(`${sb.indexPath()}.lock`)).toBe(false);
    tokens.delete("one");
    expectEveryTokenWhereItsRecordSays(sb, tokens);
  });

  it.each(KILL_POINTS)(
    "from the %s to the %s, killed (SIGKILL) at %s, loses no token; a re-run finishes",
    async (from, to, point) => {
      const sb = sandbox();
      const tokens = await seed(sb, from);

      const killed = await sb.run(["migrate", "--to", to], { env: bothStores(sb, { GHPAT_TEST_CRASH_AT: point }) });
      expect(killed.signal, `${point} was never reached: ${killed.stderr}`).toBe("SIGKILL");
      expectEveryTokenWhereItsRecordSays(sb, tokens);
      const [first, firstToken] = [...tokens][0] ?? [];
      expect((await sb.run(["token", first ?? ""], { secretOnStdout: true, env: bothStores(sb) })).stdout).toBe(
        `${firstToken}\n`,
      );

      const rerun = await sb.run(["migrate", "--to", to], { env: bothStores(sb) });
      expect(rerun.code, rerun.stderr).toBe(0);
      expectAllIn(sb, tokens, to);
    },
  );
});
