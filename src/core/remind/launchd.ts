/** A launchd user agent (~/Library/LaunchAgents). Pure. */
import { join } from "node:path";
import { jobArgv, jobMarker, type ReminderJob } from "./job.js";

export const LAUNCHD_LABEL = "ghpat.remind";

export function launchAgentPath(home: string): string {
  return join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const string = (text: string) => `<string>${xmlEscape(text)}</string>`;

export function launchAgentPlist(job: ReminderJob): string {
  const env = Object.entries(job.env);
  const environment =
    env.length === 0
      ? ""
      : `  <key>EnvironmentVariables</key>\n  <dict>\n${env.map(([name, value]) => `    <key>${xmlEscape(name)}</key>\n    ${string(value)}\n`).join("")}  </dict>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- ${xmlEscape(jobMarker(job))} -->
<plist version="1.0">
<dict>
  <key>Label</key>
  ${string(LAUNCHD_LABEL)}
  <key>ProgramArguments</key>
  <array>
${jobArgv(job)
  .map((word) => `    ${string(word)}\n`)
  .join("")}  </array>
${environment}  <key>StartCalendarInterval</key>
  <dict>
    <key>Hour</key>
    <integer>${job.at.hour}</integer>
    <key>Minute</key>
    <integer>${job.at.minute}</integer>
  </dict>
</dict>
</plist>
`;
}

/** launchctl's domain for the user's GUI session, where agents that notify must run. */
export function launchdDomain(uid: number): string {
  return `gui/${uid}`;
}

export function launchctlBootstrap(uid: number, plist: string): string[] {
  return ["bootstrap", launchdDomain(uid), plist];
}

export function launchctlBootout(uid: number): string[] {
  return ["bootout", `${launchdDomain(uid)}/${LAUNCHD_LABEL}`];
}
