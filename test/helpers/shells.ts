import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe } from "vitest";
import { BIN, runProcess } from "./sandbox.js";

/** Whether a shell is installed. */
export function haveShell(name: "bash" | "zsh" | "fish"): boolean {
  return spawnSync(name, ["-c", "exit 0"], { stdio: "ignore" }).status === 0;
}

/**
 * Runs when the shell is installed. On Linux CI (scripts/debian-packages.txt
 * installs zsh and fish) a missing shell is a failure, not a skip.
 */
export function describeShell(name: "bash" | "zsh" | "fish"): typeof describe | typeof describe.skip {
  // Git Bash on Windows is no user's completion shell, and symlinks there need privileges.
  if (process.platform === "win32") return describe.skip;
  if (haveShell(name)) return describe;
  if (process.env.CI && process.platform === "linux")
    throw new Error(
      `${name} is not installed; with CI set on Linux this is a failure (scripts/debian-packages.txt lists it).`,
    );
  process.stderr.write(`\n!!! ${name} is not installed: its completion tests are SKIPPED.\n\n`);
  return describe.skip;
}

/** A directory holding `ghpat` (the built CLI), to put first on PATH as a user's install would be. */
export function ghpatOnPath(dir: string): string {
  const binDir = join(dir, "path-bin");
  mkdirSync(binDir, { recursive: true });
  symlinkSync(BIN, join(binDir, "ghpat"));
  return binDir;
}

export interface ShellRun {
  env: Record<string, string>;
  script: string;
}

function withPath(env: Record<string, string>, binDir: string | undefined): Record<string, string> {
  return binDir ? { ...env, PATH: `${binDir}:${env.PATH ?? ""}` } : env;
}

const BASH_DRIVER = `
source "$1" || exit 90
complete -p ghpat >/dev/null || exit 91
COMP_LINE="$2"
COMP_POINT=\${#COMP_LINE}
# What bash itself would set (it also splits at COMP_WORDBREAKS).
COMP_WORDBREAKS=$' \\t\\n"\\'@><=;|&(:'
IFS=$' \\t\\n' read -r -a COMP_WORDS <<< "$COMP_LINE"
case "$COMP_LINE" in *" ") COMP_WORDS+=("") ;; esac
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_ghpat ghpat "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}" || exit 92
printf '%s\\n' "\${COMPREPLY[@]}"
`;

/** Sources the bash script in a real bash, sets COMP_LINE and friends as bash would, calls _ghpat, returns COMPREPLY. */
export async function bashComplete(
  scriptFile: string,
  line: string,
  env: Record<string, string>,
  binDir?: string,
): Promise<string[]> {
  const result = await runProcess("bash", ["--norc", "--noprofile", "-c", BASH_DRIVER, "bash", scriptFile, line], {
    env: withPath(env, binDir),
    timeoutMs: 20_000,
  });
  if (result.code !== 0) throw new Error(`bash completion driver exited ${result.code}: ${result.stderr}`);
  return result.stdout.split("\n").filter((l) => l !== "");
}

/**
 * Sources the zsh script in a real zsh with the completion system's
 * builtins replaced by recorders (they only work inside a live completion
 * widget), sets `words`/`CURRENT` as zsh would, and returns what was offered:
 * `_describe` entries as NAME:DESCRIPTION, compadd words, or "<files>".
 */
const ZSH_DRIVER = `
compdef() { :; }
source "$1" || exit 90
_describe() { local arr=\${@[-1]}; print -rl -- "\${(@P)arr}"; }
compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
compset() { return 1; }
_files() { print -r -- "<files>"; }
_normal() { print -r -- "<normal:\${words[1]}:$CURRENT>"; }
words=("\${(@z)2}")
[[ $2 == *" " ]] && words+=("")
CURRENT=\${#words}
_ghpat
exit 0
`;

export async function zshComplete(
  scriptFile: string,
  line: string,
  env: Record<string, string>,
  binDir?: string,
): Promise<string[]> {
  const result = await runProcess("zsh", ["-f", "-c", ZSH_DRIVER, "zsh", scriptFile, line], {
    env: withPath(env, binDir),
    timeoutMs: 20_000,
  });
  if (result.code !== 0) throw new Error(`zsh completion driver exited ${result.code}: ${result.stderr}`);
  return result.stdout.split("\n").filter((l) => l !== "");
}

/** Sources the fish script in a real fish and asks fish itself: `complete -C LINE` (NAME<TAB>description lines). */
export async function fishComplete(
  scriptFile: string,
  line: string,
  env: Record<string, string>,
  binDir?: string,
): Promise<string[]> {
  const result = await runProcess(
    "fish",
    ["--no-config", "-c", 'source $argv[1]; or exit 90; complete -C"$argv[2]"', scriptFile, line],
    { env: withPath(env, binDir), timeoutMs: 20_000 },
  );
  if (result.code !== 0) throw new Error(`fish exited ${result.code}: ${result.stderr}`);
  return result.stdout.split("\n").filter((l) => l !== "");
}

/** Writes text to a file under `dir` and returns its path. */
export function writeScript(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
