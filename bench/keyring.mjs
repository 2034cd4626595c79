// A private keyring for the benches, as test/helpers/keyring.ts starts one
// for the tests: a D-Bus session without service activation and an unlocked
// gnome-keyring-daemon. Nothing of the user's keychain is touched.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const haveKeyringTools = () => ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"].every((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0);

/** Stores a secret the way keytar does (its schema attribute included), so ghpat reads it back. */
export function storeSecret(env, service, account, secret) {
  return spawnSync("secret-tool", ["store", `--label=${account}`, "xdg:schema", "org.freedesktop.Secret.Generic", "service", service, "account", account], { env, input: secret, encoding: "utf8", timeout: 5000 });
}

export /** Starts the keyring in `dir` and waits until it stores and returns a secret. */
async function startKeyring(dir) {
  const config = join(dir, "bus.conf");
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const bus = spawnSync("dbus-daemon", [`--config-file=${config}`, "--fork", "--print-address=1", "--print-pid=1"], { encoding: "utf8" });
  if (bus.status !== 0) throw new Error(`dbus-daemon failed: ${bus.stderr}`);
  const [address, busPid] = bus.stdout.trim().split("\n");
  const runtime = join(dir, "run");
  mkdirSync(runtime, { mode: 0o700 });
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: join(dir, "data"),
    XDG_CONFIG_HOME: join(dir, "xdg-config"),
    DBUS_SESSION_BUS_ADDRESS: address,
  };
  const daemon = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], { env, stdio: ["pipe", "ignore", "ignore"] });
  daemon.stdin.end("throwaway-bench-password");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const store = spawnSync("secret-tool", ["store", "--label=probe", "service", "ghpat-bench-probe", "account", "probe"], { env, input: "ok", timeout: 2000 });
    const lookup = spawnSync("secret-tool", ["lookup", "service", "ghpat-bench-probe", "account", "probe"], { env, encoding: "utf8", timeout: 2000 });
    if (store.status === 0 && lookup.stdout === "ok") break;
    if (Date.now() > deadline) throw new Error("gnome-keyring-daemon did not come up within 10 s");
    await sleep(100);
  }
  return {
    env,
    stop() {
      daemon.kill("SIGTERM");
      try {
        process.kill(Number(busPid), "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}
