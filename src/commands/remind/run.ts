import { homedir } from "node:os";
import { childEnvironment } from "../../config.js";
import { UsageError } from "../../errors.js";
import { detectScheduler } from "../../core/remind/detect.js";
import {
  DEFAULT_AT,
  DEFAULT_DAYS,
  formatTimeOfDay,
  jobEnvironment,
  parseTimeOfDay,
  type ReminderJob,
  type SchedulerKind,
} from "../../core/remind/job.js";
import {
  installReminder,
  realAbsolutePath,
  reminderStatus,
  runCommand,
  schedulerFacts,
  uninstallReminder,
  type RemindStatus,
  type SchedulerIo,
} from "../../storage/remind-scheduler.js";
import type { Context } from "../shared/context.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { remindSpec } from "./spec.js";

export type RemindOptions = OptionsOf<typeof remindSpec>;

const SCHEDULER_NAMES: Record<SchedulerKind, string> = {
  systemd: "systemd user timer",
  launchd: "launchd agent",
  cron: "crontab line",
  schtasks: "Task Scheduler task",
};

function chosenScheduler(flag: SchedulerKind | undefined, ctx: Context): SchedulerKind {
  return flag ?? detectScheduler(schedulerFacts(ctx.env));
}

function schedulerIo(ctx: Context): SchedulerIo {
  const env = childEnvironment(ctx.env);
  return {
    env: ctx.env,
    home: ctx.env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    run: (command, args, input) => runCommand(env, command, args, input),
  };
}

function statusText(status: RemindStatus): string {
  const kind = SCHEDULER_NAMES[status.scheduler];
  if (!status.installed) return `Not installed (${kind}). Set it up with 'ghpat remind install'.`;
  return [
    `Installed: ${kind}, daily at ${status.at}, reporting tokens that expire within ${status.days} days.`,
    ...status.where.map((w) => `  ${w}`),
    `  runs: ${status.command}`,
  ].join("\n");
}

/**
 * `ghpat remind install|uninstall|status`: a daily `revoke-reminder --notify`
 * in the user's own scheduler. Returns what status found, or null.
 */
export async function runRemind(options: RemindOptions, ctx: Context): Promise<RemindStatus | null> {
  const verb = options.action;
  if (verb !== "install" && (options.at !== undefined || options.days !== undefined)) {
    throw new UsageError(
      `--at and --days are for 'ghpat remind install', not '${verb}'.`,
      `Run 'ghpat remind ${verb}' without them.`,
    );
  }
  if (verb !== "status" && options.json)
    throw new UsageError(
      `--json is for 'ghpat remind status', not '${verb}'.`,
      `Run 'ghpat remind ${verb}' without it.`,
    );
  const at = verb === "install" ? parseTimeOfDay(options.at ?? DEFAULT_AT) : null;
  const scheduler = chosenScheduler(options.scheduler, ctx);
  const io = schedulerIo(ctx);
  const kind = SCHEDULER_NAMES[scheduler];

  if (verb === "status") {
    const status = await reminderStatus(scheduler, io);
    if (options.json) ctx.out.json(status);
    else ctx.out.data(statusText(status));
    return status;
  }
  if (verb === "uninstall") {
    const { removed } = await uninstallReminder(scheduler, io);
    ctx.out.info(
      removed.length === 0
        ? `Nothing of ghpat's was installed (${kind}); nothing to remove.`
        : [`Removed the daily reminder (${kind}):`, ...removed.map((r) => `  ${r}`)].join("\n"),
    );
    return null;
  }

  const job: ReminderJob = {
    nodePath: realAbsolutePath(ctx.self.node),
    binPath: realAbsolutePath(ctx.self.script),
    at: at ?? parseTimeOfDay(DEFAULT_AT),
    days: options.days ?? DEFAULT_DAYS,
    env: jobEnvironment(ctx.env, process.platform),
  };
  const result = await installReminder(scheduler, job, io);
  const what = `a daily 'ghpat revoke-reminder --notify --days ${job.days}' at ${formatTimeOfDay(job.at)} (${kind})`;
  ctx.out.info(
    [
      result.changed ? `Installed ${what}:` : `Already installed, unchanged: ${what}:`,
      ...result.where.map((w) => `  ${w}`),
    ].join("\n"),
  );
  return null;
}

export const run: RunFunction<typeof remindSpec> = runRemind;
