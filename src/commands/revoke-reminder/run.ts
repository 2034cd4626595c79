import { resolve } from "node:path";
import { CheckFailedError, UsageError } from "../../errors.js";
import type { TokenRecord } from "../../core/record.js";
import { findReminders, shortDistance, summarize, type Finding } from "../../core/reminders.js";
import { annotation } from "../../core/workflow-commands.js";
import { REVOCABLE_HOST, revokeAdvice } from "../../core/settings-url.js";
import { localDay } from "../../core/days.js";
import { openIndex } from "../../storage/open.js";
import { renderTable, wrapWords, type TableColumn } from "../../ui/table.js";
import { VERSION } from "../../version.js";
import type { Context } from "../shared/context.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { revokeReminderSpec } from "./spec.js";
import { counted, plural } from "../../core/plural.js";

export const REMINDER_FORMATS = ["text", "json", "github"] as const;
export type ReminderFormat = (typeof REMINDER_FORMATS)[number];

export type RevokeReminderOptions = OptionsOf<typeof revokeReminderSpec>;

function outputFormat(options: RevokeReminderOptions): ReminderFormat {
  const format = options.format ?? (options.json ? "json" : "text");
  if (!(REMINDER_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format '${format}'.`, `Use --format ${REMINDER_FORMATS.join(", --format ")}.`);
  }
  if (options.json && format !== "json")
    throw new UsageError(`--json and --format ${format} ask for two different outputs.`, "Pass only one of them.");
  return format as ReminderFormat;
}

function expiryCell(record: TokenRecord | undefined, finding: Finding, now: Date): string {
  if (finding.expiresAt === null) return record?.expiryKnown === false ? "unknown" : "never";
  return `${localDay(finding.expiresAt)} (${shortDistance(finding.expiresAt, now)})`;
}

/**
 * The report's columns, and how they give way on a terminal narrower than
 * the table (ui/table.ts): DETAIL and the settings URL are cut, to 12 and
 * 20 characters at least ("https://github.com/…"); then LAST USED goes, and
 * then HOST, which the URL names. REASON, NAME and EXPIRES stay whole.
 */
const REMINDER_COLUMNS: readonly TableColumn[] = [
  { title: "REASON" },
  { title: "NAME" },
  { title: "HOST", drop: 2 },
  { title: "EXPIRES" },
  { title: "LAST USED", drop: 1 },
  { title: "DETAIL", truncate: 12 },
  { title: "REVOKE OR REGENERATE AT", truncate: "https://github.com/…".length },
];

/** On a terminal the table fits its width; piped, every cell is whole. */
function renderText(findings: Finding[], records: readonly TokenRecord[], now: Date, ctx: Context): string {
  const byKey = new Map(records.map((r) => [`${r.host}\0${r.name}`, r]));
  const rows = findings.map((f) => [
    f.reason,
    f.name,
    f.host,
    expiryCell(byKey.get(`${f.host}\0${f.name}`), f, now),
    f.lastUsedAt === null ? "never" : f.lastUsedAt.slice(0, 10),
    f.detail,
    f.settingsUrl,
  ]);
  return renderTable(REMINDER_COLUMNS, rows, {
    maxWidth: ctx.out.columns,
    paint: (row, col, text) =>
      col === 0 ? ctx.out.paint(findings[row]?.severity === "error" ? "red" : "yellow", text) : text,
  });
}

function renderGithub(findings: Finding[]): string {
  return findings
    .map((f) => {
      const action =
        f.severity === "error"
          ? `Replace it with 'ghpat rotate ${f.name}' or remove it with 'ghpat remove ${f.name}'`
          : `Rotate it with 'ghpat rotate ${f.name}' or revoke it ${revokeAdvice(f, f.settingsUrl)}`;
      return annotation(
        f.severity,
        { title: `ghpat: ${f.name} (${f.host}) ${f.reason}` },
        `Token '${f.name}' on ${f.host}: ${f.detail}. ${action}; settings: ${f.settingsUrl}`,
      );
    })
    .join("\n");
}

async function writeCalendar(file: string, records: readonly TokenRecord[], now: Date, days: number): Promise<number> {
  const { expiryCalendar } = await import("../../core/expiry-calendar.js");
  const { serializeCalendar } = await import("../../core/ics.js");
  const calendar = expiryCalendar(records, now, days, VERSION);
  const { writeFileAtomic } = await import("../../storage/atomic-file.js");
  try {
    // A calendar is no secret: readable by the calendar application like any other file.
    await writeFileAtomic(resolve(file), serializeCalendar(calendar), 0o644);
  } catch (error) {
    throw new UsageError(
      `Cannot write the calendar ${file}: ${(error as Error).message}`,
      "Give a path in a directory you can write to.",
    );
  }
  return calendar.events.length;
}

/**
 * `--verify`: what `ghpat verify` does, first. Tokens GitHub could not be
 * asked about keep what the index last said, with a warning; the report
 * still runs.
 */
async function refreshThroughApi(options: RevokeReminderOptions, ctx: Context): Promise<void> {
  const { openVault } = await import("../../storage/open.js");
  const { verifyRecords } = await import("../shared/verify-records.js");
  const vault = openVault(ctx.env);
  const outcomes = await verifyRecords(vault, await vault.records(), { timeoutMs: options.timeoutMs }, ctx);
  const unchecked = outcomes.filter((o) => o.failure === "unreachable");
  if (unchecked.length > 0) {
    ctx.out.warn(
      `${unchecked.length} of ${outcomes.length} tokens could not be checked (${unchecked[0]?.error ?? "no answer"}); the report uses what the index last said about them.`,
    );
  }
}

/**
 * Reports tokens that need attention from the index alone: no network, no
 * keychain, unless `--verify` asks to refresh first. Returns the findings (tests call it in-process with their own clock).
 */
export async function runRevokeReminder(options: RevokeReminderOptions, ctx: Context): Promise<Finding[]> {
  const format = outputFormat(options);
  if (options.verify) await refreshThroughApi(options, ctx);
  const records = (await openIndex(ctx.env).read()).tokens;
  const now = ctx.now();
  const findings = findReminders(records, now, { days: options.days, staleDays: options.staleDays });
  const summary = summarize(findings, records.length);

  if (format === "json") {
    ctx.out.json(findings);
  } else if (options.notify && format === "text") {
    // The notification is the report; the table waits in case none can be shown.
    const { notifyFindings } = await import("../../ui/notify/deliver.js");
    await notifyFindings(
      findings,
      records.length,
      () => `${renderText(findings, records, now, ctx)}\n\n${summary}`,
      ctx,
    );
  } else if (format === "github") {
    if (findings.length > 0) ctx.out.data(renderGithub(findings));
    ctx.out.info(summary);
  } else if (findings.length > 0) {
    ctx.out.data(`${renderText(findings, records, now, ctx)}\n\n${wrapWords(summary, ctx.out.columns)}`);
  } else {
    // Nothing on stdout: a cron job that mails its output stays quiet.
    ctx.out.info(summary);
  }

  if (options.ics !== undefined) {
    const count = await writeCalendar(options.ics, records, now, options.days);
    ctx.out.info(
      `Wrote ${count} calendar ${plural(count, "event")} to ${options.ics} (${options.days} days before each known expiry).`,
    );
  }

  if (options.notify && format !== "text") {
    const { notifyFindings } = await import("../../ui/notify/deliver.js");
    // The report went to stdout already: nothing more to fall back on.
    await notifyFindings(findings, records.length, () => "", ctx);
  }

  if (options.check && findings.length > 0) {
    const offGithubCom = findings.some((f) => f.host !== REVOCABLE_HOST);
    throw new CheckFailedError(
      `revoke-reminder found ${counted(findings.length, "thing")} to act on.`,
      `Act on each with 'ghpat rotate NAME' or ${offGithubCom ? "by revoking it on its settings page (the last column; 'ghpat revoke NAME' works on github.com only)" : "'ghpat revoke NAME'"}, or run without --check to see them.`,
    );
  }
  return findings;
}

export const run: RunFunction<typeof revokeReminderSpec> = runRevokeReminder;
