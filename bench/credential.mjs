// `ghpat git-credential get` against a real Secret Service, next to its floor:
// a bare script that reads stdin and asks keytar for the same secret.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { measure, report } from "./harness.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin", "ghpat.js");
const node = process.execPath;
// A public, revoked example token (DESIGN.md section 3).
const TOKEN = "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";

/** A private D-Bus session (no service activation) with an unlocked gnome-keyring-daemon, as test/helpers/keyring.ts does. */
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

export async function benchCredential({ rounds = 25 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-credential-"));
  let keyring;
  try {
    keyring = await startKeyring(dir);
    // Explicit: this machine's NODE_EXTRA_CA_CERTS adds ~60 ms to every node start and would hide the differences.
    const env = { ...keyring.env, GHPAT_CONFIG_DIR: join(dir, "config"), GHPAT_KEYCHAIN_SERVICE: "ghpat-bench" };
    const add = spawnSync(node, [bin, "add", "bench", "--stdin", "--no-verify"], { env, input: TOKEN, encoding: "utf8" });
    if (add.status !== 0) throw new Error(`ghpat add failed: ${add.stderr}`);

    const floor = join(dir, "floor.mjs");
    writeFileSync(
      floor,
      `import { createRequire } from "node:module";
const require = createRequire(${JSON.stringify(join(root, "package.json"))});
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const keytar = require("@github/keytar");
const secret = await keytar.getPassword(process.env.GHPAT_KEYCHAIN_SERVICE, "github.com/bench");
process.stdout.write("username=x-access-token\\npassword=" + secret + "\\n");
`,
    );
    const input = "protocol=https\nhost=github.com\n\n";
    for (const args of [[floor], [bin, "git-credential", "get"]]) {
      const check = spawnSync(node, args, { env, input, encoding: "utf8" });
      if (!check.stdout.includes(`password=${TOKEN}`)) throw new Error(`${args.join(" ")} did not answer: ${check.stderr}`);
    }

    const medians = measure(
      [
        { name: "node -e 0", command: node, args: ["-e", "0"], env },
        { name: "floor: read stdin + keytar getPassword", command: node, args: [floor], env, input },
        { name: "ghpat git-credential get", command: node, args: [bin, "git-credential", "get"], env, input },
        { name: "ghpat --version", command: node, args: [bin, "--version"], env },
      ],
      { rounds },
    );
    report("git-credential get, token in a real Secret Service (median of interleaved runs)", medians, "floor: read stdin + keytar getPassword", { "ghpat git-credential get": 1.1 });
    report("The same runs against a bare node start", medians, "node -e 0", { "ghpat --version": 1.2 });
  } finally {
    keyring?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
