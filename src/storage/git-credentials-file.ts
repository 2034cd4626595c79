import { constants } from "node:fs";
import { open, readFile, realpath, rename, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { Env } from "../config.js";
import { StoreUnavailableError } from "../errors.js";
import { isErrno } from "./errno.js";

/** Where git's credential-store looks, in its order: ~/.git-credentials, then $XDG_CONFIG_HOME/git/credentials. */
export function gitCredentialsCandidates(env: Env): string[] {
  const home = env.HOME || homedir();
  const xdg = env.XDG_CONFIG_HOME || join(home, ".config");
  return [join(home, ".git-credentials"), join(xdg, "git", "credentials")];
}

export async function firstExisting(files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}

const LOCK_ATTEMPTS = 20;
const LOCK_WAIT_MS = 50;

/** git's own lock protocol: create `<file>.lock` exclusively; whoever holds it may replace the file by renaming the lock over it. */
async function takeGitLock(lockPath: string, mode: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    } catch (error) {
      if (!isErrno(error, "EEXIST") || attempt >= LOCK_ATTEMPTS) {
        const detail = isErrno(error, "EEXIST")
          ? "another process (git) holds its lock file"
          : (error as Error).message;
        throw new StoreUnavailableError(
          `Cannot lock ${lockPath.slice(0, -".lock".length)}: ${detail}.`,
          isErrno(error, "EEXIST")
            ? `Try again; if no git command is running, delete ${lockPath}.`
            : "Check the directory's permissions.",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
    }
  }
}

function timestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

export interface RewriteResult {
  changed: boolean;
  backup: string | null;
}

/**
 * Replaces a git credentials file with `transform(current bytes)` the way git
 * itself does: under `<file>.lock`, written and fsynced, then renamed over
 * the file (a symlink is followed, so the link stays), keeping the file's
 * mode. The current bytes are read under the lock, so a concurrent
 * `git credential approve` is never lost. With `backup`, the old bytes are
 * first saved next to it (mode 0600).
 */
export async function rewriteGitCredentials(
  file: string,
  transform: (data: Buffer) => Buffer,
  options: { backup: boolean; now: Date },
): Promise<RewriteResult> {
  const target = await realpath(file);
  const lockPath = `${target}.lock`;
  const mode = (await stat(target)).mode & 0o7777;
  const lock = await takeGitLock(lockPath, mode);
  let renamed = false;
  try {
    const before = await readFile(target);
    const after = transform(before);
    if (after.equals(before)) return { changed: false, backup: null };
    let backup: string | null = null;
    if (options.backup) {
      backup = `${file}.ghpat-backup-${timestamp(options.now)}`;
      const handle = await open(backup, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(before);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await lock.writeFile(after);
    await lock.chmod(mode);
    await lock.sync();
    await lock.close();
    await rename(lockPath, target);
    renamed = true;
    await syncDirectory(dirname(target));
    return { changed: true, backup };
  } finally {
    if (!renamed) {
      await lock.close().catch(() => undefined);
      await unlink(lockPath).catch(() => undefined);
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
