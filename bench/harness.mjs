// Whole-process timings: the median of interleaved runs, as a ratio against
// `node -e 0` measured in the same rounds. Noise hits every case alike.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeOnce({ command, args, env, input, before }) {
  // Untimed set-up for each run (a case that must find a file absent, say).
  before?.();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, input, stdio: ["pipe", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

/** cases: [{ name, command, args, env, input, before? }]; returns { name: medianMs }. */
export function measure(cases, { rounds = 25, warmup = 3 } = {}) {
  const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const c of cases) {
      const ms = timeOnce(c);
      if (round >= warmup) samples[c.name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

export function report(title, medians, baselineName, targets = {}) {
  const base = medians[baselineName];
  console.log(`\n${title}`);
  for (const [name, ms] of Object.entries(medians)) {
    const ratio = ms / base;
    const target = targets[name];
    const verdict =
      target === undefined ? "" : ratio <= target ? `  (target ≤ ${target}×: met)` : `  (target ≤ ${target}×: MISSED)`;
    console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${ratio.toFixed(2)}× ${baselineName}${verdict}`);
  }
}

/**
 * Writes `tokens` as the index, then has ghpat itself rewrite it (through
 * `ghpat default`, which touches only the index): the file ends up exactly as
 * ghpat leaves it, validated and stamped, which is what users' machines hold.
 */
export function writeIndexAsGhpat({ bin, env, configDir, tokens }) {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(configDir, "tokens.json"), JSON.stringify({ version: 1, tokens }), { mode: 0o600 });
  const rewrite = spawnSync(process.execPath, [bin, "default", tokens[0].name], { env, encoding: "utf8" });
  if (rewrite.status !== 0) throw new Error(`ghpat could not rewrite the bench index: ${rewrite.stderr}`);
}
