import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * A scheduler command (`systemctl`, `launchctl`, `schtasks`) on PATH that
 * records each call's arguments, one call per line, and exits 0, or 1 with
 * a message for a call whose arguments contain a word `failOn()` named. A real
 * user systemd (or launchd, or Task Scheduler) is not there in CI.
 */
export class CommandStandIn {
  readonly dir = mkdtempSync(join(tmpdir(), "ghpat-standin-"));
  readonly bin = join(this.dir, "bin");
  private readonly log = join(this.dir, "calls.log");
  private readonly failFile = join(this.dir, "fail-on");

  constructor(readonly name = "systemctl") {
    mkdirSync(this.bin);
    const script = join(this.bin, name);
    writeFileSync(
      script,
      `#!/bin/sh
printf '%s\\n' "$*" >> '${this.log}'
if [ -f '${this.failFile}' ]; then
  while IFS= read -r word; do
    case "$*" in *"$word"*) echo "Failed to connect to bus: No medium found" >&2; exit 1;; esac
  done < '${this.failFile}'
fi
exit 0
`,
    );
    chmodSync(script, 0o755);
  }

  /** PATH with the stand-in first. */
  path(base = process.env.PATH ?? "/usr/bin:/bin"): string {
    return `${this.bin}:${base}`;
  }

  calls(): string[] {
    return existsSync(this.log) ? readFileSync(this.log, "utf8").trimEnd().split("\n").filter(Boolean) : [];
  }

  clear(): void {
    rmSync(this.log, { force: true });
  }

  /** Calls whose arguments contain any of `words` fail from now on; null: none do. */
  failOn(...words: Array<string | null>): void {
    const given = words.filter((w): w is string => w !== null);
    if (given.length === 0) rmSync(this.failFile, { force: true });
    else writeFileSync(this.failFile, `${given.join("\n")}\n`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The stand-in for `systemctl`. */
export class SystemctlStandIn extends CommandStandIn {
  constructor() {
    super("systemctl");
  }
}

const isRoot = process.getuid?.() === 0;
const sudoWorks = !isRoot && process.platform === "linux" && spawnSync("sudo", ["-n", "true"]).status === 0;
const REAL_CRONTAB = "/usr/bin/crontab";

/** A real crontab (Debian's cron) and a way to make a throw-away user for it: root, or sudo without a password (CI). */
export const canUseThrowawayCrontab =
  process.platform === "linux" &&
  existsSync(REAL_CRONTAB) &&
  (isRoot || sudoWorks) &&
  spawnSync("sh", ["-c", "command -v useradd && command -v userdel"]).status === 0;

function privileged(args: string[], input?: string) {
  const [command, ...rest] = args as [string, ...string[]];
  const result = isRoot
    ? spawnSync(command, rest, { input, encoding: "utf8" })
    : spawnSync("sudo", ["-n", command, ...rest], { input, encoding: "utf8" });
  return result;
}

/**
 * Debian's crontab keeps every user's table in /var/spool/cron/crontabs,
 * compiled in: there is no private spool. So the tests get a user of their
 * own, created for the test and deleted after it, and a `crontab` on PATH
 * that runs the real one for that user (`crontab -u USER`, as root). The
 * machine's own users' crontabs are never touched.
 */
export class ThrowawayCrontab {
  readonly user = `ghpat-t${randomBytes(4).toString("hex")}`;
  readonly dir = mkdtempSync(join(tmpdir(), "ghpat-crontab-"));
  readonly bin = join(this.dir, "bin");

  constructor() {
    const created = privileged(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", this.user]);
    if (created.status !== 0) throw new Error(`useradd failed: ${created.stderr}`);
    mkdirSync(this.bin);
    const wrapper = join(this.bin, "crontab");
    writeFileSync(wrapper, `#!/bin/sh\nexec ${isRoot ? "" : "sudo -n "}${REAL_CRONTAB} -u ${this.user} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }

  path(base = process.env.PATH ?? "/usr/bin:/bin"): string {
    return `${this.bin}:${base}`;
  }

  /** The user's table as the real crontab lists it, or null when there is none. */
  read(): string | null {
    const result = privileged([REAL_CRONTAB, "-u", this.user, "-l"]);
    return result.status === 0 ? result.stdout : null;
  }

  write(text: string): void {
    const result = privileged([REAL_CRONTAB, "-u", this.user, "-"], text);
    if (result.status !== 0) throw new Error(`crontab - failed: ${result.stderr}`);
  }

  cleanup(): void {
    privileged([REAL_CRONTAB, "-u", this.user, "-r"]);
    privileged(["userdel", this.user]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
