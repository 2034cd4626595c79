import type { Env } from "../../config.js";
import { reminderNotice } from "../../core/remind/notice.js";
import { summarize, type Finding } from "../../core/reminders.js";
import type { Output } from "../output.js";
import { sendNotification } from "./send.js";

/**
 * `revoke-reminder --notify`: the findings as one desktop notification, and
 * a line on stderr saying it went. Where none can be shown, the text report
 * goes to stderr instead, so that a scheduler's log or cron's mail has it.
 * Nothing found: no notification, only the summary. Returns whether a
 * notification was shown.
 */
export async function notifyFindings(
  findings: readonly Finding[],
  tokenCount: number,
  textReport: () => string,
  ctx: { env: Env; out: Output },
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const summary = summarize(findings, tokenCount);
  const notice = reminderNotice(findings, tokenCount);
  if (notice === null) {
    ctx.out.info(summary);
    return false;
  }
  const outcome = await sendNotification(notice, ctx.env, platform);
  if (outcome.sent) {
    ctx.out.info(`Sent a desktop notification (${outcome.via}): ${notice.title}. ${summary}`);
    return true;
  }
  ctx.out.info(
    `ghpat: no desktop notification could be shown (${outcome.reason}); the report follows.\n${textReport()}`,
  );
  return false;
}
