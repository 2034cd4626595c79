import { readFileSync, readlinkSync } from "node:fs";

/**
 * The fields of /proc/<pid>/stat from field 3 (the state) on, or null off
 * Linux or when /proc cannot be read. They start after the command name in
 * parentheses, which may itself hold spaces or parentheses.
 */
function procStat(pid: number): string[] | null {
  if (process.platform !== "linux") return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

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
  // Without /proc, kill(0) is all there is to go by.
  const state = procStat(pid)?.[0];
  return state !== "Z" && state !== "X";
}

/**
 * What tells this process apart from a later one given the same pid: on
 * Linux its start time, in clock ticks since boot (field 22). Null where the
 * system does not say (other platforms, /proc unreadable).
 */
export function processStart(pid: number): string | null {
  return procStat(pid)?.[22 - 3] ?? null;
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
