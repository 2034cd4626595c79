import { describe, expect, it } from "vitest";
import { cronLine, isGhpatCronLine, withCronLine, withoutCronLine } from "../../src/core/remind/cron.js";
import { detectScheduler } from "../../src/core/remind/detect.js";
import {
  formatTimeOfDay,
  jobArgv,
  jobEnvironment,
  jobMarker,
  parseTimeOfDay,
  readMarker,
  type ReminderJob,
} from "../../src/core/remind/job.js";
import {
  launchAgentPath,
  launchAgentPlist,
  launchctlBootout,
  launchctlBootstrap,
} from "../../src/core/remind/launchd.js";
import { schtasksCreate, taskXml, taskXmlBytes, windowsArgument } from "../../src/core/remind/schtasks.js";
import { execWord, systemdService, systemdTimer, systemdUserDir } from "../../src/core/remind/systemd.js";
import { UsageError } from "../../src/errors.js";
import { remindSpec } from "../../src/commands/remind/spec.js";
import { SCHEDULERS } from "../../src/core/remind/job.js";

const job: ReminderJob = {
  nodePath: "/usr/bin/node",
  binPath: "/opt/ghpat/bin/ghpat.js",
  at: { hour: 9, minute: 0 },
  days: 14,
  env: {},
};
const awkward: ReminderJob = {
  ...job,
  nodePath: "/home/a b/n%de$x",
  binPath: '/home/a b/it\'s "ghpat".js',
  at: { hour: 17, minute: 5 },
  env: { GHPAT_CONFIG_DIR: "/home/a b/cfg%1" },
};

describe("the job", () => {
  it("reads --at as a 24-hour HH:MM and refuses anything else with a usage error", () => {
    expect(parseTimeOfDay("09:00")).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay("7:30")).toEqual({ hour: 7, minute: 30 });
    expect(parseTimeOfDay("23:59")).toEqual({ hour: 23, minute: 59 });
    for (const bad of ["24:00", "9", "09:60", "9am", "", "09:00:00"])
      expect(() => parseTimeOfDay(bad)).toThrow(UsageError);
    expect(formatTimeOfDay({ hour: 7, minute: 5 })).toBe("07:05");
  });

  it("runs revoke-reminder --notify by absolute node and ghpat paths", () => {
    expect(jobArgv(job)).toEqual([
      "/usr/bin/node",
      "/opt/ghpat/bin/ghpat.js",
      "revoke-reminder",
      "--notify",
      "--days",
      "14",
    ]);
  });

  it("carries GHPAT_CONFIG_DIR when the installer's index is not where a bare environment looks", () => {
    expect(jobEnvironment({ GHPAT_CONFIG_DIR: "/c" }, "linux")).toEqual({ GHPAT_CONFIG_DIR: "/c" });
    expect(jobEnvironment({ XDG_CONFIG_HOME: "/x", HOME: "/h" }, "linux")).toEqual({ GHPAT_CONFIG_DIR: "/x/ghpat" });
    expect(jobEnvironment({ XDG_CONFIG_HOME: "/x", APPDATA: "C:\\A" }, "win32")).toEqual({});
    expect(jobEnvironment({ HOME: "/h" }, "linux")).toEqual({});
  });

  it("marks what it writes with its settings, and reads them back", () => {
    expect(readMarker(`# ${jobMarker(awkward)}`)).toEqual({ at: "17:05", days: 14 });
    expect(readMarker("[Unit]\nDescription=someone else's")).toBeNull();
  });
});

describe("systemd", () => {
  it("writes a oneshot service and a persistent daily timer", () => {
    expect(systemdService(job)).toBe(`# ${jobMarker(job)}
[Unit]
Description=ghpat: report GitHub tokens that need attention (desktop notification)

[Service]
Type=oneshot
ExecStart="/usr/bin/node" "/opt/ghpat/bin/ghpat.js" "revoke-reminder" "--notify" "--days" "14"
`);
    expect(systemdTimer(job)).toContain("\n[Timer]\nOnCalendar=*-*-* 09:00:00\n");
    expect(systemdTimer(job)).toContain("Persistent=true\n");
    expect(systemdTimer(job)).toContain("[Install]\nWantedBy=timers.target\n");
  });

  it("quotes paths with spaces, quotes, % and $ the way systemd unquotes them", () => {
    expect(execWord('a b"c\\d%e$f')).toBe('"a b\\"c\\\\d%%e$$f"');
    const service = systemdService(awkward);
    expect(service).toContain('Environment="GHPAT_CONFIG_DIR=/home/a b/cfg%%1"\n');
    expect(service).toContain('ExecStart="/home/a b/n%%de$$x" "/home/a b/it\'s \\"ghpat\\".js" ');
    expect(systemdTimer(awkward)).toContain("OnCalendar=*-*-* 17:05:00");
  });

  it("puts the units in $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user", () => {
    expect(systemdUserDir({ XDG_CONFIG_HOME: "/x" }, "/h")).toBe("/x/systemd/user");
    expect(systemdUserDir({}, "/h")).toBe("/h/.config/systemd/user");
  });
});

describe("launchd", () => {
  it("writes an agent plist with the arguments one by one, escaped, and the time of day", () => {
    const plist = launchAgentPlist(awkward);
    expect(plist).toContain("<key>Label</key>\n  <string>ghpat.remind</string>");
    expect(plist).toContain(
      `<string>/home/a b/it's &quot;ghpat&quot;.js</string>\n    <string>revoke-reminder</string>\n    <string>--notify</string>`,
    );
    expect(plist).toContain("<key>GHPAT_CONFIG_DIR</key>\n    <string>/home/a b/cfg%1</string>");
    expect(plist).toContain(
      "<key>Hour</key>\n    <integer>17</integer>\n    <key>Minute</key>\n    <integer>5</integer>",
    );
    expect(readMarker(plist)).toEqual({ at: "17:05", days: 14 });
    expect(launchAgentPlist(job)).not.toContain("EnvironmentVariables");
    expect(launchAgentPath("/Users/me")).toBe("/Users/me/Library/LaunchAgents/ghpat.remind.plist");
    expect(launchctlBootstrap(501, "/p.plist")).toEqual(["bootstrap", "gui/501", "/p.plist"]);
    expect(launchctlBootout(501)).toEqual(["bootout", "gui/501/ghpat.remind"]);
  });
});

describe("cron", () => {
  it("writes one line with shell-quoted absolute paths, % escaped for cron, ending in ghpat's marker", () => {
    expect(cronLine(job)).toBe(
      `0 9 * * * /usr/bin/node /opt/ghpat/bin/ghpat.js revoke-reminder --notify --days 14 # ghpat-remind: ${jobMarker(job)}`,
    );
    expect(cronLine(awkward)).toBe(
      `5 17 * * * GHPAT_CONFIG_DIR='/home/a b/cfg\\%1' '/home/a b/n\\%de$x' '/home/a b/it'\\''s "ghpat".js' revoke-reminder --notify --days 14 # ghpat-remind: ${jobMarker(awkward)}`,
    );
  });

  it("merges the line into a crontab keeping every other line byte for byte, and takes out exactly that line", () => {
    const mine = "# my jobs\nMAILTO=me@example.com\n*/5 * * * * /usr/bin/backup --fast\n\n";
    const line = cronLine(job);
    const merged = withCronLine(mine, line);
    expect(merged).toBe(`${mine}${line}\n`);
    expect(withCronLine(merged ?? "", line)).toBeNull();
    expect(withoutCronLine(merged ?? "")).toBe(mine);
    expect(withoutCronLine(mine)).toBeNull();
    // A crontab without a last newline gets one: crontab refuses it otherwise.
    expect(withCronLine("@reboot /bin/true", line)).toBe(`@reboot /bin/true\n${line}\n`);
    expect(withCronLine("", line)).toBe(`${line}\n`);
    expect(withoutCronLine(`${line}\n`)).toBe("");
  });

  it("replaces an older ghpat line in place, and never mistakes a commented-out copy for one", () => {
    const old = cronLine({ ...job, at: { hour: 6, minute: 0 } });
    const line = cronLine(job);
    expect(withCronLine(`a\n${old}\nb\n`, line)).toBe(`a\n${line}\nb\n`);
    expect(withCronLine(`${old}\n${old}\n`, line)).toBe(`${line}\n`);
    expect(isGhpatCronLine(`# ${line}`)).toBe(false);
    expect(withoutCronLine(`# ${line}\n`)).toBeNull();
  });
});

describe("schtasks", () => {
  it("writes a daily task definition, arguments quoted as node.exe reads them back", () => {
    const windows: ReminderJob = {
      ...job,
      nodePath: "C:\\Program Files\\nodejs\\node.exe",
      binPath: "C:\\Users\\Me\\AppData\\Roaming\\npm\\node_modules\\ghpat\\bin\\ghpat.js",
    };
    const xml = taskXml(windows);
    expect(xml).toContain("<Command>C:\\Program Files\\nodejs\\node.exe</Command>");
    expect(xml).toContain(
      "<Arguments>C:\\Users\\Me\\AppData\\Roaming\\npm\\node_modules\\ghpat\\bin\\ghpat.js revoke-reminder --notify --days 14</Arguments>",
    );
    expect(xml).toContain("<StartBoundary>2000-01-01T09:00:00</StartBoundary>");
    expect(xml).toContain("<DaysInterval>1</DaysInterval>");
    expect(xml).toContain("<LogonType>InteractiveToken</LogonType>");
    expect(readMarker(xml)).toEqual({ at: "09:00", days: 14 });
    expect(taskXmlBytes(xml).subarray(0, 4)).toEqual(Buffer.from([0xff, 0xfe, 0x3c, 0x00]));
    expect(schtasksCreate("C:\\t.xml")).toEqual(["/Create", "/TN", "ghpat-remind", "/XML", "C:\\t.xml", "/F"]);
  });

  it("quotes arguments by CommandLineToArgvW's rules", () => {
    expect(windowsArgument("plain")).toBe("plain");
    expect(windowsArgument("C:\\a b\\")).toBe('"C:\\a b\\\\"');
    expect(windowsArgument('say "hi"')).toBe('"say \\"hi\\""');
    expect(windowsArgument('a\\"b')).toBe('"a\\\\\\"b"');
    expect(windowsArgument("")).toBe('""');
  });

  it("refuses a job that needs an environment variable, which Task Scheduler cannot pass", () => {
    expect(() => taskXml({ ...job, env: { GHPAT_CONFIG_DIR: "D:\\cfg" } })).toThrow(UsageError);
  });
});

describe("detecting the scheduler", () => {
  it("offers --scheduler exactly the schedulers ghpat knows", () => {
    expect(remindSpec.flags.scheduler.choices).toEqual([...SCHEDULERS]);
  });

  const facts = (platform: NodeJS.Platform, systemdBooted: boolean, commands: string[]) => ({
    platform,
    systemdBooted,
    onPath: (c: string) => commands.includes(c),
  });

  it("uses the platform's own, systemd where it booted the machine, else cron", () => {
    expect(detectScheduler(facts("darwin", false, ["crontab"]))).toBe("launchd");
    expect(detectScheduler(facts("win32", false, []))).toBe("schtasks");
    expect(detectScheduler(facts("linux", true, ["systemctl", "crontab"]))).toBe("systemd");
    expect(detectScheduler(facts("linux", false, ["systemctl", "crontab"]))).toBe("cron");
    expect(detectScheduler(facts("freebsd", false, ["crontab"]))).toBe("cron");
    expect(() => detectScheduler(facts("linux", false, ["systemctl"]))).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/no scheduler/),
        hint: expect.stringMatching(/--scheduler/),
      }),
    );
  });
});
