// `ghpat api user` against a loopback fake API, the token in a real Secret
// Service: a command people run in loops. Target: within 2.5× `node -e 0`.
// The API runs in a process of its own, since the measured runs are spawned
// synchronously and would stall a server in this one. Also shows how long
// each process lives after its output (undici's exit delay: aim for ~0).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure, median, report } from "./harness.mjs";
import { haveKeyringTools, startKeyring } from "./keyring.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin", "ghpat.js");
const node = process.execPath;
// A public, revoked example token (docs/design.md section 9).
const TOKEN = "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";

const SERVER = `
const server = require("node:http").createServer((req, res) => {
  const ok = req.headers.authorization === "token ${TOKEN}";
  res.writeHead(ok ? 200 : 401, { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999" });
  res.end(ok ? '{"login":"octocat","id":1,"type":"User"}' : '{"message":"Bad credentials"}');
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

function startServer() {
  const child = spawn(node, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolveStart, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) =>
      resolveStart({ url: `http://127.0.0.1:${String(chunk).trim()}`, stop: () => child.kill() }),
    );
  });
}

/** Milliseconds between a run's last output and its exit, median of `rounds`. */
async function exitDelay(args, env, rounds) {
  const gaps = [];
  for (let i = 0; i < rounds; i++) {
    const child = spawn(node, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let last = 0n;
    child.stdout.on("data", () => (last = process.hrtime.bigint()));
    child.stderr.on("data", () => (last = process.hrtime.bigint()));
    await new Promise((done) => child.on("close", done));
    gaps.push(Number(process.hrtime.bigint() - last) / 1e6);
  }
  return median(gaps);
}

export async function benchApi({ rounds = 25 } = {}) {
  console.log("\napi: ghpat api user against a loopback fake API, token in a real Secret Service");
  if (!haveKeyringTools()) {
    console.log("  skipped: needs dbus-daemon, gnome-keyring-daemon and secret-tool (scripts/setup.sh installs them)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-api-"));
  let keyring;
  let server;
  try {
    keyring = await startKeyring();
    server = await startServer();
    // Explicit: this machine's NODE_EXTRA_CA_CERTS adds ~60 ms to every node start and would hide the differences.
    const env = {
      ...keyring.env,
      GHPAT_CONFIG_DIR: join(dir, "config"),
      GHPAT_KEYCHAIN_SERVICE: "ghpat-bench-api",
      GHPAT_API_URL: server.url,
    };
    const add = spawnSync(node, [bin, "add", "bench", "--stdin", "--no-verify"], {
      env,
      input: TOKEN,
      encoding: "utf8",
    });
    if (add.status !== 0) throw new Error(`ghpat add failed: ${add.stderr}`);
    const check = spawnSync(node, [bin, "api", "user"], { env, encoding: "utf8" });
    if (check.status !== 0 || JSON.parse(check.stdout).login !== "octocat")
      throw new Error(`ghpat api user did not answer: ${check.stderr}`);

    // The floor: the same GET with Node's http and nothing else (no index, no keychain, no output handling).
    const floor = join(dir, "floor.cjs");
    writeFileSync(
      floor,
      `require("node:http").get(${JSON.stringify(`${server.url}/user`)}, { headers: { authorization: "token ${TOKEN}" } }, (res) => { res.pipe(process.stdout); res.on("end", () => process.exit(0)); });\n`,
    );
    const medians = measure(
      [
        { name: "node -e 0", command: node, args: ["-e", "0"], env },
        { name: "floor: GET /user with node:http", command: node, args: [floor], env },
        { name: "ghpat api user", command: node, args: [bin, "api", "user"], env },
        { name: "ghpat api user --paginate", command: node, args: [bin, "api", "user", "--paginate"], env },
      ],
      { rounds },
    );
    report("api (median of interleaved runs)", medians, "node -e 0", { "ghpat api user": 2.5 });
    console.log(
      `  after its output, ghpat api user exits in ${(await exitDelay([bin, "api", "user"], env, 9)).toFixed(1)} ms (median of 9)`,
    );
    console.log(
      `  after its output, ghpat verify exits in ${(await exitDelay([bin, "verify", "bench"], env, 9)).toFixed(1)} ms (median of 9)`,
    );
  } finally {
    server?.stop();
    keyring?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
