import { StoreUnavailableError } from "../errors.js";
import { LockLostError, type HeldLock } from "./lock.js";

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
      throw new StoreUnavailableError(`${error.message} Nothing was written.`, "This ghpat was paused for too long while holding the lock. Try again.");
    }
    throw error;
  }
}
