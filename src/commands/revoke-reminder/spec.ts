import { defineSpec, withRun } from "../shared/spec.js";

export const revokeReminderSpec = defineSpec({
  name: "revoke-reminder",
  description: "Report tokens that need attention, from the index alone (no network, no keychain unless --verify)",
  flags: {
    days: {
      type: "whole-number",
      placeholder: "n",
      default: 14,
      help: "report tokens expiring within N days; --ics puts its events N days before expiry",
    },
    staleDays: {
      type: "whole-number",
      placeholder: "n",
      default: 90,
      help: "report tokens neither used nor added within N days",
    },
    json: { type: "boolean", help: "print the findings as JSON" },
    format: {
      type: "string",
      placeholder: "format",
      help: "text (default), json, or github (GitHub Actions ::warning/::error lines)",
    },
    ics: {
      type: "string",
      placeholder: "file",
      help: "also write an iCalendar file with an event before each known expiry",
    },
    check: { type: "boolean", help: "exit 1 when anything is found" },
    verify: { type: "boolean", help: "ask the GitHub API about every token first (like 'ghpat verify')" },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout with --verify" },
    notify: {
      type: "boolean",
      help: "show the findings as one desktop notification; where none can be shown, the report goes to stderr",
    },
  },
  examples: [
    "ghpat revoke-reminder",
    "ghpat revoke-reminder --days 30 --stale-days 180",
    "ghpat revoke-reminder --check --format github",
    "ghpat revoke-reminder --verify --check",
    "ghpat revoke-reminder --ics ~/calendars/github-tokens.ics",
    "ghpat revoke-reminder --notify",
    "ghpat revoke-reminder --json | jq -r '.[] | select(.reason == \"expiring\") | .name'",
  ],
});

export default withRun(revokeReminderSpec, () => import("./run.js"));
