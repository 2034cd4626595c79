import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderNotice, NOTICE_TOKEN_LINES } from "../../src/core/remind/notice.js";
import { findReminders, type Finding } from "../../src/core/reminders.js";
import { parseSignature, Reader, Writer } from "../../src/storage/dbus/wire.js";
import { osascriptCommand, powershellToastCommand, POWERSHELL_APP_ID } from "../../src/ui/notify/commands.js";
import { notifyBody, NOTIFY_SIGNATURE, sessionBusEnv } from "../../src/ui/notify/freedesktop.js";
import { sendNotification } from "../../src/ui/notify/send.js";
import { canaryToken } from "../helpers/canary.js";
import { startBus, type Bus } from "../helpers/keyring.js";
import { haveDbusMonitor, NotificationService, NotifyMonitor } from "../helpers/notifications.js";
import { makeRecord } from "../helpers/records.js";

const NOW = new Date("2026-12-02T10:00:00.000Z");
const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

function findingsFor(...specs: Array<[string, Partial<Parameters<typeof makeRecord>[1]>]>): Finding[] {
  return findReminders(
    specs.map(([name, fields]) =>
      makeRecord(name, { addedAt: at(-1), lastVerifiedAt: at(-1), expiresAt: at(60), ...fields }),
    ),
    NOW,
  );
}

describe("the reminder notice", () => {
  it("names each token once, with its most urgent finding, and ends with the summary", () => {
    const findings = findingsFor(
      ["work", { expiresAt: at(3), scopes: ["delete_repo"] }],
      ["ci", { expiresAt: at(-1) }],
      ["ok", {}],
    );
    expect(reminderNotice(findings, 3)).toEqual({
      title: "ghpat: 2 tokens need attention",
      body: [
        "ci (github.com): expired, expired on 2026-12-01",
        "work (github.com): expiring, expires on 2026-12-05 (in 3 days)",
        "3 findings for 2 of 3 tokens: 1 expired, 1 expiring, 1 broad-scopes. Run 'ghpat revoke-reminder' for the details.",
      ].join("\n"),
      urgency: "critical",
    });
  });

  it("is silent when nothing is found, singular for one token, and counts what does not fit", () => {
    expect(reminderNotice([], 4)).toBeNull();
    const one = reminderNotice(findingsFor(["work", { expiresAt: at(3) }]), 1);
    expect(one).toMatchObject({ title: "ghpat: token 'work' needs attention", urgency: "normal" });
    const many = Array.from({ length: NOTICE_TOKEN_LINES + 2 }, (_, i): [string, object] => [
      `t${i}`,
      { expiresAt: at(i + 1) },
    ]);
    const body = reminderNotice(findingsFor(...many), many.length)?.body.split("\n") ?? [];
    expect(body).toHaveLength(NOTICE_TOKEN_LINES + 2);
    expect(body[NOTICE_TOKEN_LINES]).toBe("and 2 more tokens");
  });
});

const notice = {
  title: "ghpat: token 'work' needs attention",
  body: "work (github.com): expiring, \"in 3 days\" & <soon> 'quoted' $HOME `x`",
  urgency: "normal" as const,
};

describe("the notification command lines", () => {
  it("gives osascript the text as arguments, never inside the script", () => {
    const command = osascriptCommand(notice);
    expect(command.command).toBe("osascript");
    expect(command.args.slice(-3)).toEqual(["--", notice.title, notice.body]);
    expect(command.args.slice(0, -3).join(" ")).not.toContain("work");
    expect(command.args).toContain("display notification (item 2 of argv) with title (item 1 of argv)");
  });

  it("gives PowerShell an encoded script that reads the text from its environment and escapes it for the toast's XML", () => {
    const command = powershellToastCommand(notice);
    expect(command.command).toBe("powershell.exe");
    expect(command.args.slice(0, -1)).toEqual([
      "-NoProfile",
      "-NonInteractive",
      "-ExecutionPolicy",
      "Bypass",
      "-EncodedCommand",
    ]);
    const script = Buffer.from(command.args.at(-1) ?? "", "base64").toString("utf16le");
    expect(script).toContain("[System.Security.SecurityElement]::Escape($env:GHPAT_NOTIFY_BODY)");
    expect(script).toContain(`CreateToastNotifier('${POWERSHELL_APP_ID}')`);
    expect(script).not.toContain("work");
    expect(command.env).toEqual({ GHPAT_NOTIFY_TITLE: notice.title, GHPAT_NOTIFY_BODY: notice.body });
  });
});

describe("the freedesktop Notify call", () => {
  it("marshals Notify's arguments (susssasa{sv}i) and reads them back", () => {
    const types = parseSignature(NOTIFY_SIGNATURE);
    const writer = new Writer();
    const body = notifyBody({ ...notice, urgency: "critical" });
    types.forEach((type, i) => writer.value(type, body[i]));
    const reader = new Reader(writer.toBuffer(), true);
    expect(types.map((type) => reader.value(type))).toEqual([
      "ghpat",
      0,
      "",
      notice.title,
      "work (github.com): expiring, \"in 3 days\" &amp; &lt;soon&gt; 'quoted' $HOME `x`",
      [],
      [
        ["urgency", { signature: "y", value: 2 }],
        ["desktop-entry", { signature: "s", value: "ghpat" }],
      ],
      -1,
    ]);
  });

  it("finds the user's bus as a cron job must: XDG_RUNTIME_DIR from the uid when nothing says where", () => {
    expect(sessionBusEnv({}, 1000)).toEqual({ XDG_RUNTIME_DIR: "/run/user/1000" });
    expect(sessionBusEnv({ XDG_RUNTIME_DIR: "/x" }, 1000)).toEqual({ XDG_RUNTIME_DIR: "/x" });
    expect(sessionBusEnv({ DBUS_SESSION_BUS_ADDRESS: "" }, 1000)).toEqual({ DBUS_SESSION_BUS_ADDRESS: "" });
    expect(sessionBusEnv({}, undefined)).toEqual({});
  });
});

(haveDbusMonitor ? describe : describe.skip)("a notification over a real session bus", () => {
  let bus: Bus;
  beforeAll(() => {
    bus = startBus();
  });
  afterAll(() => bus.stop());

  it("reaches the notification service, and dbus-monitor sees the names and no token", async () => {
    const secret = canaryToken();
    const service = await NotificationService.start(bus.address);
    const monitor = await NotifyMonitor.start(bus.address);
    try {
      const outcome = await sendNotification(
        notice,
        { DBUS_SESSION_BUS_ADDRESS: bus.address, GH_TOKEN: secret },
        "linux",
      );
      expect(outcome).toEqual({ sent: true, via: "org.freedesktop.Notifications" });
      expect(service.received).toEqual([
        expect.objectContaining({ appName: "ghpat", summary: notice.title, expireTimeout: -1 }),
      ]);
      const seen = await monitor.output();
      expect(seen).toContain("string \"ghpat: token 'work' needs attention\"");
      expect(seen).toContain("work (github.com)");
      expect(seen).not.toContain(secret);
    } finally {
      monitor.stop();
      service.stop();
    }
  });

  it("reports, without throwing, a bus with no notification service, and one with no bus at all", async () => {
    const outcome = await sendNotification(notice, { DBUS_SESSION_BUS_ADDRESS: bus.address }, "linux");
    expect(outcome.sent).toBe(false);
    expect(outcome).toMatchObject({ reason: expect.stringMatching(/org\.freedesktop\.Notifications/) });
    expect(
      await sendNotification(notice, { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }, "linux"),
    ).toMatchObject({ sent: false, reason: expect.stringMatching(/session bus/) });
  });
});
