/**
 * The one check of git's wiring that setup-git, doctor and status share:
 * which credential helpers git runs for a host, read from git's own
 * configuration (every file, includes and the command line, in git's order;
 * the rules are in src/core/git-helper-chain.ts), and whether the command
 * setup-git wrote still starts ghpat.
 */
import { execFile } from "node:child_process";
import { isAbsolute, resolve } from "node:path";
import { childEnvironment, type Env } from "../../config.js";
import {
  helperWiring,
  parseGitConfigList,
  type GitConfigEntry,
  type HelperWiring,
} from "../../core/git-helper-chain.js";

export interface GitRun {
  /** null when git could not be started at all. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why git did not start (ENOENT: not on PATH). */
  error?: string;
}

/** Runs a program (git unless `command` says otherwise) with ghpat's child environment; never rejects. */
export function runProgram(
  args: readonly string[],
  env: Env,
  options: { cwd?: string | undefined; command?: string; timeoutMs?: number } = {},
): Promise<GitRun> {
  const command = options.command ?? "git";
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        env: childEnvironment(env),
        cwd: options.cwd,
        encoding: "utf8",
        timeout: options.timeoutMs ?? 10_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code === "string") {
          resolve({
            code: null,
            stdout,
            stderr,
            error: error.code === "ENOENT" ? `${command} is not on PATH` : error.message,
          });
          return;
        }
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Every `credential.*` entry git sees from `cwd`, in git's order, or null
 * when git is not installed. Only keys are asked for, so nothing else of
 * the configuration is read.
 */
export async function readCredentialConfig(env: Env, cwd?: string): Promise<GitConfigEntry[] | null> {
  const listed = await runProgram(
    ["config", "--null", "--show-scope", "--show-origin", "--get-regexp", "^credential\\."],
    env,
    { cwd },
  );
  if (listed.code === null) return null;
  // Exit 1: no such key anywhere.
  const entries = listed.code === 0 ? parseGitConfigList(listed.stdout) : [];
  if (!entries.some((e) => e.origin.startsWith("file:") && !isAbsolute(e.origin.slice("file:".length)))) return entries;
  // git names the repository's own files relative to its top level, where it runs from.
  const top = await runProgram(["rev-parse", "--show-toplevel"], env, { cwd });
  const base = top.code === 0 && top.stdout.trim() !== "" ? top.stdout.trim() : (cwd ?? process.cwd());
  return entries.map((e) =>
    e.origin.startsWith("file:") && !isAbsolute(e.origin.slice("file:".length))
      ? { ...e, origin: `file:${resolve(base, e.origin.slice("file:".length))}` }
      : e,
  );
}

/** git's helper list for `https://host` as git would run it from `cwd`; null when git is not installed. */
export async function gitWiring(host: string, env: Env, cwd?: string): Promise<HelperWiring | null> {
  const entries = await readCredentialConfig(env, cwd);
  return entries === null ? null : helperWiring(entries, host);
}

export type HelperProbe = { ok: true; version: string } | { ok: false; why: string };

/** Does a helper command still start ghpat? Asked with --version, so nothing is read or printed. */
export async function probeHelper(command: string, env: Env): Promise<HelperProbe> {
  const outcome = await runProgram(["-c", `${command} --version`], env, { command: "sh" });
  const version = outcome.stdout.trim();
  if (outcome.code === 0 && /^\d+\.\d+\.\d+/.test(version)) return { ok: true, version };
  const why = outcome.error ?? (outcome.stderr.trim().split("\n")[0] || `exit ${outcome.code ?? "killed"}`);
  return { ok: false, why };
}
