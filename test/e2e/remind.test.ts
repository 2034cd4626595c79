import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { startBus, type Bus } from "../helpers/keyring.js";
import { haveDbusMonitor, NotificationService, NotifyMonitor } from "../helpers/notifications.js";
import { makeRecord } from "../helpers/records.js";
import { BIN, Sandbox } from "../helpers/sandbox.js";
import { canUseThrowawayCrontab, SystemctlStandIn, ThrowawayCrontab } from "../helpers/schedulers.js";

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** An index with one token expiring in three days, one expired, and one healthy; no secrets needed: revoke-reminder reads the index only. */
function writeIndex(sb: Sandbox): void {
  const records = [
    makeRecord("work", { expiresAt: inDays(3.5), addedAt: inDays(-5), lastVerifiedAt: inDays(-1) }),
    makeRecord("ci-bot", { expiresAt: inDays(-2), addedAt: inDays(-30), lastVerifiedAt: inDays(-3) }),
    makeRecord("healthy", { expiresAt: inDays(200), addedAt: inDays(-5), lastVerifiedAt: inDays(-1) }),
  ];
  mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(sb.indexPath(), JSON.stringify({ version: 1, tokens: records }), { mode: 0o600 });
}

(haveDbusMonitor ? describe : describe.skip)("revoke-reminder --notify", () => {
  let bus: Bus;
  let sb: Sandbox;
  beforeAll(() => {
    bus = startBus();
  });
  afterAll(() => bus.stop());
  beforeEach(() => {
    sb = new Sandbox({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
    writeIndex(sb);
  });
  afterEach(() => sb.cleanup());

  it("sends one notification naming the tokens, which dbus-monitor sees without any token", async () => {
    const secret = sb.canary(canaryToken());
    const service = await NotificationService.start(bus.address);
    const monitor = await NotifyMonitor.start(bus.address);
    try {
      const result = await sb.run(["revoke-reminder", "--notify"], { env: { GH_TOKEN: secret } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("Sent a desktop notification");
      expect(service.received).toHaveLength(1);
      expect(service.received[0]).toMatchObject({ appName: "ghpat", summary: "ghpat: 2 tokens need attention" });
      expect(service.received[0]?.body).toMatch(
        /^ci-bot \(github\.com\): expired, expired on .*\nwork \(github\.com\): expiring, expires on .* \(in 3 days\)\n/,
      );
      const seen = await monitor.output();
      expect(seen).toContain("ci-bot (github.com)");
      expect(seen).toContain("work (github.com)");
      expect(seen).not.toContain("healthy");
      expect(seen).not.toContain(secret);
    } finally {
      monitor.stop();
      service.stop();
    }
  });

  it("keeps --check's exit code, and falls back to the report on stderr when no notification service answers", async () => {
    const sent = await (async () => {
      const service = await NotificationService.start(bus.address);
      try {
        return await sb.run(["revoke-reminder", "--notify", "--check"]);
      } finally {
        service.stop();
      }
    })();
    expect(sent.code).toBe(1);

    const fallback = await sb.run(["revoke-reminder", "--notify", "--check"]);
    expect(fallback.code).toBe(1);
    expect(fallback.stdout).toBe("");
    expect(fallback.stderr).toMatch(/REASON\s+NAME\s+HOST/);
    expect(fallback.stderr).toMatch(/expired\s+ci-bot\s+github\.com/);
    expect(fallback.stderr).toContain("2 findings for 2 of 3 tokens: 1 expired, 1 expiring.");
    expect(fallback.stderr).toMatch(/no desktop notification/i);
    const plain = await sb.run(["revoke-reminder", "--notify"], {
      env: { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
    });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/expiring\s+work\s+github\.com/);
  });

  it("sends nothing when nothing needs attention", async () => {
    const service = await NotificationService.start(bus.address);
    try {
      writeFileSync(
        sb.indexPath(),
        JSON.stringify({
          version: 1,
          tokens: [makeRecord("healthy", { expiresAt: inDays(200), addedAt: inDays(-5), lastVerifiedAt: inDays(-1) })],
        }),
      );
      const result = await sb.run(["revoke-reminder", "--notify"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("No token needs attention");
      expect(service.received).toEqual([]);
    } finally {
      service.stop();
    }
  });
});

describe("ghpat remind with a systemd user timer (systemctl stand-in)", () => {
  let sb: Sandbox;
  let systemctl: SystemctlStandIn;
  beforeEach(() => {
    systemctl = new SystemctlStandIn();
    sb = new Sandbox({ env: { PATH: systemctl.path() } });
    sb.env.XDG_CONFIG_HOME = join(sb.home, ".config");
    writeIndex(sb);
  });
  afterEach(() => {
    sb.cleanup();
    systemctl.cleanup();
  });
  const unitDir = () => join(sb.home, ".config", "systemd", "user");

  it("installs the units with absolute paths, idempotently; status says where; uninstall removes exactly them", async () => {
    const install = await sb.run(["remind", "install", "--scheduler", "systemd", "--at", "08:15", "--days", "21"]);
    expect(install.code, install.stderr).toBe(0);
    const service = readFileSync(join(unitDir(), "ghpat-remind.service"), "utf8");
    expect(service).toContain(
      `ExecStart="${realpathSync(process.execPath)}" "${realpathSync(BIN)}" "revoke-reminder" "--notify" "--days" "21"\n`,
    );
    expect(service).toContain(`Environment="GHPAT_CONFIG_DIR=${sb.configDir}"\n`);
    expect(readFileSync(join(unitDir(), "ghpat-remind.timer"), "utf8")).toContain("OnCalendar=*-*-* 08:15:00\n");
    expect(systemctl.calls()).toEqual(["--user daemon-reload", "--user enable --now ghpat-remind.timer"]);
    expect(install.stderr).toContain(join(unitDir(), "ghpat-remind.timer"));

    systemctl.clear();
    const again = await sb.run(["remind", "install", "--scheduler", "systemd", "--at", "08:15", "--days", "21"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already installed/i);
    expect(systemctl.calls()).toEqual([]);

    const status = await sb.run(["remind", "status", "--scheduler", "systemd", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      scheduler: "systemd",
      installed: true,
      where: [join(unitDir(), "ghpat-remind.service"), join(unitDir(), "ghpat-remind.timer")],
      at: "08:15",
      days: 21,
      command: `"${realpathSync(process.execPath)}" "${realpathSync(BIN)}" "revoke-reminder" "--notify" "--days" "21"`,
    });

    const uninstall = await sb.run(["remind", "uninstall", "--scheduler", "systemd"]);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    expect(existsSync(join(unitDir(), "ghpat-remind.service"))).toBe(false);
    expect(existsSync(join(unitDir(), "ghpat-remind.timer"))).toBe(false);
    expect(systemctl.calls().slice(-2)).toEqual(["--user disable --now ghpat-remind.timer", "--user daemon-reload"]);
    const after = await sb.run(["remind", "status", "--scheduler", "systemd", "--json"]);
    expect(JSON.parse(after.stdout)).toMatchObject({ installed: false, where: [] });
    const text = await sb.run(["remind", "status", "--scheduler", "systemd"]);
    expect(text.stderr + text.stdout).toMatch(/not installed/i);
  });

  it("exits 4 with a clear error and leaves no unit behind when systemctl fails", async () => {
    systemctl.failOn("enable");
    const result = await sb.run(["remind", "install", "--scheduler", "systemd"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      "'systemctl --user enable --now ghpat-remind.timer' failed (exit 1: Failed to connect to bus: No medium found)",
    );
    expect(existsSync(join(unitDir(), "ghpat-remind.service"))).toBe(false);
    expect(existsSync(join(unitDir(), "ghpat-remind.timer"))).toBe(false);
  });

  it("refuses a time that is not HH:MM and an unknown scheduler with a usage error", async () => {
    expect((await sb.run(["remind", "install", "--scheduler", "systemd", "--at", "9am"])).code).toBe(2);
    expect((await sb.run(["remind", "install", "--scheduler", "anacron"])).code).toBe(2);
    expect(systemctl.calls()).toEqual([]);
  });
});

(canUseThrowawayCrontab ? describe : describe.skip)(
  "ghpat remind with cron (the real crontab of a throw-away user)",
  () => {
    let crontab: ThrowawayCrontab;
    let sb: Sandbox;
    beforeAll(() => {
      crontab = new ThrowawayCrontab();
    });
    afterAll(() => crontab.cleanup());
    beforeEach(() => {
      sb = new Sandbox({ env: { PATH: crontab.path() } });
    });
    afterEach(() => sb.cleanup());

    it("adds one line beside the user's own, keeps it once, and uninstall takes out exactly that line", async () => {
      const mine = "# mine\nMAILTO=me@example.com\n*/10 * * * * /usr/bin/backup\n";
      crontab.write(mine);
      const install = await sb.run(["remind", "install", "--scheduler", "cron", "--at", "07:45"]);
      expect(install.code, install.stderr).toBe(0);
      const table = crontab.read() ?? "";
      expect(table.startsWith(mine)).toBe(true);
      const added = table.slice(mine.length);
      expect(added).toBe(
        `45 7 * * * GHPAT_CONFIG_DIR=${sb.configDir} ${realpathSync(process.execPath)} ${realpathSync(BIN)} revoke-reminder --notify --days 14 # ghpat-remind: Written by 'ghpat remind install' (at 07:45, --days 14); 'ghpat remind uninstall' removes it.\n`,
      );
      expect((await sb.run(["remind", "install", "--scheduler", "cron", "--at", "07:45"])).code).toBe(0);
      expect(crontab.read()).toBe(table);

      const status = await sb.run(["remind", "status", "--scheduler", "cron", "--json"]);
      expect(JSON.parse(status.stdout)).toMatchObject({ scheduler: "cron", installed: true, at: "07:45", days: 14 });

      const uninstall = await sb.run(["remind", "uninstall", "--scheduler", "cron"]);
      expect(uninstall.code, uninstall.stderr).toBe(0);
      expect(crontab.read()).toBe(mine);
    });
  },
);
