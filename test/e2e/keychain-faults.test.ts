import { afterEach, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { startKeyring, secretTool, secretToolLookup, type Keyring } from "../helpers/keyring.js";
import { Sandbox } from "../helpers/sandbox.js";
import { seedVerified } from "../helpers/seed.js";
import { describeKeychain, keyringEnv, useWorld } from "../helpers/suite.js";
import { DBusConnection } from "../../src/storage/dbus/connection.js";
import { SecretServiceClient } from "../../src/storage/secret-service.js";
import { processAlive } from "../../src/storage/process-alive.js";

/** What a user-facing keychain failure must say: exit 4, what happened, what to do, nothing on stdout. */
function expectStoreUnavailable(result: { code: number | null; stdout: string; stderr: string }, what: RegExp): void {
  expect(result.code, result.stderr).toBe(4);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(what);
}

async function lockDefaultCollection(env: Record<string, string>): Promise<void> {
  const client = await SecretServiceClient.open(env);
  const collection = await client.defaultCollection();
  client.close();
  const bus = await DBusConnection.open(env);
  try {
    await bus.call({
      destination: "org.freedesktop.secrets",
      path: "/org/freedesktop/secrets",
      interface: "org.freedesktop.Secret.Service",
      member: "Lock",
      signature: "ao",
      body: [[collection?.path]],
    });
  } finally {
    bus.close();
  }
}

async function itemsOf(env: Record<string, string>, service: string) {
  const client = await SecretServiceClient.open(env);
  try {
    return await client.items({ service });
  } finally {
    client.close();
  }
}

describeKeychain("keychain faults: exit 4 with what to do, and the index untouched", () => {
  const api = new FakeGitHub();
  let keyring: Keyring | undefined;
  let sb: Sandbox | undefined;

  /** A keyring of this test's own, so that killing or locking it disturbs no other test. */
  async function dedicated(): Promise<{ kr: Keyring; sb: Sandbox; keeper: string; before: string | null }> {
    if (!api.url) await api.start();
    api.clearInterceptors();
    keyring = await startKeyring();
    sb = new Sandbox({ keyringEnv: keyring.env, apiUrl: api.url });
    const keeper = sb.canary(canaryToken());
    seedVerified(sb, api, keeper, { login: "keeper", scopes: ["repo"] });
    return { kr: keyring, sb, keeper, before: sb.readIndexText() };
  }

  afterEach(async () => {
    sb?.cleanup();
    keyring?.stop();
    sb = undefined;
    keyring = undefined;
  });

  it("the daemon killed in the middle of add: exit 4, nothing stored, and every later command says so", async () => {
    const { kr, sb, before } = await dedicated();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "late", scopes: [] });
    // The keyring dies after the token was verified and before it is stored.
    api.intercept(async () => {
      process.kill(kr.pid, "SIGKILL");
      while (processAlive(kr.pid)) await new Promise((r) => setTimeout(r, 10));
      return false;
    });
    const add = await sb.run(["add", "--stdin"], { input: token });
    expectStoreUnavailable(
      add,
      /Could not (?:read from|write to) the OS keychain[\s\S]*gnome-keyring-daemon[\s\S]*GHPAT_STORE=file/,
    );
    expect(sb.readIndexText()).toBe(before);
    api.clearInterceptors();

    expectStoreUnavailable(await sb.run(["token", "keeper"]), /OS keychain[\s\S]*gnome-keyring-daemon/);
    expectStoreUnavailable(await sb.run(["remove", "keeper", "--yes"]), /OS keychain/);
    expect(sb.readIndexText()).toBe(before);
    expect((await sb.run(["list"])).code).toBe(0);
    const doctor = await sb.run(["doctor", "--json"]);
    expect(doctor.code).toBe(1);
    const checks = JSON.parse(doctor.stdout).checks;
    expect(checks.find((c: { id: string }) => c.id === "store")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("gnome-keyring-daemon"),
    });
    expect((await sb.run(["doctor", "--fix"])).code).toBe(1);
    expect(sb.readIndexText()).toBe(before);
  });

  it("a locked keychain: exit 4 saying to unlock it, never 'not found', and remove keeps the record and the secret", async () => {
    const { kr, sb, before } = await dedicated();
    await lockDefaultCollection(kr.env);

    expectStoreUnavailable(await sb.run(["token", "keeper"]), /keychain is locked[\s\S]*Unlock/);
    expectStoreUnavailable(await sb.run(["token"]), /keychain is locked/);
    const token = sb.canary(canaryToken());
    expectStoreUnavailable(
      await sb.run(["add", "other", "--stdin", "--no-verify"], { input: token }),
      /keychain is locked[\s\S]*Unlock/,
    );
    expectStoreUnavailable(
      await sb.run(["add", "keeper", "--stdin", "--no-verify", "--force"], { input: token }),
      /keychain is locked/,
    );
    // Replaced into the file store, the keychain copy must go first: the add stops, and its new secret is taken back.
    const intoFile = await sb.run(["--store", "file", "add", "keeper", "--stdin", "--no-verify", "--force"], {
      input: token,
      env: { GHPAT_PASSPHRASE: sb.passphrase },
    });
    expectStoreUnavailable(intoFile, /keychain is locked/);
    expect(sb.storedSecret("github.com/keeper", "file")).toBeNull();
    expectStoreUnavailable(await sb.run(["remove", "keeper", "--yes"]), /keychain is locked/);
    expect(sb.readIndexText()).toBe(before);
    const items = await itemsOf(kr.env, sb.service);
    expect(items.map((i) => [i.attributes.account, i.locked])).toEqual([["github.com/keeper", true]]);

    expect((await sb.run(["list"])).code).toBe(0);
    const doctor = await sb.run(["doctor", "--fix", "--json"]);
    expect(doctor.code).toBe(1);
    const checks = JSON.parse(doctor.stdout).checks;
    expect(checks.find((c: { id: string }) => c.id === "store")).toMatchObject({
      status: "fail",
      summary: expect.stringContaining("locked"),
      fix: expect.stringContaining("nlock"),
    });
    expect(checks.find((c: { id: string }) => c.id === "orphans")).toMatchObject({
      status: "warn",
      summary: expect.stringContaining("Not checked"),
    });
    expect(sb.readIndexText()).toBe(before);
  });
});

describeKeychain("keychain faults on the shared keyring", () => {
  const { api, sandbox } = useWorld();
  const env = keyringEnv ?? {};

  it("no D-Bus at all: exit 4 for every command that needs a secret, the index untouched", async () => {
    const sb = sandbox();
    const keeper = sb.canary(canaryToken());
    sb.seed([{ name: "keeper", token: keeper }]);
    const before = sb.readIndexText();
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "nobus" });
    for (const bus of [
      { DBUS_SESSION_BUS_ADDRESS: undefined },
      { DBUS_SESSION_BUS_ADDRESS: "" },
      { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
    ]) {
      expectStoreUnavailable(await sb.run(["token", "keeper"], { env: bus }), /D-Bus session[\s\S]*GHPAT_STORE=file/);
      expectStoreUnavailable(await sb.run(["remove", "keeper", "--yes"], { env: bus }), /GHPAT_STORE=file/);
      expectStoreUnavailable(await sb.run(["add", "--stdin"], { input: token, env: bus }), /GHPAT_STORE=file/);
      expect((await sb.run(["default", "keeper"], { env: bus })).code).toBe(0);
      const doctor = await sb.run(["doctor"], { env: bus });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/fail\s+secret store/);
      expect(sb.readIndexText()).toBe(before);
    }
    expect(secretToolLookup({ env }, sb.service, "github.com/keeper")).toBe(keeper);
  });

  it("a foreign item with our service but no account: nothing crashes, ghpat works, doctor warns and never touches it", async () => {
    const sb = sandbox();
    // Created first: gnome-keyring would let it replace an item of ours whose attributes include its own.
    expect(secretTool({ env }, ["store", "--label=Someone else's", "service", sb.service], "not ghpat's").status).toBe(
      0,
    );
    const token = sb.canary(canaryToken());
    const second = sb.canary(canaryToken());
    api.addToken(token, { login: "octocat", scopes: ["repo"] });
    expect((await sb.run(["add", "--stdin"], { input: token })).code).toBe(0);
    expect((await sb.run(["add", "two", "--stdin", "--no-verify"], { input: second })).code).toBe(0);
    expect((await sb.run(["list", "--json"])).code).toBe(0);
    expect((await sb.run(["token", "octocat"], { secretOnStdout: true })).stdout).toBe(`${token}\n`);
    expect((await sb.run(["default", "two"])).code).toBe(0);
    expect((await sb.run(["remove", "two", "--yes"])).code).toBe(0);
    for (const args of [
      ["doctor", "--json"],
      ["doctor", "--fix", "--json"],
    ]) {
      const doctor = await sb.run(args);
      expect(doctor.code, doctor.stdout).toBe(0);
      const orphans = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === "orphans");
      expect(orphans).toMatchObject({
        status: "warn",
        summary: expect.stringContaining("Someone else's"),
        repaired: [],
      });
      expect(orphans.data.foreignItems).toHaveLength(1);
    }
    const items = await itemsOf(env, sb.service);
    expect(items.map((i) => i.attributes.account ?? i.label).sort()).toEqual(["Someone else's", "github.com/octocat"]);
    expect(JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => r.name)).toEqual([
      "octocat",
    ]);
  });

  it("a secret deleted behind ghpat's back: exit 3 with the fix, and each fix works", async () => {
    const sb = sandbox();
    const token = sb.canary(canaryToken());
    const other = sb.canary(canaryToken());
    sb.seed([
      { name: "gone", token },
      { name: "gone2", token: other },
    ]);
    secretTool({ env }, ["clear", "service", sb.service, "account", "github.com/gone"]);
    secretTool({ env }, ["clear", "service", sb.service, "account", "github.com/gone2"]);
    const before = sb.readIndexText();
    for (const args of [["token", "gone"], ["token"]]) {
      const result = await sb.run(args);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("deleted outside ghpat");
      expect(result.stderr).toContain(`ghp_…${token.slice(-4)}`);
      expect(result.stderr).toContain("ghpat add gone --force");
      expect(result.stderr).toContain("ghpat remove gone");
    }
    expect(sb.readIndexText()).toBe(before);
    // Fix one: store it again.
    expect((await sb.run(["add", "gone", "--stdin", "--no-verify", "--force"], { input: token })).code).toBe(0);
    expect((await sb.run(["token", "gone"], { secretOnStdout: true })).stdout).toBe(`${token}\n`);
    // Fix two: drop the record.
    expect((await sb.run(["remove", "gone2", "--yes"])).code).toBe(0);
    expect(JSON.parse((await sb.run(["list", "--json"])).stdout).map((r: { name: string }) => r.name)).toEqual([
      "gone",
    ]);
  });
});
