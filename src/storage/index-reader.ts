import { chmodSync, closeSync, fchmodSync, fstatSync, openSync, readFileSync, statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { CorruptIndexError, UsageError } from "../errors.js";
import {
  compareByHostAndName,
  emptyIndex,
  identityProblem,
  INDEX_VERSION,
  type Index,
  type TokenRecord,
} from "../core/record.js";
import { isErrno } from "./errno.js";
import { judgePermissions, UnsafePermissionsError } from "./file-safety.js";

/**
 * What identifies one version of the index file: any rewrite (new inode), any
 * in-place edit or chmod (ctime, which no user call can set back), or a size
 * change alters it. Git trusts its own index by the same stat data.
 */
export function statStamp(stats: Stats): string {
  return `${STAMP_RULES}:${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}\n`;
}

/**
 * Which rules a stamp vouches for. A stamp written before names, hosts and
 * logins were checked on read vouches for less than this ghpat asks, so it
 * matches no file: that index is validated in full once, then stamped anew.
 */
const STAMP_RULES = "rules-2";

/**
 * Names, hosts and logins (record.ts identityProblem), the fields that reach
 * keychain accounts, shells, calendars and terminals: checked on every read,
 * the fast one too, as strictly as they are on write. Two regular
 * expressions per record cost microseconds.
 */
function checkIdentities(tokens: readonly TokenRecord[], file: string): void {
  for (const record of tokens) {
    const problem = identityProblem(record);
    if (problem !== null) throw new CorruptIndexError(file, problem);
  }
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
    throw new CorruptIndexError(
      file,
      `unknown version ${JSON.stringify(data.version)} (this ghpat reads version ${INDEX_VERSION}; a newer ghpat may have written it)`,
    );
  }
  const { IndexSchema, describeIndexIssue } = await import("../core/record-schema.js");
  const result = IndexSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CorruptIndexError(
      file,
      issue === undefined ? "it does not have the shape of an index" : describeIndexIssue(issue, data),
    );
  }
  checkIdentities(result.data.tokens as TokenRecord[], file);
  const names = new Set<string>();
  for (const record of result.data.tokens) {
    if (names.has(record.name)) throw new CorruptIndexError(file, `the name '${record.name}' appears twice`);
    names.add(record.name);
  }
  // In the order ghpat writes (serializeIndex), which readers rely on.
  result.data.tokens.sort(compareByHostAndName);
  return result.data as Index;
}

/**
 * Reads the token index `tokens.json`, its records in (host, name) order,
 * without a lock: writes are atomic renames, so a reader sees the old or the
 * new file, never half of one. This is all that list, __complete and git's
 * lookups need; updates (index-store.ts) add the lock and the writes.
 *
 * Every write is validated, and the written file's stat data is left in
 * `tokens.json.validated`. A read of a file whose stat data still matches is
 * of the index ghpat itself validated and wrote, so the hot paths (list,
 * git-credential) skip loading the validator (zod: ~20 ms for 1,000 records
 * on a cold start); any other file is validated in full.
 *
 * Owner and mode are checked on every read (file-safety.ts).
 */
export class IndexReader {
  readonly stampFile: string;
  readonly dir: string;

  constructor(readonly file: string) {
    this.stampFile = `${file}.validated`;
    this.dir = dirname(file);
  }

  async read(): Promise<Index> {
    const snapshot = this.readSnapshot();
    if (snapshot === null) return emptyIndex();
    if (this.isOwnValidatedWrite(snapshot.stats)) {
      let index: Index | undefined;
      try {
        index = JSON.parse(snapshot.text) as Index;
      } catch {
        // Fall through to the full check, which names the problem.
      }
      if (index !== undefined && Array.isArray(index.tokens)) {
        checkIdentities(index.tokens, this.file);
        return index;
      }
    }
    return parseIndex(snapshot.text, this.file);
  }

  /**
   * The text and the stat data of the same open file, so the two cannot come
   * from different versions. Synchronous: one small local file, read on every
   * git fetch, where fs/promises and its stream machinery would cost more
   * than the read itself.
   */
  protected readSnapshot(): { text: string; stats: Stats } | null {
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw new UsageError(
        `Cannot read the index ${this.file}: ${(error as Error).message}`,
        "Check the file's owner and permissions.",
      );
    }
    try {
      const info = fstatSync(fd);
      // Before the permission check, which would otherwise "tighten" a directory to 0600.
      if (!info.isFile())
        throw new CorruptIndexError(this.file, `it is ${info.isDirectory() ? "a directory" : "not a regular file"}`);
      this.checkPermissions(this.file, info, "file", (mode) => fchmodSync(fd, mode));
      this.checkPermissions(this.dir, statSync(this.dir), "directory", (mode) => chmodSync(this.dir, mode));
      // Taken after any tightening chmod, which changes ctime.
      const stats = fstatSync(fd);
      return { text: readFileSync(fd, "utf8"), stats };
    } finally {
      closeSync(fd);
    }
  }

  /** Refuses what others may have changed; tightens what others may only read (best effort: a read-only mount stays as it is). */
  protected checkPermissions(
    path: string,
    info: Stats,
    kind: "file" | "directory",
    tighten: (mode: number) => void,
  ): void {
    const verdict = judgePermissions(info, kind);
    if (verdict.kind === "refuse") throw new UnsafePermissionsError(path, verdict.reason, kind);
    if (verdict.kind === "tighten") {
      try {
        tighten(verdict.mode);
      } catch {
        // Best effort, as above.
      }
    }
  }

  private isOwnValidatedWrite(stats: Stats): boolean {
    try {
      return readFileSync(this.stampFile, "utf8") === statStamp(stats);
    } catch {
      return false;
    }
  }
}
