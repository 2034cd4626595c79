/**
 * The desktop notification `revoke-reminder --notify` sends: one summary of
 * the findings that names the tokens. Pure; the senders are in src/ui/notify/.
 */
import { summarize, type Finding } from "../reminders.js";

export interface Notice {
  title: string;
  /** Plain text, one line per token; never a secret (findings hold names, dates and URLs only). */
  body: string;
  /** `critical` when a token no longer works. */
  urgency: "normal" | "critical";
}

/** Tokens listed by name before the rest are counted: a notification is a glance, not a report. */
export const NOTICE_TOKEN_LINES = 6;

/**
 * One line per token, its most urgent finding first (findings arrive sorted
 * that way), or null when nothing needs attention: a daily job that finds
 * nothing stays silent.
 */
export function reminderNotice(findings: readonly Finding[], tokenCount: number): Notice | null {
  if (findings.length === 0) return null;
  const first = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.host}\0${finding.name}`;
    if (!first.has(key)) first.set(key, finding);
  }
  const tokens = [...first.values()];
  const lines = tokens.slice(0, NOTICE_TOKEN_LINES).map((f) => `${f.name} (${f.host}): ${f.reason}, ${f.detail}`);
  const rest = tokens.length - NOTICE_TOKEN_LINES;
  if (rest > 0) lines.push(`and ${rest} more token${rest === 1 ? "" : "s"}`);
  lines.push(`${summarize(findings, tokenCount)} Run 'ghpat revoke-reminder' for the details.`);
  return {
    title:
      tokens.length === 1
        ? `ghpat: token '${tokens[0]?.name}' needs attention`
        : `ghpat: ${tokens.length} tokens need attention`,
    body: lines.join("\n"),
    urgency: findings.some((f) => f.severity === "error") ? "critical" : "normal",
  };
}
