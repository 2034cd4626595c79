// A private keyring for the tests and the benches: a D-Bus session with no
// service activation (so nothing of the user's, and no auto-started keyring,
// can answer on it) and a gnome-keyring-daemon unlocked with a throw-away
// password. Plain JavaScript, so that the benches run it without a build.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export function haveKeyringTools() {
  return ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"].every(
    (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0,
  );
}

export function startBus() {
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
  const result = spawnSync("dbus-daemon", [`--config-file=${config}`, "--fork", "--print-address=1", "--print-pid=1"], {
    encoding: "utf8",
  });
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

export async function startKeyring() {
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
  const daemon = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], {
    env,
    stdio: ["pipe", "ignore", "ignore"],
  });
  daemon.stdin.end("throwaway-password");
  const stop = () => {
    daemon.kill("SIGTERM");
    bus.stop();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForSecretService(env);
  } catch (error) {
    stop();
    throw error;
  }
  return { address: bus.address, home, pid: daemon.pid ?? 0, env, stop };
}

async function waitForSecretService(env) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    // Storing and reading back an item proves the default collection exists and is unlocked.
    const store = spawnSync(
      "secret-tool",
      ["store", "--label=ghpat-probe", "service", "ghpat-harness-probe", "account", "probe"],
      { env, input: "ok", encoding: "utf8", timeout: 2000 },
    );
    if (store.status === 0) {
      const lookup = spawnSync("secret-tool", ["lookup", "service", "ghpat-harness-probe", "account", "probe"], {
        env,
        encoding: "utf8",
        timeout: 2000,
      });
      if (lookup.stdout === "ok") {
        spawnSync("secret-tool", ["clear", "service", "ghpat-harness-probe", "account", "probe"], {
          env,
          timeout: 2000,
        });
        return;
      }
    }
    await sleep(100);
  }
  throw new Error("gnome-keyring-daemon did not come up on the private bus within 10 s");
}
