/**
 * One line in the user's crontab, merged into what `crontab -l` printed with
 * every other line kept byte for byte, and recognised later by its trailing
 * marker so that uninstall takes out that line and nothing else. Pure.
 */
import { JOB_NAME, jobArgv, jobMarker, type ReminderJob } from "./job.js";

const SHELL_SAFE = /^[A-Za-z0-9_./:@+=,-]+$/;

/** One word for /bin/sh, which runs cron's commands. */
export function shellWord(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** cron turns an unescaped % into a newline, even inside quotes. */
function cronEscape(command: string): string {
  return command.replace(/%/g, "\\%");
}

/** The comment that ends ghpat's line; a line that carries it is ghpat's. */
export const CRON_MARKER = `# ${JOB_NAME}:`;

export function cronLine(job: ReminderJob): string {
  const assignments = Object.entries(job.env).map(([name, value]) => `${name}=${shellWord(value)} `);
  const command = `${assignments.join("")}${jobArgv(job).map(shellWord).join(" ")}`;
  return `${job.at.minute} ${job.at.hour} * * * ${cronEscape(command)} ${CRON_MARKER} ${jobMarker(job)}`;
}

export function isGhpatCronLine(line: string): boolean {
  return !line.trimStart().startsWith("#") && line.includes(` ${CRON_MARKER} `);
}

/** The lines of a crontab, and whether its text ended with a newline (so nothing else moves). */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/**
 * The crontab with ghpat's line in it: an earlier ghpat line is replaced in
 * place, otherwise the line goes at the end. Returns null when the crontab
 * already holds exactly this line and no other of ghpat's.
 */
export function withCronLine(current: string, line: string): string | null {
  const lines = splitLines(current);
  const ours = lines.filter(isGhpatCronLine);
  if (ours.length === 1 && ours[0] === line) return null;
  const kept: string[] = [];
  let placed = false;
  for (const existing of lines) {
    if (!isGhpatCronLine(existing)) kept.push(existing);
    else if (!placed) {
      kept.push(line);
      placed = true;
    }
  }
  if (!placed) kept.push(line);
  // crontab refuses a last line without its newline.
  return `${kept.join("\n")}\n`;
}

/** The crontab without ghpat's lines, or null when it holds none. */
export function withoutCronLine(current: string): string | null {
  const lines = splitLines(current);
  if (!lines.some(isGhpatCronLine)) return null;
  const kept = lines.filter((line) => !isGhpatCronLine(line));
  return kept.length === 0 ? "" : `${kept.join("\n")}\n`;
}

export function cronLinesIn(current: string): string[] {
  return splitLines(current).filter(isGhpatCronLine);
}
