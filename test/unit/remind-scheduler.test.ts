import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cronLine } from "../../src/core/remind/cron.js";
import type { ReminderJob } from "../../src/core/remind/job.js";
import { launchAgentPlist } from "../../src/core/remind/launchd.js";
import { systemdService, systemdTimer } from "../../src/core/remind/systemd.js";
import { StoreUnavailableError, UsageError } from "../../src/errors.js";
import {
  installReminder,
  reminderStatus,
  runCommand,
  uninstallReminder,
  type SchedulerIo,
} from "../../src/storage/remind-scheduler.js";
import { canUseThrowawayCrontab, CommandStandIn, SystemctlStandIn, ThrowawayCrontab } from "../helpers/schedulers.js";

const job: ReminderJob = {
  nodePath: "/usr/bin/node",
  binPath: "/opt/ghpat/bin/ghpat.js",
  at: { hour: 9, minute: 0 },
  days: 14,
  env: { GHPAT_CONFIG_DIR: "/tmp/cfg" },
};

function io(home: string, path: string, extra: Record<string, string> = {}): SchedulerIo {
  const env = { PATH: path, HOME: home, ...extra };
  return { env, home, uid: 1000, run: (command, args, input) => runCommand(env, command, args, input) };
}

describe("the systemd user timer, against a systemctl stand-in", () => {
  let home: string;
  let systemctl: SystemctlStandIn;
  let unitDir: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "ghpat-remind-home-"));
    systemctl = new SystemctlStandIn();
    unitDir = join(home, "xdg", "systemd", "user");
  });
  afterEach(() => {
    systemctl.cleanup();
    rmSync(home, { recursive: true, force: true });
  });
  const world = () => io(home, systemctl.path(), { XDG_CONFIG_HOME: join(home, "xdg") });

  it("writes both units, reloads and enables the timer; a second install changes nothing", async () => {
    expect(await installReminder("systemd", job, world())).toEqual({
      scheduler: "systemd",
      changed: true,
      where: [join(unitDir, "ghpat-remind.service"), join(unitDir, "ghpat-remind.timer")],
    });
    expect(readFileSync(join(unitDir, "ghpat-remind.service"), "utf8")).toBe(systemdService(job));
    expect(readFileSync(join(unitDir, "ghpat-remind.timer"), "utf8")).toBe(systemdTimer(job));
    expect(systemctl.calls()).toEqual(["--user daemon-reload", "--user enable --now ghpat-remind.timer"]);
    const mtime = statSync(join(unitDir, "ghpat-remind.timer")).mtimeMs;

    systemctl.clear();
    expect((await installReminder("systemd", job, world())).changed).toBe(false);
    expect(systemctl.calls()).toEqual([]);
    expect(statSync(join(unitDir, "ghpat-remind.timer")).mtimeMs).toBe(mtime);

    expect(await reminderStatus("systemd", world())).toEqual({
      scheduler: "systemd",
      installed: true,
      where: [join(unitDir, "ghpat-remind.service"), join(unitDir, "ghpat-remind.timer")],
      at: "09:00",
      days: 14,
      command: '"/usr/bin/node" "/opt/ghpat/bin/ghpat.js" "revoke-reminder" "--notify" "--days" "14"',
    });
  });

  it("replaces its own units for new settings, stopping the old timer first", async () => {
    await installReminder("systemd", job, world());
    systemctl.clear();
    expect((await installReminder("systemd", { ...job, at: { hour: 18, minute: 30 } }, world())).changed).toBe(true);
    expect(systemctl.calls()).toEqual([
      "--user disable --now ghpat-remind.timer",
      "--user daemon-reload",
      "--user enable --now ghpat-remind.timer",
    ]);
    expect(readFileSync(join(unitDir, "ghpat-remind.timer"), "utf8")).toContain("OnCalendar=*-*-* 18:30:00");
  });

  it("uninstall stops the timer and removes exactly the two units; status then says nothing is installed", async () => {
    await installReminder("systemd", job, world());
    writeFileSync(join(unitDir, "other.service"), "[Service]\nExecStart=/bin/true\n");
    systemctl.clear();
    expect(await uninstallReminder("systemd", world())).toEqual({
      scheduler: "systemd",
      removed: [join(unitDir, "ghpat-remind.service"), join(unitDir, "ghpat-remind.timer")],
    });
    expect(systemctl.calls()).toEqual(["--user disable --now ghpat-remind.timer", "--user daemon-reload"]);
    expect(existsSync(join(unitDir, "other.service"))).toBe(true);
    expect(await reminderStatus("systemd", world())).toEqual({
      scheduler: "systemd",
      installed: false,
      where: [],
      at: null,
      days: null,
      command: null,
    });
    systemctl.clear();
    expect(await uninstallReminder("systemd", world())).toEqual({ scheduler: "systemd", removed: [] });
    expect(systemctl.calls()).toEqual([]);
  });

  it("leaves no unit behind when systemctl fails, and says so with exit 4", async () => {
    systemctl.failOn("enable");
    const failure = await installReminder("systemd", job, world()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as StoreUnavailableError).exitCode).toBe(4);
    expect((failure as Error).message).toBe(
      "'systemctl --user enable --now ghpat-remind.timer' failed (exit 1: Failed to connect to bus: No medium found). Nothing was installed: the files ghpat wrote for it are gone again.",
    );
    expect(existsSync(join(unitDir, "ghpat-remind.service"))).toBe(false);
    expect(existsSync(join(unitDir, "ghpat-remind.timer"))).toBe(false);
  });

  it("puts the previous units back when a reinstall fails", async () => {
    await installReminder("systemd", job, world());
    systemctl.failOn("daemon-reload");
    await expect(installReminder("systemd", { ...job, days: 30 }, world())).rejects.toThrow(StoreUnavailableError);
    expect(readFileSync(join(unitDir, "ghpat-remind.service"), "utf8")).toBe(systemdService(job));
  });

  it("says so when there is no systemctl at all, with exit 4", async () => {
    await expect(
      installReminder("systemd", job, io(home, join(home, "empty-path"), { XDG_CONFIG_HOME: join(home, "xdg") })),
    ).rejects.toThrow(/systemctl was not found on PATH/);
    expect(existsSync(join(unitDir, "ghpat-remind.timer"))).toBe(false);
  });

  it("never overwrites or removes a unit of the same name that ghpat did not write", async () => {
    mkdirSync(unitDir, { recursive: true });
    writeFileSync(join(unitDir, "ghpat-remind.timer"), "[Timer]\nOnCalendar=hourly\n");
    await expect(installReminder("systemd", job, world())).rejects.toThrow(UsageError);
    await expect(uninstallReminder("systemd", world())).rejects.toThrow(/not written by 'ghpat remind install'/);
    expect(readFileSync(join(unitDir, "ghpat-remind.timer"), "utf8")).toBe("[Timer]\nOnCalendar=hourly\n");
    expect(systemctl.calls()).toEqual([]);
  });
});

(canUseThrowawayCrontab ? describe : describe.skip)(
  "the crontab line, through the real crontab of a throw-away user",
  () => {
    let crontab: ThrowawayCrontab;
    let home: string;
    beforeAll(() => {
      crontab = new ThrowawayCrontab();
      home = mkdtempSync(join(tmpdir(), "ghpat-remind-cron-"));
    });
    afterAll(() => {
      crontab.cleanup();
      rmSync(home, { recursive: true, force: true });
    });
    const world = () => io(home, crontab.path());

    it("adds its line to an empty crontab, and uninstall leaves no crontab at all", async () => {
      expect(crontab.read()).toBeNull();
      expect(await installReminder("cron", job, world())).toEqual({
        scheduler: "cron",
        changed: true,
        where: ["crontab (crontab -l)"],
      });
      expect(crontab.read()).toBe(`${cronLine(job)}\n`);
      expect((await installReminder("cron", job, world())).changed).toBe(false);
      expect(await reminderStatus("cron", world())).toMatchObject({
        installed: true,
        at: "09:00",
        days: 14,
        command: cronLine(job),
      });
      expect(await uninstallReminder("cron", world())).toEqual({
        scheduler: "cron",
        removed: [`crontab line: ${cronLine(job)}`],
      });
      expect(crontab.read()).toBeNull();
    });

    it("keeps every other line of an existing crontab, byte for byte, and removes exactly its own", async () => {
      const mine =
        "# my jobs\nMAILTO=me@example.com\n*/5 * * * * /usr/bin/backup --fast  # keep\n\n@reboot /bin/true\n";
      crontab.write(mine);
      await installReminder("cron", job, world());
      expect(crontab.read()).toBe(`${mine}${cronLine(job)}\n`);
      await installReminder("cron", { ...job, at: { hour: 7, minute: 15 } }, world());
      expect(crontab.read()).toBe(`${mine}${cronLine({ ...job, at: { hour: 7, minute: 15 } })}\n`);
      await uninstallReminder("cron", world());
      expect(crontab.read()).toBe(mine);
      expect(await uninstallReminder("cron", world())).toEqual({ scheduler: "cron", removed: [] });
      expect(crontab.read()).toBe(mine);
    });

    it("reports a crontab that refuses the table with exit 4, and changes nothing", async () => {
      crontab.write("# mine\n");
      // A stand-in that lists like the real one but refuses to install, as a cron.deny entry makes it.
      const bin = join(home, "refusing");
      mkdirSync(bin, { recursive: true });
      writeFileSync(
        join(bin, "crontab"),
        `#!/bin/sh\nif [ "$1" = "-l" ]; then exec ${join(crontab.bin, "crontab")} -l; fi\necho "You (x) are not allowed to use this program (crontab)" >&2\nexit 1\n`,
        { mode: 0o755 },
      );
      await expect(installReminder("cron", job, io(home, `${bin}:${crontab.path()}`))).rejects.toThrow(
        /'crontab -' failed \(exit 1: You \(x\) are not allowed/,
      );
      expect(crontab.read()).toBe("# mine\n");
    });
  },
);

describe("the launchd agent and the Task Scheduler task, against stand-ins that record their arguments", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "ghpat-remind-other-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("launchd: writes the agent and bootstraps it in the GUI domain; reinstall with new settings boots the old one out first; uninstall removes it", async () => {
    const launchctl = new CommandStandIn("launchctl");
    try {
      const plist = join(home, "Library", "LaunchAgents", "ghpat.remind.plist");
      const world = io(home, launchctl.path());
      expect(await installReminder("launchd", job, world)).toEqual({
        scheduler: "launchd",
        changed: true,
        where: [plist],
      });
      expect(readFileSync(plist, "utf8")).toBe(launchAgentPlist(job));
      expect(launchctl.calls()).toEqual([`bootstrap gui/1000 ${plist}`]);
      launchctl.clear();
      expect((await installReminder("launchd", job, world)).changed).toBe(false);
      expect(launchctl.calls()).toEqual([]);
      await installReminder("launchd", { ...job, days: 30 }, world);
      expect(launchctl.calls()).toEqual(["bootout gui/1000/ghpat.remind", `bootstrap gui/1000 ${plist}`]);
      expect(await reminderStatus("launchd", world)).toMatchObject({
        installed: true,
        at: "09:00",
        days: 30,
        command: "/usr/bin/node /opt/ghpat/bin/ghpat.js revoke-reminder --notify --days 30",
      });

      launchctl.failOn("bootstrap");
      rmSync(plist);
      await expect(installReminder("launchd", job, world)).rejects.toThrow(StoreUnavailableError);
      expect(existsSync(plist)).toBe(false);
      launchctl.failOn(null);

      await installReminder("launchd", job, world);
      launchctl.clear();
      expect(await uninstallReminder("launchd", world)).toEqual({ scheduler: "launchd", removed: [plist] });
      expect(launchctl.calls()).toEqual(["bootout gui/1000/ghpat.remind"]);
      expect(existsSync(plist)).toBe(false);
    } finally {
      launchctl.cleanup();
    }
  });

  it("schtasks: creates the task from an XML file it removes afterwards, and refuses a job that needs GHPAT_CONFIG_DIR", async () => {
    const schtasks = new CommandStandIn("schtasks");
    try {
      // /Query fails as schtasks does for a task that does not exist.
      schtasks.failOn("/Query");
      const world = io(home, schtasks.path());
      await expect(installReminder("schtasks", job, world)).rejects.toThrow(UsageError);
      expect(schtasks.calls()).toEqual([]);
      expect(await installReminder("schtasks", { ...job, env: {} }, world)).toEqual({
        scheduler: "schtasks",
        changed: true,
        where: ["Task Scheduler: ghpat-remind"],
      });
      const [query, create] = schtasks.calls();
      expect(query).toBe("/Query /TN ghpat-remind /XML");
      expect(create).toMatch(/^\/Create \/TN ghpat-remind \/XML (\S+ghpat-remind-\d+\.xml) \/F$/);
      expect(existsSync(create?.split(" ")[4] ?? "")).toBe(false);
      expect(await uninstallReminder("schtasks", world)).toEqual({ scheduler: "schtasks", removed: [] });

      schtasks.failOn("/Query", "/Create");
      await expect(installReminder("schtasks", { ...job, env: {} }, world)).rejects.toThrow(
        /'schtasks \/Create .*' failed \(exit 1/,
      );
    } finally {
      schtasks.cleanup();
    }
  });
});
