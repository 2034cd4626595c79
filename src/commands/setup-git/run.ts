import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { resolveHost } from "../../config.js";
import {
  describeEntry,
  helperName,
  originFile,
  parseGitConfigList,
  type GitConfigEntry,
  type HelperWiring,
} from "../../core/git-helper-chain.js";
import { CheckFailedError, NotFoundError, UsageError } from "../../errors.js";
import type { Context } from "../shared/context.js";
import { gitWiring, runProgram, type GitRun } from "../shared/git-wiring.js";
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

async function gitConfig(
  args: string[],
  ctx: Context,
  options: SetupGitOptions,
  allowedCodes: number[] = [0],
): Promise<GitRun & { code: number }> {
  const result = await runProgram(["config", `--${options.scope}`, ...args], ctx.env, { cwd: options.cwd });
  if (result.code === null) {
    throw new NotFoundError(
      "git was not found on PATH.",
      "Install git, or put it on PATH, and run 'ghpat setup-git' again.",
    );
  }
  if (!allowedCodes.includes(result.code)) {
    const inRepoHint = options.scope === "local" ? " --local works inside a git repository only." : "";
    throw new UsageError(
      `git config failed: ${result.stderr.trim() || `exit ${result.code}`}`,
      `Check that git can write its ${options.scope} configuration.${inRepoHint}`,
    );
  }
  return { ...result, code: result.code };
}

function section(host: string): string {
  return `credential.https://${host}`;
}

/** The entries of ghpat's section (`[credential "https://host"]`) in the file setup-git writes, in order. */
async function ownSection(host: string, ctx: Context, options: SetupGitOptions): Promise<GitConfigEntry[]> {
  const pattern = `^${section(host).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[^.]+$`;
  // Exit 1: the section holds nothing.
  const listed = await gitConfig(
    ["--null", "--show-scope", "--show-origin", "--get-regexp", pattern],
    ctx,
    options,
    [0, 1],
  );
  return listed.code === 0 ? parseGitConfigList(listed.stdout) : [];
}

async function wiringFor(host: string, ctx: Context, options: SetupGitOptions): Promise<HelperWiring> {
  const wiring = await gitWiring(host, ctx.env, options.cwd);
  if (wiring === null)
    throw new NotFoundError(
      "git was not found on PATH.",
      "Install git, or put it on PATH, and run 'ghpat setup-git' again.",
    );
  return wiring;
}

function isHelperKey(entry: GitConfigEntry): boolean {
  return entry.key.toLowerCase().endsWith(".helper");
}

function isUseHttpPath(entry: GitConfigEntry): boolean {
  return entry.key.toLowerCase().endsWith(".usehttppath");
}

/**
 * Rewrites ghpat's section at the end of the file: git reads a file top to
 * bottom, so the reset there comes after every helper configured above it
 * (a later `[credential] helper = store`, an include). The section's other
 * keys are written back after the helper entries.
 */
async function rewriteSection(
  host: string,
  command: string,
  own: GitConfigEntry[],
  ctx: Context,
  options: SetupGitOptions,
): Promise<void> {
  const key = helperKey(host);
  // Values git config --add would otherwise put back into the old place of the section.
  if (own.length > 0) await gitConfig(["--remove-section", section(host)], ctx, options);
  await gitConfig(["--add", key, ""], ctx, options);
  await gitConfig(["--add", key, command], ctx, options);
  for (const entry of own) {
    if (isHelperKey(entry) || (options.path && isUseHttpPath(entry))) continue;
    await gitConfig(["--add", entry.key, entry.bare ? "true" : entry.value], ctx, options);
  }
  if (options.path) await gitConfig(["--add", useHttpPathKey(host), "true"], ctx, options);
}

/** What to do about a helper setup-git could not move ghpat's reset after. */
function removal(entry: GitConfigEntry): string {
  const file = originFile(entry);
  if (file === null) return `drop ${entry.key} from the command line or GIT_CONFIG_* variables`;
  return `${entry.scope === "system" ? "sudo " : ""}git config --file ${shellQuote(file)} --unset-all ${shellQuote(entry.key)}`;
}

/**
 * Points git at ghpat for one host, so that git's effective helper list for
 * https://host is ghpat alone. The list is computed as git does (every
 * file, includes, the command line; src/core/git-helper-chain.ts). When
 * another helper is still in it, ghpat's section (an empty value, which
 * clears the list, then ghpat) is rewritten at the end of the file, after
 * the helpers it can move past; the ones read after that file (a
 * repository's own configuration, the command line) are named, and the
 * command fails (exit 1). A run that has nothing to change says so and
 * writes nothing.
 */
export async function runSetupGit(options: SetupGitOptions, ctx: Context): Promise<"unset" | "unchanged" | "written"> {
  const host = resolveHost(options.host, ctx.env);
  const key = helperKey(host);
  // git config exits 5 when asked to unset a key that is not set.
  const NOT_SET = 5;

  if (options.unset) {
    await gitConfig(["--unset-all", key], ctx, options, [0, NOT_SET]);
    if (options.path) await gitConfig(["--unset-all", useHttpPathKey(host)], ctx, options, [0, NOT_SET]);
    ctx.out.info(`git (${options.scope}) no longer asks ghpat for https://${host} credentials.`);
    return "unset";
  }

  const command = helperCommand(absolute(options.nodePath), absolute(options.binPath));
  const own = await ownSection(host, ctx, options);
  const before = await wiringFor(host, ctx, options);
  const ownHelpers = own.filter(isHelperKey).map((e) => e.value);
  const helpersInPlace =
    ownHelpers.length === 2 &&
    ownHelpers[0] === "" &&
    ownHelpers[1] === command &&
    before.state === "ghpat" &&
    before.ghpat.every((e) => e.value === command);
  const pathInPlace =
    !options.path || own.some((e) => isUseHttpPath(e) && (e.bare === true || /^(true|yes|on|1)$/i.test(e.value)));
  if (helpersInPlace && pathInPlace) {
    ctx.out.info(
      `git (${options.scope}) already asks ghpat, and only ghpat, for https://${host} credentials: already set up, nothing changed.`,
    );
    return "unchanged";
  }
  if (helpersInPlace) await gitConfig(["--replace-all", useHttpPathKey(host), "true"], ctx, options);
  else await rewriteSection(host, command, own, ctx, options);

  const after = await wiringFor(host, ctx, options);
  if (after.state !== "ghpat") {
    const stuck = after.state === "none" && after.lastReset ? [after.lastReset] : after.foreign;
    const named = stuck
      .map((e) => `${e.value === "" ? "an empty helper" : `'${helperName(e)}'`} (${describeEntry(e)})`)
      .join(", ");
    throw new CheckFailedError(
      after.state === "none"
        ? `git (${options.scope}) has ghpat's entries for https://${host}, but ${named}, read after them, clears them: git does not ask ghpat.`
        : `git still runs ${stuck.length === 1 ? "another helper" : `${stuck.length} other helpers`} for https://${host} besides ghpat, and hands ${stuck.length === 1 ? "it" : "them"} the tokens ghpat gives: ${named}. setup-git cannot move ghpat's entries after ${stuck.length === 1 ? "it" : "them"}, since git reads ${stuck.length === 1 ? "that entry" : "those entries"} after the ${options.scope} file.`,
      `Remove ${stuck.length === 1 ? "it" : "them"} (${stuck.map(removal).join("; ")})${stuck.some((e) => e.scope === "local") && options.scope === "global" ? ", or run 'ghpat setup-git --local' in that repository" : ""}, then run 'ghpat setup-git' again.`,
    );
  }
  const moved = before.foreign;
  ctx.out.info(
    `git (${options.scope}) now asks ghpat for https://${host} credentials${options.path ? ", sending the repository path so --match patterns choose the token" : ""}.`,
  );
  ctx.out.info(`  ${key} = ${command}`);
  if (moved.length > 0)
    ctx.out.info(
      `  ghpat's reset now comes after ${moved.map((e) => `'${helperName(e)}' (${describeEntry(e)})`).join(", ")}, which git no longer runs for this host.`,
    );
  return "written";
}

export const run: RunFunction<typeof setupGitSpec> = (options, ctx) =>
  runSetupGit(
    {
      host: options.host,
      scope: options.local ? "local" : "global",
      path: options.path,
      unset: options.unset,
      nodePath: ctx.self.node,
      binPath: ctx.self.script,
    },
    ctx,
  );
