// `ghpat verify` over 50 stored tokens against a loopback fake API that
// takes 200 ms per request: the wall time shows the bounded concurrency
// (sequential would be 50 × 0.2 s = 10 s). Self-contained: a private D-Bus
// session and gnome-keyring-daemon hold the secrets, and everything is
// stopped and removed at the end.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { clearTimeout, setTimeout } from "node:timers";
import { median, writeIndexAsGhpat } from "./harness.mjs";
import { haveKeyringTools, startKeyring, storeSecret } from "./keyring.mjs";

const TOKENS = 50;
const LATENCY_MS = 200;
const TARGET_MS = 2000;

function startFakeApi(known) {
  const server = createServer((req, res) => {
    setTimeout(() => {
      const login = known.get((req.headers.authorization ?? "").replace(/^token /, ""));
      const headers = {
        "content-type": "application/json",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4000",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      };
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
  console.log(
    `\nverify: ${TOKENS} stored tokens, fake API with ${LATENCY_MS} ms per request (sequential would take ${(TOKENS * LATENCY_MS) / 1000} s)`,
  );
  if (!haveKeyringTools()) {
    console.log("  skipped: needs dbus-daemon, gnome-keyring-daemon and secret-tool (scripts/setup.sh installs them)");
    return;
  }
  const root = resolve(import.meta.dirname, "..");
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-verify-"));
  const keyring = await startKeyring();
  let server;
  try {
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
      if (storeSecret(keyring.env, service, `github.com/${name}`, secret).status !== 0)
        throw new Error("secret-tool store failed");
      tokens.push({
        name,
        host: "github.com",
        login: null,
        type: "classic",
        fingerprint: `ghp_…${secret.slice(-4)}`,
        scopes: null,
        expiresAt: null,
        expiryKnown: false,
        addedAt: new Date().toISOString(),
        lastVerifiedAt: null,
        lastUsedAt: null,
        status: "unverified",
        default: i === 0,
        match: [],
        note: null,
      });
    }
    writeIndexAsGhpat({
      bin: join(root, "bin", "ghpat.js"),
      env: { PATH: process.env.PATH, HOME: dir, GHPAT_CONFIG_DIR: configDir },
      configDir,
      tokens,
    });

    server = await startFakeApi(known);
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      GHPAT_CONFIG_DIR: configDir,
      GHPAT_KEYCHAIN_SERVICE: service,
      DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
      GHPAT_API_URL: `http://127.0.0.1:${server.address().port}`,
    };
    const times = [];
    for (let round = 0; round < rounds; round++) {
      const started = process.hrtime.bigint();
      const result = await new Promise((resolveRun) => {
        const child = spawn(process.execPath, [join(root, "bin", "ghpat.js"), "verify", "--json"], {
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
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
      if (outcomes.length !== TOKENS || !outcomes.every((o) => o.ok))
        throw new Error("ghpat verify did not verify every token");
    }
    const ms = median(times);
    const verdict = ms <= TARGET_MS ? "met" : "MISSED";
    console.log(
      `  ghpat verify (${TOKENS} tokens, concurrency 8)   ${ms.toFixed(0).padStart(6)} ms wall, median of ${rounds}  (target < ${TARGET_MS} ms: ${verdict})`,
    );
  } finally {
    server?.close();
    keyring.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
