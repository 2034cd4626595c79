/**
 * A Windows Task Scheduler task, created from an XML definition: /TR caps
 * the command line at 261 characters, which two absolute paths can pass.
 * Pure; the XML is written as UTF-16 with a byte order mark, as schtasks
 * expects of /XML files.
 */
import { UsageError } from "../../errors.js";
import { JOB_NAME, jobArgv, jobMarker, type ReminderJob } from "./job.js";
import { xmlEscape } from "./launchd.js";

export const TASK_NAME = JOB_NAME;

/** One argument as CommandLineToArgvW reads it back (how node.exe splits its command line). */
export function windowsArgument(arg: string): string {
  if (arg !== "" && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === "\\") {
      backslashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped.
    out += ch === '"' ? `${"\\".repeat(backslashes * 2 + 1)}"` : `${"\\".repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  // …and before the closing quote, doubled.
  return `${out}${"\\".repeat(backslashes * 2)}"`;
}

export function taskXml(job: ReminderJob): string {
  if (Object.keys(job.env).length > 0) {
    throw new UsageError(
      `Task Scheduler cannot hand ${Object.keys(job.env).join(", ")} to the job, so it would read another index than yours.`,
      "Unset GHPAT_CONFIG_DIR to keep the index in %APPDATA%\\ghpat, or schedule 'ghpat revoke-reminder --notify' yourself.",
    );
  }
  const [command, ...args] = jobArgv(job);
  const hh = String(job.at.hour).padStart(2, "0");
  const mm = String(job.at.minute).padStart(2, "0");
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>${xmlEscape(jobMarker(job))}</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2000-01-01T${hh}:${mm}:00</StartBoundary>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <StartWhenAvailable>true</StartWhenAvailable>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT10M</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlEscape(command as string)}</Command>
      <Arguments>${xmlEscape(args.map(windowsArgument).join(" "))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}

/** The bytes of the XML file: UTF-16LE after a byte order mark. */
export function taskXmlBytes(xml: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]);
}

export function schtasksCreate(xmlFile: string): string[] {
  return ["/Create", "/TN", TASK_NAME, "/XML", xmlFile, "/F"];
}

export function schtasksDelete(): string[] {
  return ["/Delete", "/TN", TASK_NAME, "/F"];
}

export function schtasksQuery(): string[] {
  return ["/Query", "/TN", TASK_NAME, "/XML"];
}
