// `ghpat verify` over 50 stored tokens against a loopback fake API that
// takes 200 ms per request: the wall time shows the bounded concurrency
// (sequential would be 50 × 0.2 s = 10 s). Self-contained: a private D-Bus
// session and gnome-keyring-daemon hold the secrets, and everything is
// stopped and removed at the end.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { clearTimeout, setTimeout } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { median, writeIndexAsGhpat } from "./harness.mjs";

const TOKENS = 50;
const LATENCY_MS = 200;
const TARGET_MS = 2000;

const have = (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

function startKeyring(dir) {
  const busConfig = join(dir, "bus.conf");
  writeFileSync(
    busConfig,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`,
  );
  const bus = spawnSync("dbus-daemon", [`--config-file=${busConfig}`, "--fork", "--print-address=1", "--print-pid=1"], { encoding: "utf8" });
  if (bus.status !== 0) throw new Error(`dbus-daemon failed: ${bus.stderr}`);
  const [address, busPid] = bus.stdout.trim().split("\n");
  const runtime = join(dir, "run");
  mkdirSync(runtime, { mode: 0o700 });
  const env = { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "xdg"), DBUS_SESSION_BUS_ADDRESS: address };
  const daemon = spawn("gnome-keyring-daemon", ["--foreground", "--unlock", "--components=secrets"], { env, stdio: ["pipe", "ignore", "ignore"] });
  daemon.stdin.end("throwaway-bench-password");
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

function store(env, service, account, secret) {
  return spawnSync("secret-tool", ["store", `--label=${account}`, "xdg:schema", "org.freedesktop.Secret.Generic", "service", service, "account", account], { env, input: secret, encoding: "utf8", timeout: 5000 });
}

async function waitForKeyring(env) {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
    if (store(env, "ghpat-bench-probe", "probe", "ok").status === 0) return;
  }
  throw new Error("gnome-keyring-daemon did not start within 10 s");
}

function startFakeApi(known) {
  const server = createServer((req, res) => {
    setTimeout(() => {
      const login = known.get((req.headers.authorization ?? "").replace(/^token /, ""));
      const headers = { "content-type": "application/json", "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) };
      if (!login) {
        res.writeHead(401, headers).end('{"message":"Bad credentials"}');
        return;
      }
      res.writeHead(200, { ...headers, "x-oauth-scopes": "repo, read:org" }).end(JSON.stringify({ login, id: 1 }));
    }, LATENCY_MS);
  });
  return new Promise((resolveStart) => server.listen(0, "127.0.0.1", () => resolveStart(server)));
}

export async function benchVerify({ rounds = 3 } = {}) {
  console.log(`\nverify: ${TOKENS} stored tokens, fake API with ${LATENCY_MS} ms per request (sequential would take ${(TOKENS * LATENCY_MS) / 1000} s)`);
  if (!["dbus-daemon", "gnome-keyring-daemon", "secret-tool"].every(have)) {
    console.log("  skipped: needs dbus-daemon, gnome-keyring-daemon and secret-tool (scripts/setup.sh installs them)");
    return;
  }
  const root = resolve(import.meta.dirname, "..");
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-verify-"));
  const keyring = startKeyring(dir);
  let server;
  try {
    await waitForKeyring(keyring.env);
    const service = `ghpat-bench-${randomBytes(4).toString("hex")}`;
    const configDir = join(dir, "config");
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const known = new Map();
    const tokens = [];
    for (let i = 0; i < TOKENS; i++) {
      // Not a real token format: the bench stores records directly and verify sends what the keychain holds.
      const secret = `ghp_${randomBytes(15).toString("hex")}bench${String(i).padStart(2, "0")}`;
      const name = `bench-${i}`;
      known.set(secret, `user${i}`);
      if (store(keyring.env, service, `github.com/${name}`, secret).status !== 0) throw new Error("secret-tool store failed");
      tokens.push({ name, host: "github.com", login: null, type: "classic", fingerprint: `ghp_…${secret.slice(-4)}`, scopes: null, expiresAt: null, expiryKnown: false, addedAt: new Date().toISOString(), lastVerifiedAt: null, lastUsedAt: null, status: "unverified", default: i === 0, match: [], note: null });
    }
    writeIndexAsGhpat({ bin: join(root, "bin", "ghpat.js"), env: { PATH: process.env.PATH, HOME: dir, GHPAT_CONFIG_DIR: configDir }, configDir, tokens });

    server = await startFakeApi(known);
    const env = { PATH: process.env.PATH, HOME: dir, GHPAT_CONFIG_DIR: configDir, GHPAT_KEYCHAIN_SERVICE: service, DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, GHPAT_API_URL: `http://127.0.0.1:${server.address().port}` };
    const times = [];
    for (let round = 0; round < rounds; round++) {
      const started = process.hrtime.bigint();
      const result = await new Promise((resolveRun) => {
        const child = spawn(process.execPath, [join(root, "bin", "ghpat.js"), "verify", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolveRun({ code, stdout, stderr });
        });
      });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (result.code !== 0) throw new Error(`ghpat verify exited ${result.code}: ${result.stderr}`);
      const outcomes = JSON.parse(result.stdout);
      if (outcomes.length !== TOKENS || !outcomes.every((o) => o.ok)) throw new Error("ghpat verify did not verify every token");
    }
    const ms = median(times);
    const verdict = ms <= TARGET_MS ? "met" : "MISSED";
    console.log(`  ghpat verify (${TOKENS} tokens, concurrency 8)   ${ms.toFixed(0).padStart(6)} ms wall, median of ${rounds}  (target < ${TARGET_MS} ms: ${verdict})`);
  } finally {
    server?.close();
    keyring.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
