import { readFileSync } from "node:fs";

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
