import { open, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { processAlive } from "./process-alive.js";
import { temporaryName } from "./temporary-name.js";

export { temporaryName } from "./temporary-name.js";

const TEMPORARY = /\.tmp-(\d+)-[0-9a-f]{12}$/;

export interface AtomicWriteOptions {
  /**
   * Flush the file and its directory to disk (the default). A file whose
   * loss in a power cut costs nothing (the nudge state) skips the flushes,
   * which can take milliseconds, and stays atomic all the same.
   */
  durable?: boolean;
}

/**
 * Writes `data` to `file` atomically: a new file (never through a link),
 * flushed to disk, renamed over the old one, and the directory flushed so
 * the rename survives a power cut. A reader sees the old or the new file.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode: number,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const temp = temporaryName(file);
  const handle = await open(temp, "wx", mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (durable) await syncDirectory(dirname(file));
}

async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  }
}

/** Temporary files next to `file` whose writer is dead: what a killed process left behind. */
export async function debrisOf(file: string): Promise<string[]> {
  const dir = dirname(file);
  const base = basename(file);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  return entries
    .filter((name) => {
      if (!name.startsWith(`${base}.`)) return false;
      const match = TEMPORARY.exec(name);
      return match !== null && !processAlive(Number(match[1]));
    })
    .map((name) => join(dir, name));
}

/** Removes the debris of dead writers; returns what was removed. */
export async function sweepDebris(file: string): Promise<string[]> {
  const removed: string[] = [];
  for (const path of await debrisOf(file)) {
    try {
      await unlink(path);
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
