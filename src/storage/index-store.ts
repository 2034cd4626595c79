import { chmod, lstat, mkdir, open, readFile, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname } from "node:path";
import { CorruptIndexError, GhpatError, StoreUnavailableError, UsageError } from "../errors.js";
import { emptyIndex, INDEX_VERSION, type Index } from "../core/record.js";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** How long a lock held by a process that died may block others (proper-lockfile's floor is 2 s). */
const LOCK_STALE_MS = 5_000;

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * What identifies one version of the index file: any rewrite (new inode), any
 * in-place edit or chmod (ctime, which no user call can set back), or a size
 * change alters it. Git trusts its own index by the same stat data.
 */
export function statStamp(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}\n`;
}

/** Parses and validates index text; anything unexpected names the file and is never "repaired". */
export async function parseIndex(text: string, file: string): Promise<Index> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptIndexError(file, `not JSON (${(error as Error).message})`);
  }
  if (typeof data !== "object" || data === null || !("version" in data)) {
    throw new CorruptIndexError(file, "it has no version field");
  }
  if (data.version !== INDEX_VERSION) {
    throw new CorruptIndexError(file, `unknown version ${JSON.stringify(data.version)} (this ghpat reads version ${INDEX_VERSION}; a newer ghpat may have written it)`);
  }
  const { IndexSchema } = await import("../core/record-schema.js");
  const result = IndexSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CorruptIndexError(file, `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const names = new Set<string>();
  for (const record of result.data.tokens) {
    if (names.has(record.name)) throw new CorruptIndexError(file, `the name '${record.name}' appears twice`);
    names.add(record.name);
  }
  return result.data as Index;
}

export function serializeIndex(index: Index): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/**
 * The token index `tokens.json`: read without a lock (writes are atomic
 * renames, so a reader sees the old or the new file, never half of one);
 * updated under an exclusive lock.
 *
 * Every write is validated, and the written file's stat data is left in
 * `tokens.json.validated`. A read of a file whose stat data still matches is
 * of the index ghpat itself validated and wrote, so the hot paths (list,
 * git-credential) skip loading the validator (zod: ~20 ms for 1,000 records
 * on a cold start); any other file is validated in full.
 */
export class IndexStore {
  readonly stampFile: string;

  constructor(readonly file: string) {
    this.stampFile = `${file}.validated`;
  }

  async read(): Promise<Index> {
    const snapshot = await this.readSnapshot();
    if (snapshot === null) return emptyIndex();
    if (await this.isOwnValidatedWrite(snapshot.stats)) {
      try {
        return JSON.parse(snapshot.text) as Index;
      } catch {
        // Fall through to the full check, which names the problem.
      }
    }
    return parseIndex(snapshot.text, this.file);
  }

  /** The text and the stat data of the same open file, so the two cannot come from different versions. */
  private async readSnapshot(): Promise<{ text: string; stats: Stats } | null> {
    let handle;
    try {
      handle = await open(this.file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw new UsageError(`Cannot read the index ${this.file}: ${(error as Error).message}`, "Check the file's owner and permissions.");
    }
    try {
      const stats = await handle.stat();
      const text = await handle.readFile("utf8");
      return { text, stats };
    } finally {
      await handle.close();
    }
  }

  private async readText(): Promise<string | null> {
    try {
      return await readFile(this.file, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw new UsageError(`Cannot read the index ${this.file}: ${(error as Error).message}`, "Check the file's owner and permissions.");
    }
  }

  private async isOwnValidatedWrite(stats: Stats): Promise<boolean> {
    try {
      return (await readFile(this.stampFile, "utf8")) === statStamp(stats);
    } catch {
      return false;
    }
  }

  /** Always validates in full: writes are rare and must start from a sound index. */
  private async readForUpdate(): Promise<Index> {
    const text = await this.readText();
    return text === null ? emptyIndex() : parseIndex(text, this.file);
  }

  /**
   * Runs `mutate` on the current index under the lock and writes its result
   * atomically (temp file, fsync, rename). `mutate` may do other I/O, such as
   * writing a secret, and throw to abandon the update.
   */
  async update<T>(mutate: (index: Index) => Promise<{ index: Index; result: T }> | { index: Index; result: T }): Promise<T> {
    const dir = dirname(this.file);
    await this.prepareDirectory(dir);
    const release = await this.lock();
    try {
      const current = await this.readForUpdate();
      const { index, result } = await mutate(current);
      await this.write(index);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async prepareDirectory(dir: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      await chmod(dir, DIR_MODE);
    } catch (error) {
      throw new UsageError(`Cannot prepare the config directory ${dir}: ${(error as Error).message}`, "Make it writable by you, or point GHPAT_CONFIG_DIR at a directory that is.");
    }
  }

  private async lock(): Promise<() => Promise<void>> {
    const { default: lockfile } = await import("proper-lockfile");
    try {
      return await lockfile.lock(this.file, {
        realpath: false,
        lockfilePath: `${this.file}.lock`,
        stale: LOCK_STALE_MS,
        update: LOCK_STALE_MS / 2,
        retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 100, randomize: true },
        onCompromised: () => undefined,
      });
    } catch (error) {
      if (isErrno(error, "ELOCKED")) {
        throw new StoreUnavailableError(`The index ${this.file} is locked by another ghpat process.`, "Wait for it to finish and try again.");
      }
      throw new UsageError(`Cannot lock the index ${this.file}: ${(error as Error).message}`, "Make the config directory writable by you.");
    }
  }

  private async write(index: Index): Promise<void> {
    const text = serializeIndex(index);
    // A bug must never write an index that the next read refuses.
    await parseIndex(text, this.file);
    await this.refuseSymlink(this.file);
    await this.refuseSymlink(this.stampFile);
    const { default: writeFileAtomic } = await import("write-file-atomic");
    try {
      await writeFileAtomic(this.file, text, { mode: FILE_MODE, fsync: true });
      await chmod(this.file, FILE_MODE);
      // Written second: a crash in between leaves a stale stamp, which only means a full validation.
      await writeFileAtomic(this.stampFile, statStamp(await stat(this.file)), { mode: FILE_MODE, fsync: true });
    } catch (error) {
      if (error instanceof GhpatError) throw error;
      throw new UsageError(`Cannot write the index ${this.file}: ${(error as Error).message}`, "Make the config directory writable by you; nothing was changed.");
    }
  }

  /** write-file-atomic follows symlinks; an index that points elsewhere must not redirect our writes. */
  private async refuseSymlink(file: string): Promise<void> {
    try {
      const stat = await lstat(file);
      if (stat.isSymbolicLink()) {
        throw new UsageError(`${file} is a symbolic link; ghpat will not write through it.`, "Replace the link with the file it points to.");
      }
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
  }
}
