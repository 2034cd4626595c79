// `ghpat git-credential get` against a real Secret Service, next to its floor:
// a bare script that reads stdin and asks keytar for the same secret.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { measure, report } from "./harness.mjs";
import { startKeyring } from "./keyring.mjs";

const root = resolve(import.meta.dirname, "..");
const bin = join(root, "bin", "ghpat.js");
const node = process.execPath;
// A public, revoked example token (docs/design.md section 9).
const TOKEN = "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";

export async function benchCredential({ rounds = 25 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-credential-"));
  let keyring;
  try {
    keyring = await startKeyring();
    // Explicit: this machine's NODE_EXTRA_CA_CERTS adds ~60 ms to every node start and would hide the differences.
    const env = { ...keyring.env, GHPAT_CONFIG_DIR: join(dir, "config"), GHPAT_KEYCHAIN_SERVICE: "ghpat-bench" };
    const add = spawnSync(node, [bin, "add", "bench", "--stdin", "--no-verify"], {
      env,
      input: TOKEN,
      encoding: "utf8",
    });
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
      if (!check.stdout.includes(`password=${TOKEN}`))
        throw new Error(`${args.join(" ")} did not answer: ${check.stderr}`);
    }

    // The same token in a second index that says it expires in three days: a nudge is due.
    const dueDir = join(dir, "config-due");
    mkdirSync(dueDir, { mode: 0o700 });
    const index = JSON.parse(readFileSync(join(dir, "config", "tokens.json"), "utf8"));
    const now = Date.now();
    index.tokens = index.tokens.map((t) => ({
      ...t,
      expiresAt: new Date(now + 3 * 86_400_000).toISOString(),
      expiryKnown: true,
      lastVerifiedAt: new Date(now).toISOString(),
      status: "valid",
    }));
    writeFileSync(join(dueDir, "tokens.json"), JSON.stringify(index), { mode: 0o600 });
    const dueEnv = { ...env, GHPAT_CONFIG_DIR: dueDir };
    // Rewritten by ghpat itself, as users' indexes are: an index ghpat did not write is validated in full (zod), which would hide what the nudge costs.
    const rewrite = spawnSync(node, [bin, "default", "bench"], { env: dueEnv, encoding: "utf8" });
    if (rewrite.status !== 0) throw new Error(`ghpat could not rewrite the due index: ${rewrite.stderr}`);
    const nudgeState = join(dueDir, "nudges.json");
    const firstOfTheDay = () => rmSync(nudgeState, { force: true });
    firstOfTheDay();
    const nudged = spawnSync(node, [bin, "git-credential", "get"], { env: dueEnv, input, encoding: "utf8" });
    if (!nudged.stdout.includes(`password=${TOKEN}`) || !nudged.stderr.includes("expires on"))
      throw new Error(`the due nudge did not show: ${nudged.stderr}`);

    const medians = measure(
      [
        { name: "node -e 0", command: node, args: ["-e", "0"], env },
        { name: "floor: read stdin + keytar getPassword", command: node, args: [floor], env, input },
        { name: "ghpat git-credential get", command: node, args: [bin, "git-credential", "get"], env, input },
        {
          name: "get, nudge due, already shown today",
          command: node,
          args: [bin, "git-credential", "get"],
          env: dueEnv,
          input,
        },
        {
          name: "get, nudge due and shown (first today)",
          command: node,
          args: [bin, "git-credential", "get"],
          env: dueEnv,
          input,
          before: firstOfTheDay,
        },
        { name: "ghpat --version", command: node, args: [bin, "--version"], env },
      ],
      { rounds },
    );
    report(
      "git-credential get, token in a real Secret Service (median of interleaved runs)",
      medians,
      "floor: read stdin + keytar getPassword",
      {
        "ghpat git-credential get": 1.1,
        "get, nudge due, already shown today": 1.1,
        "get, nudge due and shown (first today)": 1.1,
      },
    );
    report("The same runs against a bare node start", medians, "node -e 0", { "ghpat --version": 1.2 });
  } finally {
    keyring?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
