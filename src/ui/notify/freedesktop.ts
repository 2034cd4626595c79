/**
 * org.freedesktop.Notifications.Notify on the session bus, through ghpat's
 * own D-Bus client (the one that asks the Secret Service what it holds).
 */
import type { Env } from "../../config.js";
import type { Notice } from "../../core/remind/notice.js";
import { DBusConnection } from "../../storage/dbus/connection.js";

export const NOTIFICATIONS = {
  destination: "org.freedesktop.Notifications",
  path: "/org/freedesktop/Notifications",
  interface: "org.freedesktop.Notifications",
} as const;

/** Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout) → id. */
export const NOTIFY_SIGNATURE = "susssasa{sv}i";

const URGENCY = { normal: 1, critical: 2 } as const;

/** Servers that render body markup would read `<` and `&` as tags and entities. */
function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function notifyBody(notice: Notice): unknown[] {
  const hints: Array<[string, { signature: string; value: unknown }]> = [
    ["urgency", { signature: "y", value: URGENCY[notice.urgency] }],
    ["desktop-entry", { signature: "s", value: "ghpat" }],
  ];
  // -1: the server's own timeout.
  return ["ghpat", 0, "", notice.title, escapeMarkup(notice.body), [], hints, -1];
}

/**
 * The session bus as a scheduled job sees it: cron passes neither
 * DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR, yet the user's bus is at
 * /run/user/UID/bus whenever they are logged in.
 */
export function sessionBusEnv(env: Env, uid: number | undefined): Env {
  if (env.DBUS_SESSION_BUS_ADDRESS !== undefined || env.XDG_RUNTIME_DIR || uid === undefined) return env;
  return { ...env, XDG_RUNTIME_DIR: `/run/user/${uid}` };
}

/** Sends the notice; returns the server's id for it. Throws a DBusError when there is no bus or no notification service. */
export async function notifyFreedesktop(notice: Notice, env: Env, timeoutMs = 3000): Promise<number> {
  const connection = await DBusConnection.open(sessionBusEnv(env, process.getuid?.()), timeoutMs);
  try {
    const [id] = await connection.call({
      ...NOTIFICATIONS,
      member: "Notify",
      signature: NOTIFY_SIGNATURE,
      body: notifyBody(notice),
    });
    return typeof id === "number" ? id : 0;
  } finally {
    connection.close();
  }
}
