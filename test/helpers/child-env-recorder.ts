import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "./sandbox.js";

export interface ChildEnvRecorder {
  /** Put first on PATH: stand-ins for the programs ghpat starts. */
  binDir: string;
  /** Every environment a stand-in was started with, NUL-separated variables, one block per start. */
  file: string;
  /** The recorded environments, parsed. */
  environments(): Array<Record<string, string>>;
}

/**
 * Stand-ins for `git` and `gh` that record the environment they were started
 * with, then run the real program (when there is one), so that the command
 * under test behaves as it would. The record file is watched by the
 * sandbox: a canary (a token, the file store's passphrase) in the
 * environment of any program ghpat starts fails the run that started it.
 */
export function recordChildEnvironments(sb: Sandbox, programs: readonly string[] = ["git", "gh"]): ChildEnvRecorder {
  const binDir = join(sb.dir, "recording-bin");
  const file = join(sb.dir, "child-environments");
  mkdirSync(binDir, { recursive: true });
  writeFileSync(file, "");
  for (const program of programs) {
    const real = spawnSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" }).stdout.trim();
    const run = real ? `exec ${JSON.stringify(real)} "$@"` : "exit 1";
    const script = join(binDir, program);
    writeFileSync(script, `#!/bin/sh\n{ env -0; printf '\\036'; } >> ${JSON.stringify(file)}\n${run}\n`);
    chmodSync(script, 0o755);
  }
  sb.watchFile(file);
  return {
    binDir,
    file,
    environments: () =>
      readFileSync(file, "utf8")
        .split("\u001e")
        .filter((block) => block !== "")
        .map((block) =>
          Object.fromEntries(
            block
              .split("\0")
              .filter((v) => v.includes("="))
              .map((v) => [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)]),
          ),
        ),
  };
}
