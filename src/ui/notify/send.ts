/**
 * A desktop notification on whatever the platform offers: the freedesktop
 * service on the session bus (Linux, the BSDs), osascript (macOS), a
 * PowerShell toast (Windows). It reports, never throws: the caller falls
 * back to text when no notification could be shown.
 */
import { execFile } from "node:child_process";
import { childEnvironment, type Env } from "../../config.js";
import type { Notice } from "../../core/remind/notice.js";
import { osascriptCommand, powershellToastCommand, type NotifyCommand } from "./commands.js";

export type NotifyOutcome = { sent: true; via: string } | { sent: false; reason: string };

const COMMAND_TIMEOUT_MS = 15_000;

function runCommand(command: NotifyCommand, env: Env): Promise<NotifyOutcome> {
  return new Promise((resolve) => {
    execFile(
      command.command,
      command.args,
      {
        env: { ...childEnvironment(env), ...command.env },
        timeout: COMMAND_TIMEOUT_MS,
        windowsHide: true,
        encoding: "utf8",
      },
      (error, _stdout, stderr) => {
        if (!error) resolve({ sent: true, via: command.command });
        else if ((error as NodeJS.ErrnoException).code === "ENOENT")
          resolve({ sent: false, reason: `${command.command} was not found` });
        else
          resolve({
            sent: false,
            reason: `${command.command} failed: ${stderr.trim().split("\n")[0] || error.message}`,
          });
      },
    );
  });
}

export async function sendNotification(
  notice: Notice,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): Promise<NotifyOutcome> {
  if (platform === "darwin") return runCommand(osascriptCommand(notice), env);
  if (platform === "win32") return runCommand(powershellToastCommand(notice), env);
  const { notifyFreedesktop } = await import("./freedesktop.js");
  try {
    await notifyFreedesktop(notice, env);
    return { sent: true, via: "org.freedesktop.Notifications" };
  } catch (error) {
    return { sent: false, reason: (error as Error).message };
  }
}
