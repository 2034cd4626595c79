import { defineSpec, withRun } from "../shared/spec.js";

export const remindSpec = defineSpec({
  name: "remind",
  summary: "Set up a daily 'revoke-reminder --notify' in your scheduler (install, uninstall, status)",
  description:
    "Set up, remove or describe a daily 'ghpat revoke-reminder --notify' in your own scheduler: a systemd user timer, a launchd agent, a crontab line or a Task Scheduler task, run by the absolute paths of node and ghpat. Installing again with the same settings changes nothing; uninstall removes exactly what install added.",
  args: [
    {
      name: "action",
      help: "what to do with the daily job",
      required: true,
      choices: ["install", "uninstall", "status"],
    },
  ],
  flags: {
    scheduler: {
      type: "string",
      placeholder: "scheduler",
      choices: ["systemd", "launchd", "cron", "schtasks"],
      help: "the scheduler to use (default: the one this system has)",
    },
    at: {
      type: "string",
      placeholder: "HH:MM",
      help: "install: the time of day to run, on a 24-hour clock (default 09:00)",
    },
    days: {
      type: "whole-number",
      placeholder: "n",
      help: "install: report tokens expiring within N days (default 14)",
    },
    json: { type: "boolean", help: "status: print what is installed as JSON" },
  },
  examples: [
    "ghpat remind install",
    "ghpat remind install --at 17:30 --days 30",
    "ghpat remind install --scheduler cron",
    "ghpat remind status --json",
    "ghpat remind uninstall",
  ],
});

export default withRun(remindSpec, () => import("./run.js"));
