import { randomBytes } from "node:crypto";
import { link, open, readFile, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { temporaryName } from "./atomic-file.js";
import { pidNamespace, processAlive, processStart } from "./process-alive.js";
import { isErrno } from "./errno.js";

/**
 * An exclusive lock file that knows its owner.
 *
 * The lock is a file created atomically with its content (written to a
 * temporary file, then hard-linked into place), so it is never seen half
 * written. It names the owner's pid, host, pid namespace and, on Linux, the
 * owner's start time, which no later process under the same pid shares.
 * A lock whose owner is a dead process on this host is stale at once: a
 * `SIGKILL`ed ghpat costs the next one no wait. A lock whose owner is
 * known to be alive is never stale, however long that owner is frozen
 * (stopped with Ctrl-Z, a suspended laptop): taking it would let two
 * processes write, and the frozen one's late write would undo the other's.
 * A lock whose owner cannot be judged by pid (another host or container
 * sharing the directory, a live pid without a start time to tell it from a
 * reused one) is stale when its heartbeat, the file's mtime refreshed every
 * second by a live owner, is older than `staleMs`.
 *
 * Two processes that find the same stale lock must not both remove it (the
 * second would remove the first's fresh lock): removal happens under a
 * second lock, `<lock>.takeover`, and re-checks that the lock is still the
 * stale one. An owner verifies it still holds the lock before it commits.
 * A process killed while it held `<lock>.takeover` leaves it behind; the
 * next one to take the lock (or doctor --fix) removes it once its owner is
 * judged dead, so nothing a kill leaves lingers.
 */

export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  since: string;
  /** process-alive.ts processStart, where the system tells it. */
  start?: string;
  /** process-alive.ts pidNamespace, where the system tells it. */
  pidns?: string;
}

export interface LockOptions {
  /** How long to wait for a live owner before giving up. */
  timeoutMs?: number;
  /** A lock that cannot be judged by its owner's pid is stale when its heartbeat is older than this. */
  staleMs?: number;
  heartbeatMs?: number;
}

export interface HeldLock {
  readonly path: string;
  /** Throws LockLostError when another process has taken the lock from us. */
  verify(): Promise<void>;
  release(): Promise<void>;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 20_000;
export const DEFAULT_STALE_MS = 10_000;
const DEFAULT_HEARTBEAT_MS = 1_000;

/** A live process holds the lock and did not release it in time. */
export class LockBusyError extends Error {
  override name = "LockBusyError";
  constructor(
    readonly path: string,
    readonly owner: LockOwner | null,
  ) {
    super(
      `${path} is held by ${owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : "another process"}`,
    );
  }
}

/** Our lock was judged stale and taken over (we were frozen for longer than staleMs). */
export class LockLostError extends Error {
  override name = "LockLostError";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function parseOwner(text: string): LockOwner | null {
  try {
    const data = JSON.parse(text) as Partial<LockOwner>;
    if (typeof data.pid === "number" && typeof data.host === "string" && typeof data.nonce === "string") {
      const owner: LockOwner = {
        pid: data.pid,
        host: data.host,
        nonce: data.nonce,
        since: typeof data.since === "string" ? data.since : "",
      };
      if (typeof data.start === "string") owner.start = data.start;
      if (typeof data.pidns === "string") owner.pidns = data.pidns;
      return owner;
    }
  } catch {
    // Not ours, or damaged: judged by age alone.
  }
  return null;
}

/** Creates `path` holding `content`, atomically; false when it already exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = temporaryName(path);
  await writeFile(temp, content, { flag: "wx", mode: 0o600 });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    if (!isErrno(error, "EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK")) throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  // File systems without hard links: exclusive create, then write (a reader may briefly see it empty).
  try {
    const handle = await open(path, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  }
}

export interface Observed {
  owner: LockOwner | null;
  text: string;
  ageMs: number;
}

export async function observe(path: string): Promise<Observed | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { owner: parseOwner(text), text, ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    throw error;
  }
}

/** Where this process runs, which does not change while it runs: read once, not on every poll of a busy lock. */
let here: { host: string; pidns: string | null; start: string | null } | undefined;
function thisProcess(): { host: string; pidns: string | null; start: string | null } {
  return (here ??= { host: hostname(), pidns: pidNamespace(), start: processStart(process.pid) });
}

/** Who takes a lock: this process, as other processes will judge it. */
function currentOwner(): LockOwner {
  const { host, pidns, start } = thisProcess();
  const owner: LockOwner = {
    pid: process.pid,
    host,
    nonce: randomBytes(8).toString("hex"),
    since: new Date().toISOString(),
  };
  if (start !== null) owner.start = start;
  if (pidns !== null) owner.pidns = pidns;
  return owner;
}

export function isStale(observed: Observed, staleMs: number): boolean {
  const { owner, ageMs } = observed;
  const { host, pidns } = thisProcess();
  // A pid means this process only on this host and in this pid namespace (a lock from before namespaces were recorded is taken to share it).
  if (owner && owner.host === host && (owner.pidns === undefined || owner.pidns === pidns)) {
    if (!processAlive(owner.pid)) return true;
    if (owner.start !== undefined) {
      const start = processStart(owner.pid);
      // The same start: the owner itself, alive. Another: a later process reusing the pid.
      if (start !== null) return start !== owner.start;
    }
  }
  return ageMs > staleMs;
}

/** The marker held while a stale lock at `path` is removed. */
export function takeoverPath(path: string): string {
  return `${path}.takeover`;
}

/** Removes the takeover marker of a process that died holding it (also doctor --fix); returns whether it removed one. */
export async function clearStaleTakeover(path: string, staleMs = DEFAULT_STALE_MS): Promise<boolean> {
  const takeover = takeoverPath(path);
  const marker = await observe(takeover);
  if (!marker || !isStale(marker, staleMs)) return false;
  await unlink(takeover).catch(() => undefined);
  return true;
}

/** Removes `path` if it still holds exactly `expected`: the check and the unlink happen under `<path>.takeover`. */
export async function removeStale(
  path: string,
  expected: Observed,
  me: LockOwner,
  staleMs: number,
  retried = false,
): Promise<void> {
  const takeover = takeoverPath(path);
  if (!(await createExclusive(takeover, JSON.stringify(me)))) {
    // Someone else is removing it. If that someone died doing so, clear the way and try once more.
    if ((await clearStaleTakeover(path, staleMs)) && !retried) await removeStale(path, expected, me, staleMs, true);
    return;
  }
  try {
    const now = await observe(path);
    if (now && now.text === expected.text && isStale(now, staleMs)) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(takeover).catch(() => undefined);
  }
}

/** Waits for and takes the lock at `path`. Errors other than "held" (EACCES, EROFS...) are thrown as they are. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const me = currentOwner();
  const content = JSON.stringify(me);
  const deadline = Date.now() + timeoutMs;
  let delay = 4;
  for (;;) {
    if (await createExclusive(path, content)) {
      // A marker left by a process killed after it removed a stale lock would otherwise stay until the next stale lock.
      await clearStaleTakeover(path, staleMs);
      return holdLock(path, me, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    }
    const current = await observe(path);
    if (current === null) continue;
    if (isStale(current, staleMs)) {
      await removeStale(path, current, me, staleMs);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(path, current.owner);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 1.5, 100);
  }
}

function holdLock(path: string, me: LockOwner, heartbeatMs: number): HeldLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  const stillOurs = async () => parseOwner(await readFile(path, "utf8").catch(() => ""))?.nonce === me.nonce;
  let released = false;
  return {
    path,
    async verify() {
      if (!(await stillOurs())) throw new LockLostError(`The lock ${path} was taken over by another process.`);
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      if (await stillOurs()) await unlink(path).catch(() => undefined);
    },
  };
}

/** The owner of a lock at `path` and whether it is stale, for doctor; null when there is no lock. */
export async function inspectLock(
  path: string,
  staleMs = DEFAULT_STALE_MS,
): Promise<{ owner: LockOwner | null; stale: boolean; ageMs: number } | null> {
  const observed = await observe(path);
  if (!observed) return null;
  return { owner: observed.owner, stale: isStale(observed, staleMs), ageMs: observed.ageMs };
}

/** Removes a stale lock (doctor --fix); a live one is left alone. Returns whether it removed one. */
export async function clearStaleLock(path: string, staleMs = DEFAULT_STALE_MS): Promise<boolean> {
  const observed = await observe(path);
  if (!observed || !isStale(observed, staleMs)) return false;
  await removeStale(path, observed, currentOwner(), staleMs);
  return (await observe(path)) === null;
}
