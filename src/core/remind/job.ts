/**
 * The daily job `ghpat remind install` sets up: `revoke-reminder --notify`
 * at a time of day, run by absolute paths (as setup-git writes the helper),
 * so that a scheduler with a bare PATH finds both node and ghpat. Pure.
 */
import { configDir, type Env } from "../../config.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_REMINDER_OPTIONS } from "../reminders.js";

export const SCHEDULERS = ["systemd", "launchd", "cron", "schtasks"] as const;
export type SchedulerKind = (typeof SCHEDULERS)[number];

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export interface ReminderJob {
  nodePath: string;
  binPath: string;
  at: TimeOfDay;
  /** revoke-reminder's --days. */
  days: number;
  /** Variables the job needs to find the same index as the person who installed it. */
  env: Record<string, string>;
}

export const DEFAULT_AT = "09:00";
export const DEFAULT_DAYS = DEFAULT_REMINDER_OPTIONS.days;

/** The name each scheduler knows the job by, and the word that marks what ghpat wrote. */
export const JOB_NAME = "ghpat-remind";

/** `--at HH:MM`, 24-hour clock. */
export function parseTimeOfDay(text: string): TimeOfDay {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `'${text}' is not a time of day.`,
      "Give --at as HH:MM on a 24-hour clock, e.g. --at 09:00 or --at 17:30.",
    );
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function formatTimeOfDay(at: TimeOfDay): string {
  return `${String(at.hour).padStart(2, "0")}:${String(at.minute).padStart(2, "0")}`;
}

/**
 * GHPAT_CONFIG_DIR for the job when the installer's index is not where the
 * scheduler's bare environment would look: set explicitly, or moved by
 * XDG_CONFIG_HOME (which Windows does not consult).
 */
export function jobEnvironment(env: Env, platform: NodeJS.Platform): Record<string, string> {
  if (env.GHPAT_CONFIG_DIR) return { GHPAT_CONFIG_DIR: env.GHPAT_CONFIG_DIR };
  if (platform !== "win32" && env.XDG_CONFIG_HOME) return { GHPAT_CONFIG_DIR: configDir(env, platform) };
  return {};
}

/** What the scheduler runs, node first: `node ghpat.js revoke-reminder --notify --days N`. */
export function jobArgv(job: ReminderJob): string[] {
  return [job.nodePath, job.binPath, "revoke-reminder", "--notify", "--days", String(job.days)];
}

/** One line, in every file ghpat writes, that says whose it is and what it was told; status reads it back. */
export function jobMarker(job: Pick<ReminderJob, "at" | "days">): string {
  return `Written by 'ghpat remind install' (at ${formatTimeOfDay(job.at)}, --days ${job.days}); 'ghpat remind uninstall' removes it.`;
}

export interface MarkedSettings {
  at: string;
  days: number;
}

/** The settings in a marker, or null when the text holds none (then ghpat did not write it). */
export function readMarker(text: string): MarkedSettings | null {
  const match = /Written by 'ghpat remind install' \(at (\d\d:\d\d), --days (\d+)\)/.exec(text);
  return match ? { at: match[1] as string, days: Number(match[2]) } : null;
}
