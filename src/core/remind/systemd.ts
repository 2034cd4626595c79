/** A systemd user timer and the oneshot service it starts. Pure. */
import { join } from "node:path";
import type { Env } from "../../config.js";
import { formatTimeOfDay, JOB_NAME, jobArgv, jobMarker, type ReminderJob } from "./job.js";

export const SYSTEMD_SERVICE = `${JOB_NAME}.service`;
export const SYSTEMD_TIMER = `${JOB_NAME}.timer`;

/** Where a user's own units live: $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user. */
export function systemdUserDir(env: Env, home: string): string {
  return join(env.XDG_CONFIG_HOME || join(home, ".config"), "systemd", "user");
}

/** A word of ExecStart=, quoted: systemd unquotes "…" with C escapes, and expands % specifiers and $ variables. */
export function execWord(word: string): string {
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

/** An Environment= assignment, quoted (no $ expansion there, but % specifiers). */
function environmentAssignment(name: string, value: string): string {
  return `"${`${name}=${value}`.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%")}"`;
}

export function systemdService(job: ReminderJob): string {
  const env = Object.entries(job.env).map(([name, value]) => `Environment=${environmentAssignment(name, value)}\n`);
  return `# ${jobMarker(job)}
[Unit]
Description=ghpat: report GitHub tokens that need attention (desktop notification)

[Service]
Type=oneshot
${env.join("")}ExecStart=${jobArgv(job).map(execWord).join(" ")}
`;
}

export function systemdTimer(job: ReminderJob): string {
  return `# ${jobMarker(job)}
[Unit]
Description=ghpat: daily check of GitHub tokens

[Timer]
OnCalendar=*-*-* ${formatTimeOfDay(job.at)}:00
# A day the machine was off or asleep at that time is caught up on waking.
Persistent=true

[Install]
WantedBy=timers.target
`;
}

export const SYSTEMCTL_INSTALL: readonly (readonly string[])[] = [
  ["--user", "daemon-reload"],
  ["--user", "enable", "--now", SYSTEMD_TIMER],
];

export const SYSTEMCTL_UNINSTALL_BEFORE: readonly string[] = ["--user", "disable", "--now", SYSTEMD_TIMER];
export const SYSTEMCTL_UNINSTALL_AFTER: readonly string[] = ["--user", "daemon-reload"];
