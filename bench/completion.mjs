// Shell completion: what one Tab costs. `ghpat __complete names` reads the
// index (1,000 tokens, as ghpat wrote and stamped it, so no validator) and nothing
// else; the bash case is the whole round trip a user waits for.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measure, report, writeIndexAsGhpat } from "./harness.mjs";

export async function benchCompletion({ root, node, rounds }) {
  const bin = join(root, "bin", "ghpat.js");
  const dir = mkdtempSync(join(tmpdir(), "ghpat-bench-completion-"));
  try {
    const configDir = join(dir, "config");
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const tokens = Array.from({ length: 1000 }, (_, i) => ({
      name: `token-${i}`,
      host: "github.com",
      login: `user${i}`,
      type: "classic",
      fingerprint: `ghp_…${String(i).padStart(4, "0")}`,
      scopes: ["repo"],
      expiresAt: null,
      expiryKnown: true,
      addedAt: "2026-01-01T00:00:00.000Z",
      lastVerifiedAt: null,
      lastUsedAt: null,
      status: "valid",
      default: i === 0,
      match: [],
      note: null,
    }));
    const binDir = join(dir, "bin");
    mkdirSync(binDir);
    symlinkSync(bin, join(binDir, "ghpat"));
    const env = { PATH: `${binDir}:${process.env.PATH}`, HOME: dir, GHPAT_CONFIG_DIR: configDir };
    writeIndexAsGhpat({ bin, env, configDir, tokens });
    const script = join(dir, "ghpat.bash");
    writeFileSync(script, spawnSync(node, [bin, "completion", "bash"], { env, encoding: "utf8" }).stdout);
    const tab = (line) => `source ${script}; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; _ghpat`;

    const medians = measure(
      [
        { name: "node -e 0", command: node, args: ["-e", "0"], env },
        { name: "ghpat __complete names (1,000 tokens)", command: node, args: [bin, "__complete", "names"], env },
        { name: "bash: Tab after 'ghpat '", command: "bash", args: ["--norc", "-c", tab("ghpat ")], env },
        { name: "bash: Tab after 'ghpat token '", command: "bash", args: ["--norc", "-c", tab("ghpat token ")], env },
      ],
      { rounds },
    );
    report("Shell completion (median of interleaved runs)", medians, "node -e 0", {
      "ghpat __complete names (1,000 tokens)": 1.5,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
