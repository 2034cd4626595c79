import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { isClientRaceMessage } from "../../src/storage/keyring-race.js";

/**
 * A private D-Bus session with no service activation, so nothing of the
 * user's (or an auto-started keyring) can answer on it.
 */
export interface Bus {
  address: string;
  dir: string;
  stop(): void;
}

export function haveKeyringTools(): boolean {
  return ["dbus-daemon", "gnome-keyring-daemon"].every((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0);
}

export function startBus(): Bus {
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bus-"));
  const config = join(dir, "bus.conf");
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const result = spawnSync("dbus-daemon", [`--config-file=${config}`, "--fork", "--print-address=1", "--print-pid=1"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`dbus-daemon failed: ${result.stderr}`);
  const [address, pid] = result.stdout.trim().split("\n");
  if (!address || !pid) throw new Error(`dbus-daemon printed no address: ${result.stdout}`);
  return {
    address,
    dir,
    stop() {
      try {
        process.kill(Number(pid), "SIGTERM");
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Keyring {
  address: string;
  home: string;
  /** The gnome-keyring-daemon's pid, for tests that kill it. */
  pid: number;
  /** Environment for tools (secret-tool) that should talk to this keyring. */
  env: Record<string, string>;
  stop(): void;
}

/** A gnome-keyring-daemon, unlocked with a throw-away password, on its own private bus. */
export async function startKeyring(): Promise<Keyring> {
  const bus = startBus();
  const home = mkdtempSync(join(tmpdir(), "ghpat-keyring-"));
  const runtime = join(home, "run");
  mkdirSync(runtime, { mode: 0o700 });
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    DBUS_SESSION_BUS_ADDRESS: bus.address,
  };
  const daemon = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], { env, stdio: ["pipe", "ignore", "ignore"] });
  daemon.stdin.end("throwaway-test-password");
  await waitForSecretService(env);
  return {
    address: bus.address,
    home,
    pid: daemon.pid ?? 0,
    env,
    stop() {
      daemon.kill("SIGTERM");
      bus.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function waitForSecretService(env: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // Storing and reading back an item proves the default collection exists and is unlocked.
    const store = spawnSync("secret-tool", ["store", "--label=ghpat-probe", "service", "ghpat-harness-probe", "account", "probe"], { env, input: "ok", encoding: "utf8", timeout: 2000 });
    if (store.status === 0) {
      const lookup = spawnSync("secret-tool", ["lookup", "service", "ghpat-harness-probe", "account", "probe"], { env, encoding: "utf8", timeout: 2000 });
      if (lookup.stdout === "ok") {
        spawnSync("secret-tool", ["clear", "service", "ghpat-harness-probe", "account", "probe"], { env, timeout: 2000 });
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("gnome-keyring-daemon did not come up on the private bus within 10 s");
}

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
  const result = spawnSync(process.execPath, ["-e", script, service, account], { env: keyring.env, input: secret, encoding: "utf8", timeout: 10_000 });
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
  const call = (path: string, iface: string, member: string, signature?: string, body?: unknown[]) => callSecretService(bus, { path, interface: iface, member, ...(signature ? { signature, body: body ?? [] } : {}) });
  try {
    const [unlocked, locked] = (await call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "SearchItems", "a{ss}", [[["service", service]]])) as [string[], string[]];
    if (locked.length > 0) throw new Error(`${locked.length} items of ${service} are locked`);
    const [, session] = (await call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession", "sv", ["plain", { signature: "s", value: "" }])) as [unknown, string];
    const [secrets] = (await call("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "GetSecrets", "aoo", [unlocked, session])) as [Array<[string, [string, number[], number[], string]]>];
    const out = new Map<string, string>();
    for (const [path, [, , value]] of secrets) {
      const [attributes] = (await call(path, "org.freedesktop.DBus.Properties", "Get", "ss", ["org.freedesktop.Secret.Item", "Attributes"])) as [{ value: Array<[string, string]> }];
      const account = new Map(attributes.value).get("account");
      if (account !== undefined) out.set(account, Buffer.from(value).toString("utf8"));
    }
    return out;
  } finally {
    bus.close();
  }
}
