import type { Command } from "commander";
import { context, examples, positiveInt, seconds } from "../shared.js";

/** revoke-reminder, revoke, rotate: acting before a token becomes a problem. */
export function registerReminderCommands(program: Command): void {
  examples(
    program
      .command("revoke-reminder")
      .description("Report tokens that need attention, from the index alone (no network, no keychain unless --verify)")
      .option("--days <n>", "report tokens expiring within N days; --ics puts its events N days before expiry", positiveInt, 14)
      .option("--stale-days <n>", "report tokens neither used nor added within N days", positiveInt, 90)
      .option("--json", "print the findings as JSON", false)
      .option("--format <format>", "text (default), json, or github (GitHub Actions ::warning/::error lines)")
      .option("--ics <file>", "also write an iCalendar file with an event before each known expiry")
      .option("--check", "exit 1 when anything is found", false)
      .option("--verify", "ask the GitHub API about every token first (like 'ghpat verify')", false)
      .option("--timeout <seconds>", "API timeout with --verify", seconds)
      .option("--notify", "show the findings as one desktop notification; where none can be shown, the report goes to stderr", false)
      .action(async (opts) => {
        const { runRevokeReminder } = await import("../../commands/revoke-reminder.js");
        await runRevokeReminder({ days: opts.days, staleDays: opts.staleDays, json: opts.json, format: opts.format, ics: opts.ics, check: opts.check, verify: opts.verify, timeoutMs: opts.timeout, notify: opts.notify }, await context());
      }),
    [
      "ghpat revoke-reminder",
      "ghpat revoke-reminder --days 30 --stale-days 180",
      "ghpat revoke-reminder --check --format github",
      "ghpat revoke-reminder --verify --check",
      "ghpat revoke-reminder --ics ~/calendars/github-tokens.ics",
      "ghpat revoke-reminder --notify",
      "ghpat revoke-reminder --json | jq -r '.[] | select(.reason == \"expiring\") | .name'",
    ],
  );

  examples(
    program
      .command("remind <action>")
      .description("Set up a daily 'revoke-reminder --notify' in your scheduler: install, uninstall or status")
      .option("--scheduler <scheduler>", "systemd, launchd, cron or schtasks (default: the one this system has)")
      .option("--at <HH:MM>", "install: the time of day to run, 24-hour clock (default 09:00)")
      .option("--days <n>", "install: report tokens expiring within N days (default 14)", positiveInt)
      .option("--json", "status: print what is installed as JSON", false)
      .action(async (actionName: string, opts) => {
        const { runRemind } = await import("../../commands/remind/run.js");
        await runRemind({ action: actionName, scheduler: opts.scheduler, at: opts.at, days: opts.days, json: opts.json, nodePath: process.execPath, binPath: process.argv[1] ?? "ghpat" }, await context());
      }),
    ["ghpat remind install", "ghpat remind install --at 17:30 --days 30", "ghpat remind status --json", "ghpat remind uninstall"],
  );

  examples(
    program
      .command("revoke <name>")
      .description("Revoke a token on github.com (credential revocation API), then remove it from ghpat")
      .option("-y, --yes", "do not ask for confirmation", false)
      .option("--timeout <seconds>", "API timeout", seconds)
      .action(async (name: string, opts) => {
        const { runRevoke } = await import("../../commands/revoke.js");
        await runRevoke({ name, yes: opts.yes, timeoutMs: opts.timeout }, await context());
      }),
    ["ghpat revoke old-laptop", "ghpat revoke leaked-ci-token --yes"],
  );

  examples(
    program
      .command("rotate <name>")
      .description("Replace a token with its successor, keeping its name, matches, default and note")
      .option("--stdin", "read the new token from standard input instead of prompting", false)
      .option("--revoke-old", "revoke the old token on github.com after the swap, without asking", false)
      .option("--force", "accept a successor with another login, fewer scopes, a checksum mismatch or an unknown prefix", false)
      .option("--timeout <seconds>", "API timeout", seconds)
      .action(async (name: string, opts) => {
        const { runRotate } = await import("../../commands/rotate.js");
        await runRotate({ name, stdin: opts.stdin, force: opts.force, revokeOld: opts.revokeOld, timeoutMs: opts.timeout }, await context());
      }),
    ["ghpat rotate work", "printf %s \"$NEW_TOKEN\" | ghpat rotate ci-bot --stdin --revoke-old"],
  );
}
