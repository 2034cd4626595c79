import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, readdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  acquireLock,
  clearStaleLock,
  clearStaleTakeover,
  inspectLock,
  LockBusyError,
  LockLostError,
  observe,
  removeStale,
} from "../../src/storage/lock.js";
import { debrisOf, sweepDebris, writeFileAtomic } from "../../src/storage/atomic-file.js";
import { pidNamespace, processAlive, processStart } from "../../src/storage/process-alive.js";

let dir: string;
let lockPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-lock-"));
  lockPath = join(dir, "tokens.json.lock");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function plant(path: string, owner: object, ageMs = 0): void {
  writeFileSync(path, JSON.stringify(owner));
  if (ageMs > 0) {
    const then = new Date(Date.now() - ageMs);
    utimesSync(path, then, then);
  }
}

describe("process liveness", () => {
  it("knows itself alive and a reaped child dead", () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(deadPid())).toBe(false);
    expect(processAlive(0)).toBe(false);
    expect(processAlive(-1)).toBe(false);
  });

  // Zombies show only in /proc: kill(0) still reaches them.
  it.runIf(process.platform === "linux")("counts a zombie, exited but not reaped, as dead", async () => {
    // The shell starts a child, then becomes a sleep that never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(
        await new Promise<string>((resolve) => parent.stdout.once("data", (data: Buffer) => resolve(data.toString()))),
      );
      for (let i = 0; i < 100 && !readFileSync(`/proc/${zombie}/stat`, "latin1").includes(") Z "); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(processAlive(zombie)).toBe(false);
      expect(processStart(zombie)).toMatch(/^\d+$/);
    } finally {
      parent.kill("SIGKILL");
    }
  });
});

describe("the index lock", () => {
  it("writes its owner into the lock and removes it on release", async () => {
    const lock = await acquireLock(lockPath);
    const owner = JSON.parse(readFileSync(lockPath, "utf8"));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    if (process.platform === "linux")
      expect(owner).toMatchObject({ start: processStart(process.pid), pidns: pidNamespace() });
    await lock.verify();
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps a second taker out until the first releases", async () => {
    const first = await acquireLock(lockPath);
    let secondHeld = false;
    const second = acquireLock(lockPath).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(secondHeld).toBe(false);
    await first.release();
    const lock = await second;
    expect(secondHeld).toBe(true);
    await lock.release();
  });

  it("gives up on a live owner after the timeout and names it", async () => {
    plant(lockPath, { pid: process.pid, host: hostname(), nonce: "other", since: "2026-01-01T00:00:00Z" });
    const error = await acquireLock(lockPath, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).owner?.pid).toBe(process.pid);
    expect(readFileSync(lockPath, "utf8")).toContain("other");
  });

  it("takes over at once a lock whose owner on this host is dead", async () => {
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    expect((await inspectLock(lockPath))?.stale).toBe(true);
    const lock = await acquireLock(lockPath, { timeoutMs: 0 });
    expect(readFileSync(lockPath, "utf8")).not.toContain("dead");
    await lock.release();
  });

  // The start time that tells a live owner from a reused pid is read from /proc.
  it.runIf(process.platform === "linux")(
    "never takes the lock of a live owner on this host, however long it has been frozen; takes it once the owner is gone",
    async () => {
      const owner = spawn("sleep", ["30"], { stdio: "ignore" });
      const pid = owner.pid as number;
      try {
        const start = processStart(pid);
        expect(start).toMatch(/^\d+$/);
        owner.kill("SIGSTOP");
        plant(lockPath, { pid, host: hostname(), nonce: "frozen", since: "", start, pidns: pidNamespace() }, 60_000);
        expect((await inspectLock(lockPath))?.stale).toBe(false);
        await expect(acquireLock(lockPath, { timeoutMs: 100 })).rejects.toBeInstanceOf(LockBusyError);
        expect(await clearStaleLock(lockPath)).toBe(false);
        expect(readFileSync(lockPath, "utf8")).toContain("frozen");

        // The same pid with another start time is a later process: the owner is gone.
        plant(lockPath, {
          pid,
          host: hostname(),
          nonce: "reused",
          since: "",
          start: `${start}1`,
          pidns: pidNamespace(),
        });
        await (await acquireLock(lockPath, { timeoutMs: 0 })).release();

        plant(lockPath, { pid, host: hostname(), nonce: "frozen", since: "", start, pidns: pidNamespace() }, 60_000);
        owner.kill("SIGKILL");
        await new Promise((resolve) => owner.once("exit", resolve));
        await (await acquireLock(lockPath, { timeoutMs: 0 })).release();
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        owner.kill("SIGKILL");
      }
    },
  );

  it("judges a lock from another pid namespace (a container sharing the directory) by its heartbeat, not by a pid it cannot see", async () => {
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "contained", since: "", pidns: "pid:[1]" });
    await expect(acquireLock(lockPath, { timeoutMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "contained", since: "", pidns: "pid:[1]" }, 60_000);
    await (await acquireLock(lockPath, { timeoutMs: 0 })).release();
  });

  it("judges a lock from another host, or unreadable, by its heartbeat only", async () => {
    plant(lockPath, { pid: deadPid(), host: "elsewhere", nonce: "far", since: "" });
    await expect(acquireLock(lockPath, { timeoutMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    plant(lockPath, { pid: deadPid(), host: "elsewhere", nonce: "far", since: "" }, 60_000);
    await (await acquireLock(lockPath, { timeoutMs: 0 })).release();

    writeFileSync(lockPath, "garbage");
    await expect(acquireLock(lockPath, { timeoutMs: 0 })).rejects.toBeInstanceOf(LockBusyError);
    plant(lockPath, { nonsense: true }, 60_000);
    await (await acquireLock(lockPath, { timeoutMs: 0 })).release();
  });

  it("lets exactly one of many takers in at a time when they all find the same dead owner", async () => {
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    let holders = 0;
    let maxHolders = 0;
    let turns = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const lock = await acquireLock(lockPath);
        holders++;
        maxHolders = Math.max(maxHolders, holders);
        await new Promise((r) => setTimeout(r, 2));
        await lock.verify();
        holders--;
        turns++;
        await lock.release();
      }),
    );
    expect(turns).toBe(12);
    expect(maxHolders).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("never removes a lock that replaced the stale one it judged (the takeover race)", async () => {
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    const seen = await observe(lockPath);
    if (!seen) throw new Error("the planted lock is not there");
    // Meanwhile another process removed the dead lock and took a fresh one.
    plant(lockPath, { pid: process.pid, host: hostname(), nonce: "fresh", since: "" });
    await removeStale(lockPath, seen, { pid: process.pid, host: hostname(), nonce: "me", since: "" }, 10_000);
    expect(readFileSync(lockPath, "utf8")).toContain("fresh");
    expect(existsSync(`${lockPath}.takeover`)).toBe(false);
  });

  it("clears a takeover marker left by a dead process", async () => {
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    plant(`${lockPath}.takeover`, { pid: deadPid(), host: hostname(), nonce: "dead2", since: "" });
    await (await acquireLock(lockPath, { timeoutMs: 2000 })).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("clears the takeover marker of a process killed after it removed the stale lock, when it next takes the lock", async () => {
    // No stale lock is left to trigger a takeover: only taking the lock can notice the marker.
    plant(`${lockPath}.takeover`, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    const lock = await acquireLock(lockPath, { timeoutMs: 2000 });
    expect(readdirSync(dir)).toEqual(["tokens.json.lock"]);
    await lock.release();
  });

  it("leaves a live process's takeover marker alone when it takes the lock", async () => {
    plant(`${lockPath}.takeover`, { pid: process.pid, host: hostname(), nonce: "live", since: "" });
    await (await acquireLock(lockPath, { timeoutMs: 2000 })).release();
    expect(readdirSync(dir)).toEqual(["tokens.json.lock.takeover"]);
    expect(await clearStaleTakeover(lockPath)).toBe(false);
    plant(`${lockPath}.takeover`, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    expect(await clearStaleTakeover(lockPath)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("notices a lock taken from it, and then leaves the new owner's lock alone", async () => {
    const lock = await acquireLock(lockPath);
    plant(lockPath, { pid: process.pid, host: hostname(), nonce: "thief", since: "" });
    await expect(lock.verify()).rejects.toBeInstanceOf(LockLostError);
    await lock.release();
    expect(readFileSync(lockPath, "utf8")).toContain("thief");
  });

  it("lets doctor clear a stale lock but never a live one", async () => {
    plant(lockPath, { pid: process.pid, host: hostname(), nonce: "live", since: "" });
    expect(await clearStaleLock(lockPath)).toBe(false);
    expect(existsSync(lockPath)).toBe(true);
    plant(lockPath, { pid: deadPid(), host: hostname(), nonce: "dead", since: "" });
    expect(await clearStaleLock(lockPath)).toBe(true);
    expect(existsSync(lockPath)).toBe(false);
  });
});

describe("atomic writes", () => {
  it("writes 0600 through a temporary file and leaves nothing behind", async () => {
    const file = join(dir, "tokens.json");
    await writeFileAtomic(file, "one", 0o600);
    await writeFileAtomic(file, "two", 0o600);
    expect(readFileSync(file, "utf8")).toBe("two");
    expect(readdirSync(dir)).toEqual(["tokens.json"]);
  });

  it("sweeps the temporary files of dead writers, never a live writer's", async () => {
    const file = join(dir, "tokens.json");
    const dead = join(dir, `tokens.json.tmp-${deadPid()}-0123456789ab`);
    const deadLock = join(dir, `tokens.json.lock.tmp-${deadPid()}-0123456789ab`);
    const live = join(dir, `tokens.json.tmp-${process.pid}-0123456789ab`);
    const unrelated = join(dir, `other.json.tmp-${deadPid()}-0123456789ab`);
    for (const path of [dead, deadLock, live, unrelated]) writeFileSync(path, "x");
    expect((await debrisOf(file)).sort()).toEqual([dead, deadLock].sort());
    expect((await sweepDebris(file)).sort()).toEqual([dead, deadLock].sort());
    expect(readdirSync(dir).sort()).toEqual([live, unrelated].map((p) => p.slice(dir.length + 1)).sort());
  });
});
