import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createRequire } from "node:module";
import { isClientRaceMessage } from "../../src/storage/keyring-race.js";
import type { Keyring } from "./private-keyring.mjs";

// The private bus and keyring are started by plain JavaScript that the benches share.
export { haveKeyringTools, startBus, startKeyring, type Bus, type Keyring } from "./private-keyring.mjs";

/**
 * Runs secret-tool (libsecret) against a keyring. Each run is a new D-Bus
 * connection, so it can lose gnome-keyring's client race
 * (src/storage/keyring-race.ts); such a run is made once more.
 */
export function secretTool(keyring: Pick<Keyring, "env">, args: string[], input?: string): SpawnSyncReturns<string> {
  const run = () => spawnSync("secret-tool", args, { env: keyring.env, input, encoding: "utf8", timeout: 5000 });
  const first = run();
  return first.status !== 0 && isClientRaceMessage(first.stderr) ? run() : first;
}

/** What the real Secret Service holds for a service/account, read with secret-tool. */
export function secretToolLookup(keyring: Pick<Keyring, "env">, service: string, account: string): string | null {
  const result = secretTool(keyring, ["lookup", "service", service, "account", account]);
  return result.status === 0 ? result.stdout : null;
}

/**
 * Stores a secret exactly as ghpat does (through keytar, in a child process
 * on the keyring's bus): e.g. the secret a crashed `add` left without a
 * record. secret-tool items can lack the `xdg:schema` attribute keytar
 * searches by, so they are not a faithful stand-in. The secret goes over stdin.
 */
export function keytarStore(keyring: Pick<Keyring, "env">, service: string, account: string, secret: string): void {
  const keytar = createRequire(import.meta.url).resolve("@github/keytar");
  const script = `let s="";process.stdin.on("data",c=>s+=c).on("end",()=>require(${JSON.stringify(keytar)}).setPassword(process.argv[1],process.argv[2],s).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)}))`;
  const result = spawnSync(process.execPath, ["-e", script, service, account], {
    env: keyring.env,
    input: secret,
    encoding: "utf8",
    timeout: 10_000,
  });
  if (result.status !== 0) throw new Error(`keytar could not store ${account}: ${result.stderr}`);
}

/**
 * Every account ghpat's service holds and its secret, read straight from
 * the Secret Service over D-Bus (a "plain" session), independently of
 * keytar and of ghpat. Items without an account attribute are left out.
 */
export async function keychainContents(keyring: Pick<Keyring, "env">, service: string): Promise<Map<string, string>> {
  const { DBusConnection } = await import("../../src/storage/dbus/connection.js");
  const { callSecretService } = await import("../../src/storage/secret-service.js");
  const bus = await DBusConnection.open(keyring.env, 10_000);
  const call = (path: string, iface: string, member: string, signature?: string, body?: unknown[]) =>
    callSecretService(bus, { path, interface: iface, member, ...(signature ? { signature, body: body ?? [] } : {}) });
  try {
    const [unlocked, locked] = (await call(
      "/org/freedesktop/secrets",
      "org.freedesktop.Secret.Service",
      "SearchItems",
      "a{ss}",
      [[["service", service]]],
    )) as [string[], string[]];
    if (locked.length > 0) throw new Error(`${locked.length} items of ${service} are locked`);
    const [, session] = (await call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession", "sv", [
      "plain",
      { signature: "s", value: "" },
    ])) as [unknown, string];
    const [secrets] = (await call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "GetSecrets", "aoo", [
      unlocked,
      session,
    ])) as [Array<[string, [string, number[], number[], string]]>];
    const out = new Map<string, string>();
    for (const [path, [, , value]] of secrets) {
      const [attributes] = (await call(path, "org.freedesktop.DBus.Properties", "Get", "ss", [
        "org.freedesktop.Secret.Item",
        "Attributes",
      ])) as [{ value: Array<[string, string]> }];
      const account = new Map(attributes.value).get("account");
      if (account !== undefined) out.set(account, Buffer.from(value).toString("utf8"));
    }
    return out;
  } finally {
    bus.close();
  }
}
