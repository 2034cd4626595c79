/** Which scheduler to use when --scheduler does not say. Pure: the facts are gathered by the caller. */
import { UsageError } from "../../errors.js";
import type { SchedulerKind } from "./job.js";

export interface SchedulerFacts {
  platform: NodeJS.Platform;
  /** /run/systemd/system exists: the machine booted with systemd (sd_booted()). */
  systemdBooted: boolean;
  /** Commands found on PATH. */
  onPath(command: string): boolean;
}

export function detectScheduler(facts: SchedulerFacts): SchedulerKind {
  if (facts.platform === "darwin") return "launchd";
  if (facts.platform === "win32") return "schtasks";
  if (facts.systemdBooted && facts.onPath("systemctl")) return "systemd";
  if (facts.onPath("crontab")) return "cron";
  throw new UsageError(
    "Found no scheduler: no systemd user session, and no crontab on PATH.",
    "Pass --scheduler systemd|launchd|cron|schtasks, or run 'ghpat revoke-reminder --notify' daily some other way.",
  );
}
