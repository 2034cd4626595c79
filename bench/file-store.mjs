// `ghpat token` and `ghpat git-credential get` on the encrypted file store
// against `node -e 0`: the cost of one scrypt derivation plus the decryption,
// on top of start-up.
import { spawnSync } from "node:child_process";
import { scryptSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure, median, report } from "./harness.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin", "ghpat.js");
const node = process.execPath;

/** The scrypt parameters ghpat writes (src/storage/secrets-file-format.ts), and their neighbours, alone in this process. */
function scryptCost(rounds) {
  const salt = randomBytes(16);
  const rows = {};
  for (const logN of [13, 14, 15, 16]) {
    const N = 2 ** logN;
    const times = [];
    for (let i = 0; i < Math.max(5, Math.floor(rounds / 3)); i++) {
      const start = process.hrtime.bigint();
      scryptSync("benchmark passphrase", salt, 64, { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1024 * 1024 });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    rows[`scrypt N=2^${logN}, r=8, p=1 (${(128 * N * 8) / 2 ** 20} MiB)${logN === 14 ? " ← ghpat" : ""}`] =
      median(times);
  }
  return rows;
}

export async function benchFileStore({ rounds = 25 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-file-"));
  try {
    // No NODE_EXTRA_CA_CERTS or other inherited settings: they change node's start-up.
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      GHPAT_CONFIG_DIR: join(dir, "config"),
      GHPAT_STORE: "file",
      GHPAT_PASSPHRASE: "benchmark passphrase",
    };
    // A public, revoked example token (docs/design.md section 9).
    const token = "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";
    const added = spawnSync(node, [bin, "add", "bench", "--stdin", "--no-verify", "--force"], { env, input: token });
    if (added.status !== 0) throw new Error(`could not seed the file store: ${added.stderr}`);

    const medians = measure(
      [
        { name: "node -e 0", command: node, args: ["-e", "0"], env },
        { name: "ghpat list (file store, no passphrase needed)", command: node, args: [bin, "list"], env },
        { name: "ghpat token (file store: scrypt + AES-GCM)", command: node, args: [bin, "token", "bench"], env },
        {
          name: "ghpat git-credential get (file store)",
          command: node,
          args: [bin, "git-credential", "get"],
          env,
          input: "protocol=https\nhost=github.com\n",
        },
        // The same request for a host ghpat holds no token for: the same file and index read, no secret.
        {
          name: "ghpat git-credential get (no token for the host)",
          command: node,
          args: [bin, "git-credential", "get"],
          env,
          input: "protocol=https\nhost=example.org\n",
        },
      ],
      { rounds },
    );
    report("File store (median of interleaved runs)", medians, "node -e 0");
    const extra =
      medians["ghpat git-credential get (file store)"] - medians["ghpat git-credential get (no token for the host)"];
    console.log(
      `  extra time of git-credential get for reading the file store: ${extra.toFixed(1)} ms (target: under about 100 ms)`,
    );
    const kdf = scryptCost(rounds);
    console.log("\nscrypt alone (median, in this process)");
    for (const [name, ms] of Object.entries(kdf)) console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
