import { readFileSync, readlinkSync } from "node:fs";

/**
 * Whether a process with this pid runs on this machine. A zombie (killed but
 * not yet reaped by its parent) counts as dead: it will never release a lock.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "Z" || state === "X") return false;
    } catch {
      // /proc unreadable: trust kill(0).
    }
  }
  return true;
}

/**
 * What tells this process apart from a later one given the same pid: on
 * Linux its start time, in clock ticks since boot (/proc/<pid>/stat, field
 * 22). Null where the system does not say (other platforms, /proc unreadable).
 */
export function processStart(pid: number): string | null {
  if (process.platform !== "linux") return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // Field 3 (the state) comes first after the command name, so field 22 is the 20th.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** This process's pid namespace on Linux (containers on one host may each have their own), else null. */
export function pidNamespace(): string | null {
  if (process.platform !== "linux") return null;
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return null;
  }
}
