/** The lock's failures as people see them: a lock lost while held, and one a live process holds too long. */
import { StoreUnavailableError } from "../errors.js";
import { LockLostError, type HeldLock, type LockBusyError } from "./lock.js";

/**
 * Just before a write: the lock must still be ours. A process paused past the
 * stale time (a suspended laptop, a debugger) may have lost it to another,
 * and writing then would undo that one's update; nothing is written instead.
 */
export async function confirmLockBeforeWrite(lock: HeldLock): Promise<void> {
  try {
    await lock.verify();
  } catch (error) {
    if (error instanceof LockLostError) {
      throw new StoreUnavailableError(
        `${error.message} Nothing was written.`,
        "This ghpat was paused for too long while holding the lock. Try again.",
      );
    }
    throw error;
  }
}

/** A lock that a live ghpat held for longer than the wait: who holds it, and what to do. */
export function lockBusyError(what: string, error: LockBusyError): StoreUnavailableError {
  const who = error.owner ? ` (process ${error.owner.pid} on ${error.owner.host}, since ${error.owner.since})` : "";
  return new StoreUnavailableError(
    `${what} is locked by another ghpat process${who}.`,
    "Wait for it to finish and try again; if that process is stopped (Ctrl-Z) or hung, resume or end it. A lock left by a process that died is cleared automatically.",
  );
}
