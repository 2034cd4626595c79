/**
 * The command lines that show a notification on macOS and Windows. Pure, so
 * that they are tested where neither system is at hand. The text never goes
 * through a script's source: osascript gets it as arguments, PowerShell as
 * environment variables, so no quoting can be got wrong.
 */
import type { Notice } from "../../core/remind/notice.js";

export interface NotifyCommand {
  command: string;
  args: string[];
  /** Variables added to the environment of the command. */
  env: Record<string, string>;
}

/** `display notification` with the text read from `argv`. */
export function osascriptCommand(notice: Notice): NotifyCommand {
  return {
    command: "osascript",
    args: [
      "-e",
      "on run argv",
      "-e",
      "display notification (item 2 of argv) with title (item 1 of argv)",
      "-e",
      "end run",
      "--",
      notice.title,
      notice.body,
    ],
    env: {},
  };
}

/**
 * PowerShell's own application id: a toast needs a registered app to show
 * under, and powershell.exe is one on every Windows.
 */
export const POWERSHELL_APP_ID = "{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe";

const TOAST_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null",
  "[Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] | Out-Null",
  "$title = [System.Security.SecurityElement]::Escape($env:GHPAT_NOTIFY_TITLE)",
  "$body = [System.Security.SecurityElement]::Escape($env:GHPAT_NOTIFY_BODY)",
  "$xml = New-Object Windows.Data.Xml.Dom.XmlDocument",
  `$xml.LoadXml("<toast><visual><binding template='ToastGeneric'><text>$title</text><text>$body</text></binding></visual></toast>")`,
  `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('${POWERSHELL_APP_ID}').Show([Windows.UI.Notifications.ToastNotification]::new($xml))`,
].join("\n");

/** A toast through Windows PowerShell; the script travels as -EncodedCommand (UTF-16LE, base 64), immune to cmd's quoting. */
export function powershellToastCommand(notice: Notice): NotifyCommand {
  return {
    command: "powershell.exe",
    args: [
      "-NoProfile",
      "-NonInteractive",
      "-ExecutionPolicy",
      "Bypass",
      "-EncodedCommand",
      Buffer.from(TOAST_SCRIPT, "utf16le").toString("base64"),
    ],
    env: { GHPAT_NOTIFY_TITLE: notice.title, GHPAT_NOTIFY_BODY: notice.body },
  };
}
