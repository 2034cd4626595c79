import { execFile } from "node:child_process";
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { childEnvironment, type Env } from "../../config.js";
import { findTokens, looksBinary } from "../../core/scan/detect.js";
import { findingsIn, type FindingSource, type FoundToken } from "../../core/scan/finding.js";
import { NotFoundError, UsageError } from "../../errors.js";

export interface ScanStats {
  files: number;
  binary: number;
  tooLarge: number;
  symlinks: number;
  unreadable: number;
}

export function emptyStats(): ScanStats {
  return { files: 0, binary: 0, tooLarge: 0, symlinks: 0, unreadable: 0 };
}

export interface FileToScan {
  path: string;
  source: FindingSource;
}

/** Runs git in `cwd`; stdout as a Buffer, or null when git says no (not a repository). Missing git is an error. */
export function git(
  args: readonly string[],
  cwd: string,
  env: Env,
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      args,
      { cwd, env: childEnvironment(env), encoding: "buffer", maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new NotFoundError(
              "git was not found on PATH.",
              "Install git, or scan outside a repository with plain files.",
            ),
          );
          return;
        }
        const code = error ? Number((error as { code?: unknown }).code ?? 1) || 1 : 0;
        resolvePromise({ code, stdout, stderr: stderr.toString("utf8") });
      },
    );
  });
}

/** Whether `dir` is inside a git work tree (not a .git directory, not a bare repository). */
export async function inWorkTree(dir: string, env: Env): Promise<boolean> {
  const info = await lstat(dir).catch(() => null);
  if (info === null || !info.isDirectory())
    throw new UsageError(`${dir} is not a directory.`, "Name a directory inside a git work tree.");
  // No .git in it or above it, and no GIT_DIR to say otherwise: no work tree, and no git process to start to learn so.
  if (!env.GIT_DIR && !env.GIT_WORK_TREE && !hasGitAbove(resolve(dir))) return false;
  const result = await git(["rev-parse", "--is-inside-work-tree"], dir, env);
  return result.code === 0 && result.stdout.toString("utf8").trim() === "true";
}

function hasGitAbove(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return true;
    if (dirname(at) === at) return false;
  }
}

/** Tracked and untracked files under `dir`, without ignored ones unless `allFiles`. */
async function gitFiles(dir: string, allFiles: boolean, env: Env): Promise<string[]> {
  const args = [
    "-c",
    "core.quotePath=false",
    "ls-files",
    "-z",
    "--cached",
    "--others",
    ...(allFiles ? [] : ["--exclude-standard"]),
  ];
  const result = await git(args, dir, env);
  if (result.code !== 0)
    throw new UsageError(
      `git could not list the files of ${dir}: ${result.stderr.trim()}`,
      "Check that the repository is readable, or scan with --all-files.",
    );
  const names = result.stdout
    .toString("utf8")
    .split("\0")
    .filter((n) => n !== "");
  return [...new Set(names)].map((name) => join(dir, name));
}

/**
 * Every regular file under `dir` outside git: symlinks are counted, never
 * followed (so a link loop costs nothing). A directory holding `.git` is a
 * work tree of its own, listed by git.
 */
async function walk(dir: string, allFiles: boolean, env: Env, stats: ScanStats, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    stats.unreadable++;
    return;
  }
  if (entries.some((e) => e.name === ".git") && (await inWorkTree(dir, env))) {
    out.push(...(await gitFiles(dir, allFiles, env)));
    return;
  }
  const dirs: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) stats.symlinks++;
    else if (entry.isFile()) out.push(path);
    else if (entry.isDirectory()) dirs.push(path);
  }
  for (const sub of dirs) await walk(sub, allFiles, env, stats, out);
}

/** The files a PATH stands for: git's list inside a work tree, every regular file outside one. */
export async function listFiles(
  paths: readonly string[],
  allFiles: boolean,
  env: Env,
  stats: ScanStats,
): Promise<string[]> {
  const out: string[] = [];
  for (const given of paths) {
    const path = resolve(given);
    const info = await lstat(path).catch(() => null);
    if (info === null) throw new UsageError(`${given} does not exist.`, "Name a file or directory to scan.");
    if (info.isSymbolicLink()) stats.symlinks++;
    else if (info.isFile()) out.push(path);
    else if (info.isDirectory()) {
      if (await inWorkTree(path, env)) out.push(...(await gitFiles(path, allFiles, env)));
      else await walk(path, allFiles, env, stats, out);
    }
  }
  return [...new Set(out)];
}

/** How a path is shown: relative to the current directory when under it, else as it is. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

const INITIAL_BUFFER = 1 << 20;

/**
 * Reads each file (opened without following a link, regular files only, at
 * most `maxBytes`), skips binary ones, and finds the tokens in the rest.
 *
 * The reads are synchronous, one file after another, into one reused
 * buffer, which is how grep reads. Parallel reads through libuv's thread
 * pool were measured first (8 at once, FileHandles or plain descriptors,
 * a buffer per reader): on a warm page cache each file then costs three or
 * four thread hand-offs, and the 120 MB bench tree took 3-6 times as long
 * to read as this loop (0.6-1 s against 0.1-0.4 s on a loaded 2-core
 * machine), more than the whole search. A cold cache gains little from
 * parallel reads of small files beyond the kernel's read-ahead, and grep,
 * the floor, reads sequentially too.
 */
export async function scanFiles(
  files: readonly FileToScan[],
  maxBytes: number,
  stats: ScanStats,
  found: FoundToken[],
): Promise<void> {
  let buffer = Buffer.allocUnsafe(Math.min(INITIAL_BUFFER, maxBytes + 1));
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  for (const { path, source } of files) {
    let fd: number;
    try {
      fd = openSync(path, flags);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ELOOP") stats.symlinks++;
      else if ((error as NodeJS.ErrnoException).code !== "ENOENT") stats.unreadable++;
      continue;
    }
    try {
      // Most files fit the buffer: read first, and ask the size only of one that fills it.
      let filled = readSync(fd, buffer, 0, buffer.length, 0);
      if (filled === buffer.length) {
        const info = fstatSync(fd);
        if (!info.isFile()) continue;
        if (info.size > maxBytes) {
          stats.tooLarge++;
          continue;
        }
        if (info.size > buffer.length) {
          const grown = Buffer.allocUnsafe(info.size);
          buffer.copy(grown, 0, 0, filled);
          buffer = grown;
        }
        while (filled < info.size) {
          const bytesRead = readSync(fd, buffer, filled, info.size - filled, filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
      } else if (filled > maxBytes) {
        stats.tooLarge++;
        continue;
      }
      const content = buffer.subarray(0, filled);
      stats.files++;
      if (looksBinary(content)) {
        stats.binary++;
        continue;
      }
      const candidates = findTokens(content);
      // Findings copy what they keep (strings): the buffer is reused.
      if (candidates.length > 0) found.push(...findingsIn(content, candidates, { file: displayPath(path), source }));
    } catch (error) {
      // A directory (a submodule git lists) is no file to read.
      if ((error as NodeJS.ErrnoException).code !== "EISDIR") stats.unreadable++;
    } finally {
      closeSync(fd);
    }
  }
}
