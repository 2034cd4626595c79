import { chmodSync, lstatSync, mkdirSync, statSync } from "node:fs";
import { GhpatError, UsageError } from "../errors.js";
import { compareByHostAndName, emptyIndex, type Index } from "../core/record.js";
import { CONFIG_DIR_MODE, INDEX_FILE_MODE } from "./file-safety.js";
import { isErrno } from "./errno.js";
import { IndexReader, parseIndex, statStamp } from "./index-reader.js";
import type { HeldLock } from "./lock.js";

/**
 * The index as written: records in (host, name) order, one per line, every
 * character outside ASCII escaped. Readers then parse a one-byte string,
 * which costs V8 about half as much as decoding UTF-8; they need not sort
 * what ghpat wrote (an index it did not write is sorted as it is
 * validated); and a diff of two versions shows one line per changed token.
 * Git keeps its index sorted by path for the same reasons.
 */
export function serializeIndex(index: Index): string {
  const { tokens, ...fields } = index;
  const records = [...tokens].sort(compareByHostAndName).map((record) => JSON.stringify(record));
  const body = records.length === 0 ? "" : `\n${records.join(",\n")}\n`;
  // `fields` always holds the version, so its JSON ends in a member, not in "{".
  const text = `${JSON.stringify(fields).slice(0, -1)},"tokens":[${body}]}\n`;
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * The token index `tokens.json`: read as IndexReader reads it, updated under
 * an exclusive lock (see lock.ts), written atomically and validated first.
 * Owner and mode are checked on every write too (file-safety.ts).
 */
export class IndexStore extends IndexReader {
  readonly lockFile: string;

  constructor(file: string) {
    super(file);
    this.lockFile = `${file}.lock`;
  }

  /** Always validates in full: writes are rare and must start from a sound index. */
  private async readForUpdate(): Promise<Index> {
    const snapshot = this.readSnapshot();
    return snapshot === null ? emptyIndex() : parseIndex(snapshot.text, this.file);
  }

  /**
   * Runs `mutate` on the current index under the lock and writes its result
   * atomically (temp file, fsync, rename). `mutate` may do other I/O, such as
   * writing a secret, and throw to abandon the update. Returning the index it
   * was given, unchanged, writes nothing.
   */
  async update<T>(
    mutate: (index: Index) => Promise<{ index: Index; result: T }> | { index: Index; result: T },
  ): Promise<T> {
    this.prepareDirectory();
    const lock = await this.lock();
    try {
      // Whatever a killed writer left is swept by the next one; only the lock holder writes here.
      const { sweepDebris } = await import("./atomic-file.js");
      await sweepDebris(this.file);
      const current = await this.readForUpdate();
      const { index, result } = await mutate(current);
      if (index !== current) {
        const { confirmLockBeforeWrite } = await import("./lock-errors.js");
        await confirmLockBeforeWrite(lock);
        await this.write(index);
      }
      return result;
    } finally {
      await lock.release();
    }
  }

  private prepareDirectory(): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: CONFIG_DIR_MODE });
    } catch (error) {
      throw new UsageError(
        `Cannot create the config directory ${this.dir}: ${(error as Error).message}`,
        "Make its parent writable by you, or point GHPAT_CONFIG_DIR at a directory that is.",
      );
    }
    this.checkPermissions(this.dir, statSync(this.dir), "directory", (mode) => chmodSync(this.dir, mode));
  }

  /** The lock and atomic-write modules load on writes only: reads (git's every fetch) never need them. */
  private async lock(): Promise<HeldLock> {
    const { acquireLock, LockBusyError } = await import("./lock.js");
    try {
      return await acquireLock(this.lockFile);
    } catch (error) {
      if (error instanceof LockBusyError)
        throw (await import("./lock-errors.js")).lockBusyError(`The index ${this.file}`, error);
      throw unwritable(this.dir, error);
    }
  }

  private async write(index: Index): Promise<void> {
    const text = serializeIndex(index);
    // A bug must never write an index that the next read refuses.
    await parseIndex(text, this.file);
    this.refuseSymlink(this.file);
    this.refuseSymlink(this.stampFile);
    const { writeFileAtomic } = await import("./atomic-file.js");
    try {
      await writeFileAtomic(this.file, text, INDEX_FILE_MODE);
      // Written second: a crash in between leaves a stale stamp, which only means a full validation.
      await writeFileAtomic(this.stampFile, statStamp(statSync(this.file)), INDEX_FILE_MODE);
    } catch (error) {
      if (error instanceof GhpatError) throw error;
      throw unwritable(this.dir, error);
    }
  }

  /** Renaming over a link would silently replace it; writing through it would redirect writes outside the config directory. */
  private refuseSymlink(file: string): void {
    try {
      const info = lstatSync(file);
      if (info.isSymbolicLink()) {
        throw new UsageError(
          `${file} is a symbolic link; ghpat will not write through it or replace it. Nothing was changed.`,
          "Replace the link with a copy of the file it points to.",
        );
      }
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
  }
}

/** A directory ghpat cannot write to: say why in words, and that nothing changed. */
function unwritable(dir: string, error: unknown): GhpatError {
  if (error instanceof GhpatError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "EROFS"
      ? "is on a read-only file system"
      : code === "EACCES" || code === "EPERM"
        ? "is not writable by you"
        : code === "ENOSPC" || code === "EDQUOT"
          ? "is on a full disk"
          : `cannot be written (${(error as Error).message})`;
  return new UsageError(
    `The config directory ${dir} ${why}; ghpat changed nothing.`,
    "Make it writable by you, or point GHPAT_CONFIG_DIR at a directory that is.",
  );
}
