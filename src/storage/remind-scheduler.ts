/**
 * Installing, removing and describing the daily reminder job in the user's
 * scheduler: the files and commands. What the files say, and which commands
 * run, is decided in src/core/remind/.
 *
 * Rules: a second install with the same settings changes nothing; uninstall
 * removes what carries ghpat's marker and nothing else (a file or task of the
 * same name without it is refused); and when a scheduler command fails, the
 * files written for it are put back as they were and the error is exit 4.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { childEnvironment, type Env } from "../config.js";
import { StoreUnavailableError, UsageError } from "../errors.js";
import type { SchedulerFacts } from "../core/remind/detect.js";
import { cronLine, cronLinesIn, withCronLine, withoutCronLine } from "../core/remind/cron.js";
import { readMarker, type ReminderJob, type SchedulerKind } from "../core/remind/job.js";
import { launchAgentPath, launchAgentPlist, launchctlBootout, launchctlBootstrap } from "../core/remind/launchd.js";
import {
  schtasksCreate,
  schtasksDelete,
  schtasksQuery,
  taskXml,
  taskXmlBytes,
  TASK_NAME,
} from "../core/remind/schtasks.js";
import {
  SYSTEMCTL_INSTALL,
  SYSTEMCTL_UNINSTALL_AFTER,
  SYSTEMCTL_UNINSTALL_BEFORE,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
  systemdService,
  systemdTimer,
  systemdUserDir,
} from "../core/remind/systemd.js";
import { writeFileAtomic } from "./atomic-file.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SchedulerIo {
  env: Env;
  home: string;
  uid: number;
  run(command: string, args: readonly string[], input?: string): Promise<CommandResult>;
}

export interface InstallResult {
  scheduler: SchedulerKind;
  /** False when the same job was already installed. */
  changed: boolean;
  where: string[];
}

export interface UninstallResult {
  scheduler: SchedulerKind;
  /** What was removed; empty when nothing of ghpat's was installed. */
  removed: string[];
}

export interface RemindStatus {
  scheduler: SchedulerKind;
  installed: boolean;
  /** The files, crontab or task that hold the job. */
  where: string[];
  at: string | null;
  days: number | null;
  /** The command line the scheduler runs, as installed. */
  command: string | null;
}

/** Runs a scheduler's command without a shell; a missing program is a code of 127, as a shell reports it. */
export function runCommand(env: Env, command: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: childEnvironment(env),
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve({
        code: 127,
        stdout,
        stderr: error.code === "ENOENT" ? `${command} was not found on PATH` : error.message,
      }),
    );
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input ?? "");
  });
}

function commandText(command: string, args: readonly string[]): string {
  return [command, ...args].join(" ");
}

function schedulerFailure(
  command: string,
  args: readonly string[],
  result: CommandResult,
  consequence: string,
  hint: string,
): StoreUnavailableError {
  const said = result.stderr.trim().split("\n")[0] || result.stdout.trim().split("\n")[0] || "no message";
  return new StoreUnavailableError(
    `'${commandText(command, args)}' failed (exit ${result.code}: ${said}). ${consequence}`,
    hint,
  );
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

interface PlannedFile {
  path: string;
  content: string;
}

function refuseForeign(path: string, content: string | null): void {
  if (content !== null && readMarker(content) === null) {
    throw new UsageError(
      `${path} exists and was not written by 'ghpat remind install'; ghpat leaves it alone.`,
      "Move it aside if it is not needed, then run 'ghpat remind install' again.",
    );
  }
}

/** Puts files back as they were before an install that failed half-way. */
async function restore(files: PlannedFile[], previous: Array<string | null>): Promise<void> {
  for (const [i, file] of files.entries()) {
    const before = previous[i];
    try {
      if (before === null || before === undefined) await unlink(file.path);
      else await writeFileAtomic(file.path, before, 0o644);
    } catch {
      // Already gone, or the directory went away: nothing of ours is left there.
    }
  }
}

/**
 * Writes unit files, then runs the commands that make the scheduler take
 * them; a failing command undoes the writes.
 */
async function installFiles(
  files: PlannedFile[],
  before: ReadonlyArray<readonly string[]>,
  after: ReadonlyArray<readonly string[]>,
  program: string,
  hint: string,
  io: SchedulerIo,
): Promise<boolean> {
  const previous = await Promise.all(files.map((f) => readOrNull(f.path)));
  files.forEach((file, i) => refuseForeign(file.path, previous[i] ?? null));
  if (files.every((file, i) => previous[i] === file.content)) return false;
  if (previous.some((content) => content !== null)) {
    // An older version is loaded: take it out first (it may not be loaded at all, hence no check).
    for (const args of before) await io.run(program, args);
  }
  for (const file of files) await mkdir(dirname(file.path), { recursive: true });
  try {
    for (const file of files) await writeFileAtomic(file.path, file.content, 0o644);
    for (const args of after) {
      const result = await io.run(program, args);
      if (result.code !== 0)
        throw schedulerFailure(
          program,
          args,
          result,
          "Nothing was installed: the files ghpat wrote for it are gone again.",
          hint,
        );
    }
  } catch (error) {
    await restore(files, previous);
    throw error;
  }
  return true;
}

const SYSTEMD_HINT = "Check that your systemd user session runs ('systemctl --user status'), or pass --scheduler cron.";
const LAUNCHD_HINT = "Run it from a logged-in session (launchd's gui domain), or pass --scheduler cron.";
const CRON_HINT = "Check that crontab works for you ('crontab -l'), or pass another --scheduler.";
const SCHTASKS_HINT = "Check that Task Scheduler runs and that you may create tasks ('schtasks /Query').";

function systemdFiles(io: SchedulerIo, job?: ReminderJob): PlannedFile[] {
  const dir = systemdUserDir(io.env, io.home);
  return [
    { path: join(dir, SYSTEMD_SERVICE), content: job ? systemdService(job) : "" },
    { path: join(dir, SYSTEMD_TIMER), content: job ? systemdTimer(job) : "" },
  ];
}

async function crontabNow(io: SchedulerIo): Promise<string> {
  const args = ["-l"];
  const result = await io.run("crontab", args);
  if (result.code === 0) return result.stdout;
  // "no crontab for USER": an empty crontab, not a failure.
  if (/no crontab for/i.test(result.stderr)) return "";
  throw schedulerFailure("crontab", args, result, "The crontab was not changed.", CRON_HINT);
}

async function writeCrontab(io: SchedulerIo, content: string): Promise<void> {
  const args = content === "" ? ["-r"] : ["-"];
  const result = await io.run("crontab", args, content);
  if (result.code !== 0) throw schedulerFailure("crontab", args, result, "The crontab was not changed.", CRON_HINT);
}

async function taskNow(io: SchedulerIo): Promise<string | null> {
  const result = await io.run("schtasks", schtasksQuery());
  return result.code === 0 ? result.stdout : null;
}

export async function installReminder(
  scheduler: SchedulerKind,
  job: ReminderJob,
  io: SchedulerIo,
): Promise<InstallResult> {
  switch (scheduler) {
    case "systemd": {
      const files = systemdFiles(io, job);
      const changed = await installFiles(
        files,
        [SYSTEMCTL_UNINSTALL_BEFORE],
        SYSTEMCTL_INSTALL,
        "systemctl",
        SYSTEMD_HINT,
        io,
      );
      return { scheduler, changed, where: files.map((f) => f.path) };
    }
    case "launchd": {
      const file = { path: launchAgentPath(io.home), content: launchAgentPlist(job) };
      const changed = await installFiles(
        [file],
        [launchctlBootout(io.uid)],
        [launchctlBootstrap(io.uid, file.path)],
        "launchctl",
        LAUNCHD_HINT,
        io,
      );
      return { scheduler, changed, where: [file.path] };
    }
    case "cron": {
      const next = withCronLine(await crontabNow(io), cronLine(job));
      if (next !== null) await writeCrontab(io, next);
      return { scheduler, changed: next !== null, where: ["crontab (crontab -l)"] };
    }
    case "schtasks": {
      const xml = taskXml(job);
      const existing = await taskNow(io);
      const where = [`Task Scheduler: ${TASK_NAME}`];
      if (existing !== null) {
        refuseForeign(`The task '${TASK_NAME}'`, existing);
        const installed = readMarker(existing);
        if (installed?.at === readMarker(xml)?.at && installed?.days === job.days && existing.includes(job.binPath))
          return { scheduler, changed: false, where };
      }
      const file = join(tmpdir(), `${TASK_NAME}-${process.pid}.xml`);
      await writeFile(file, taskXmlBytes(xml), { mode: 0o600 });
      try {
        const args = schtasksCreate(file);
        const result = await io.run("schtasks", args);
        if (result.code !== 0) throw schedulerFailure("schtasks", args, result, "No task was created.", SCHTASKS_HINT);
      } finally {
        await unlink(file).catch(() => undefined);
      }
      return { scheduler, changed: true, where };
    }
  }
}

/** Removes files that carry ghpat's marker, after `before` and before `after` commands; a failing command stops with exit 4. */
async function uninstallFiles(
  paths: string[],
  before: readonly string[],
  after: readonly string[] | null,
  program: string,
  hint: string,
  io: SchedulerIo,
): Promise<string[]> {
  const contents = await Promise.all(paths.map(readOrNull));
  paths.forEach((path, i) => refuseForeign(path, contents[i] ?? null));
  const present = paths.filter((_, i) => contents[i] !== null);
  if (present.length === 0) return [];
  const stopped = await io.run(program, before);
  if (stopped.code !== 0) throw schedulerFailure(program, before, stopped, "Nothing was removed.", hint);
  for (const path of present) await unlink(path);
  if (after !== null) {
    const reloaded = await io.run(program, after);
    if (reloaded.code !== 0)
      throw schedulerFailure(
        program,
        after,
        reloaded,
        `The files are removed (${present.join(", ")}), but the scheduler has not re-read them yet.`,
        hint,
      );
  }
  return present;
}

export async function uninstallReminder(scheduler: SchedulerKind, io: SchedulerIo): Promise<UninstallResult> {
  switch (scheduler) {
    case "systemd":
      return {
        scheduler,
        removed: await uninstallFiles(
          systemdFiles(io).map((f) => f.path),
          SYSTEMCTL_UNINSTALL_BEFORE,
          SYSTEMCTL_UNINSTALL_AFTER,
          "systemctl",
          SYSTEMD_HINT,
          io,
        ),
      };
    case "launchd":
      return {
        scheduler,
        removed: await uninstallFiles(
          [launchAgentPath(io.home)],
          launchctlBootout(io.uid),
          null,
          "launchctl",
          LAUNCHD_HINT,
          io,
        ),
      };
    case "cron": {
      const current = await crontabNow(io);
      const lines = cronLinesIn(current);
      const next = withoutCronLine(current);
      if (next === null) return { scheduler, removed: [] };
      await writeCrontab(io, next);
      return { scheduler, removed: lines.map((line) => `crontab line: ${line}`) };
    }
    case "schtasks": {
      const existing = await taskNow(io);
      if (existing === null) return { scheduler, removed: [] };
      refuseForeign(`The task '${TASK_NAME}'`, existing);
      const args = schtasksDelete();
      const result = await io.run("schtasks", args);
      if (result.code !== 0)
        throw schedulerFailure("schtasks", args, result, "The task is still there.", SCHTASKS_HINT);
      return { scheduler, removed: [`Task Scheduler: ${TASK_NAME}`] };
    }
  }
}

function statusOf(
  scheduler: SchedulerKind,
  where: string[],
  marked: string | null,
  command: string | null,
): RemindStatus {
  const settings = marked === null ? null : readMarker(marked);
  return {
    scheduler,
    installed: settings !== null,
    where: settings === null ? [] : where,
    at: settings?.at ?? null,
    days: settings?.days ?? null,
    command: settings === null ? null : command,
  };
}

export async function reminderStatus(scheduler: SchedulerKind, io: SchedulerIo): Promise<RemindStatus> {
  switch (scheduler) {
    case "systemd": {
      const [service, timer] = systemdFiles(io).map((f) => f.path) as [string, string];
      const [serviceText, timerText] = await Promise.all([readOrNull(service), readOrNull(timer)]);
      // Both halves or it is not installed: a timer without its service runs nothing.
      const marked = serviceText !== null && timerText !== null && readMarker(timerText) !== null ? serviceText : null;
      const exec = /^ExecStart=(.*)$/m.exec(serviceText ?? "")?.[1] ?? null;
      return statusOf(scheduler, [service, timer], marked, exec);
    }
    case "launchd": {
      const path = launchAgentPath(io.home);
      const text = await readOrNull(path);
      const args =
        text === null
          ? []
          : [...text.matchAll(/<array>([\s\S]*?)<\/array>/g)].flatMap((m) =>
              [...(m[1] ?? "").matchAll(/<string>(.*?)<\/string>/g)].map((s) => s[1] ?? ""),
            );
      return statusOf(scheduler, [path], text, args.join(" ") || null);
    }
    case "cron": {
      const [line] = cronLinesIn(await crontabNow(io));
      return statusOf(scheduler, ["crontab (crontab -l)"], line ?? null, line ?? null);
    }
    case "schtasks": {
      const xml = await taskNow(io);
      const command =
        xml === null
          ? null
          : [/<Command>(.*?)<\/Command>/.exec(xml)?.[1], /<Arguments>(.*?)<\/Arguments>/.exec(xml)?.[1]]
              .filter((s) => s !== undefined)
              .join(" ");
      return statusOf(scheduler, [`Task Scheduler: ${TASK_NAME}`], xml, command);
    }
  }
}

/** The real file behind a path (npm's global bin is a symlink), so the job survives PATH and link changes; as setup-git does. */
export function realAbsolutePath(file: string): string {
  const full = resolve(file);
  try {
    return realpathSync(full);
  } catch {
    return full;
  }
}

function executableOnPath(command: string, env: Env, platform: NodeJS.Platform): boolean {
  const extensions = platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    for (const extension of extensions) {
      try {
        accessSync(join(dir, command + extension), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** What detectScheduler decides from, read from this machine. */
export function schedulerFacts(env: Env, platform: NodeJS.Platform = process.platform): SchedulerFacts {
  return {
    platform,
    systemdBooted: existsSync("/run/systemd/system"),
    onPath: (command) => executableOnPath(command, env, platform),
  };
}
