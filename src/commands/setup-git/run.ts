import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { childEnvironment, resolveHost } from "../../config.js";
import { NotFoundError, UsageError } from "../../errors.js";
import type { Context } from "../shared/context.js";
import type { RunFunction } from "../shared/spec.js";
import type { setupGitSpec } from "./spec.js";

/** What setup-git writes, worked out from its flags (run below) or given by a test. */
export interface SetupGitOptions {
  host?: string | undefined;
  scope: "global" | "local";
  /** Also set useHttpPath, so git sends owner/repo and `--match` patterns apply. */
  path: boolean;
  unset: boolean;
  /** The node binary and ghpat's bin script, made absolute so git GUIs without the user's PATH find them. */
  nodePath: string;
  binPath: string;
  cwd?: string | undefined;
}

const SHELL_SAFE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** Quotes one word for the POSIX shell git runs `!` helpers with. */
export function shellQuote(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function helperCommand(nodePath: string, binPath: string): string {
  return `!${shellQuote(nodePath)} ${shellQuote(binPath)} git-credential`;
}

export function helperKey(host: string): string {
  return `credential.https://${host}.helper`;
}

export function useHttpPathKey(host: string): string {
  return `credential.https://${host}.useHttpPath`;
}

/** The real file behind a symlinked bin (npm's global bin links), so the entry survives PATH changes. */
function absolute(file: string): string {
  const full = resolve(file);
  try {
    return realpathSync(full);
  } catch {
    return full;
  }
}

interface GitResult {
  code: number;
  stderr: string;
}

function git(args: string[], ctx: Context, cwd: string | undefined): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    execFile("git", args, { env: childEnvironment(ctx.env), cwd, encoding: "utf8" }, (error, _stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new NotFoundError("git was not found on PATH.", "Install git, or put it on PATH, and run 'ghpat setup-git' again."));
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolvePromise({ code, stderr: stderr.trim() });
    });
  });
}

async function gitConfig(args: string[], ctx: Context, options: SetupGitOptions, allowedCodes: number[] = [0]): Promise<void> {
  const result = await git(["config", `--${options.scope}`, ...args], ctx, options.cwd);
  if (!allowedCodes.includes(result.code)) {
    const inRepoHint = options.scope === "local" ? " --local works inside a git repository only." : "";
    throw new UsageError(`git config failed: ${result.stderr || `exit ${result.code}`}`, `Check that git can write its ${options.scope} configuration.${inRepoHint}`);
  }
}

/**
 * Points git at ghpat for one host. The helper list for that URL is first
 * reset with an empty value, so helpers configured elsewhere (a plain-text
 * store, a GUI's manager) are not asked before or instead of ghpat. Running
 * it again replaces the same entries: the result is always one reset and one
 * ghpat entry.
 */
export async function runSetupGit(options: SetupGitOptions, ctx: Context): Promise<void> {
  const host = resolveHost(options.host, ctx.env);
  const key = helperKey(host);
  // git config exits 5 when asked to unset a key that is not set.
  const NOT_SET = 5;

  if (options.unset) {
    await gitConfig(["--unset-all", key], ctx, options, [0, NOT_SET]);
    if (options.path) await gitConfig(["--unset-all", useHttpPathKey(host)], ctx, options, [0, NOT_SET]);
    ctx.out.info(`git (${options.scope}) no longer asks ghpat for https://${host} credentials.`);
    return;
  }

  const command = helperCommand(absolute(options.nodePath), absolute(options.binPath));
  await gitConfig(["--replace-all", key, ""], ctx, options);
  await gitConfig(["--add", key, command], ctx, options);
  if (options.path) await gitConfig(["--replace-all", useHttpPathKey(host), "true"], ctx, options);
  ctx.out.info(`git (${options.scope}) now asks ghpat for https://${host} credentials${options.path ? ", sending the repository path so --match patterns choose the token" : ""}.`);
  ctx.out.info(`  ${key} = ${command}`);
}

export const run: RunFunction<typeof setupGitSpec> = (options, ctx) =>
  runSetupGit({ host: options.host, scope: options.local ? "local" : "global", path: options.path, unset: options.unset, nodePath: ctx.self.node, binPath: ctx.self.script }, ctx);
