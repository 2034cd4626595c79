import { constants, type Stats } from "node:fs";
import { access, chmod, lstat, readlink, stat } from "node:fs/promises";
import { GhpatError } from "../../errors.js";
import { dirname } from "node:path";
import { debrisOf, sweepDebris } from "../../storage/atomic-file.js";
import { scanKeyPath } from "../../storage/scan-key.js";
import { CONFIG_DIR_MODE, INDEX_FILE_MODE, judgePermissions, octal } from "../../storage/file-safety.js";
import type { IndexStore } from "../../storage/index-store.js";
import { clearStaleLock, clearStaleTakeover, inspectLock, takeoverPath, type LockOwner } from "../../storage/lock.js";
import type { Index } from "../../core/record.js";
import type { DoctorContext, CheckResult } from "./check.js";
import { Findings } from "./findings.js";
import { counted, plural } from "../../core/plural.js";

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch {
    return null;
  }
}

/**
 * The index: its directory and file modes, that it parses, and what killed
 * processes may have left (a stale lock, temporary files). Returns the
 * parsed index when it could be read.
 */
export async function checkIndex(
  store: IndexStore,
  d: DoctorContext,
): Promise<{ result: CheckResult; index: Index | null }> {
  const f = new Findings();
  const title = "index";
  const dirInfo = await lstatOrNull(store.dir);
  if (!dirInfo) {
    return {
      result: f.toResult("index", title, `No config directory yet (${store.dir}): nothing is stored.`),
      index: { version: 1, tokens: [] },
    };
  }

  const dirMode = (await stat(store.dir)).mode;
  await checkMode(f, store.dir, await stat(store.dir), "directory", d.fix);
  const fileInfo = await lstatOrNull(store.file);
  if (fileInfo?.isSymbolicLink()) {
    const target = await readlink(store.file).catch(() => "?");
    f.problem(
      "warn",
      `${store.file} is a symbolic link to ${target}; ghpat reads through it but will not write it.`,
      `Replace the link with a copy of ${target}.`,
    );
  }
  let fileMode: number | null = null;
  if (fileInfo) {
    const target = await stat(store.file).catch(() => null);
    if (target) {
      fileMode = target.mode;
      await checkMode(f, store.file, target, "file", d.fix);
    }
  }

  try {
    await access(store.dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    f.problem(
      "fail",
      `${store.dir} ${code === "EROFS" ? "is on a read-only file system" : "is not writable by you"}: add, remove and default will fail.`,
      `Make it writable, or point GHPAT_CONFIG_DIR at a directory that is.`,
    );
  }

  // A process killed while removing a stale lock leaves its takeover marker; harmless, but debris.
  // Looked at before the lock, whose removal would clear it unreported.
  const takeoverFile = takeoverPath(store.lockFile);
  const takeover = await inspectLock(takeoverFile);
  if (takeover?.stale) {
    const who = goneOwner(takeover.owner);
    if (d.fix && (await clearStaleTakeover(store.lockFile))) f.repaired.push(`removed ${takeoverFile}, left by ${who}`);
    else
      f.problem(
        "warn",
        `${takeoverFile} was left by ${who}.`,
        "Run 'ghpat doctor --fix' (the next ghpat write removes it too).",
      );
  }

  const lock = await inspectLock(store.lockFile);
  if (lock?.stale) {
    const who = goneOwner(lock.owner);
    if (d.fix && (await clearStaleLock(store.lockFile)))
      f.repaired.push(`removed the stale lock ${store.lockFile} (${who})`);
    else
      f.problem(
        "warn",
        `${store.lockFile} is a stale lock left by ${who}.`,
        "Run 'ghpat doctor --fix' (the next ghpat write clears it too).",
      );
  } else if (lock) {
    f.note(
      `${store.lockFile} is held by running process ${lock.owner?.pid ?? "?"}${lock.owner ? ` on ${lock.owner.host}` : ""}.`,
    );
  }

  // The scan key is made the same way as the index is written: a killed maker leaves its temporary file beside it.
  const written = [store.file, scanKeyPath(dirname(store.file))];
  const debris = (await Promise.all(written.map(debrisOf))).flat();
  if (debris.length > 0) {
    if (d.fix) {
      for (const file of written)
        for (const path of await sweepDebris(file)) f.repaired.push(`removed ${path}, left by a killed process`);
    } else {
      f.problem(
        "warn",
        `${debris.length} temporary ${plural(debris.length, "file")} left by killed processes: ${debris.join(", ")}.`,
        "Run 'ghpat doctor --fix' (the next ghpat write removes them too).",
      );
    }
  }

  let index: Index | null = null;
  if (fileInfo) {
    try {
      index = await store.read();
    } catch (error) {
      if (!(error instanceof GhpatError)) throw error;
      if (error.code === "EINDEX")
        f.problem(
          "fail",
          error.message,
          `Move it aside ('mv ${store.file} ${store.file}.bad') and run 'ghpat doctor --fix' to rebuild the records from the secret store.`,
        );
      else if (error.code !== "EPERMS") f.problem("fail", error.message, error.hint ?? null);
    }
  } else {
    index = { version: 1, tokens: [] };
  }
  const summary =
    fileMode === null
      ? `No index yet in ${store.dir} (mode ${octal(dirMode)}): nothing is stored.`
      : `${store.file}: ${counted(index?.tokens.length ?? 0, "record")}, mode ${octal(fileMode)} in a ${octal(dirMode)} directory.`;
  return { result: f.toResult("index", title, summary), index };
}

function goneOwner(owner: LockOwner | null): string {
  return owner ? `process ${owner.pid} on ${owner.host}, which is gone` : "an unknown process";
}

async function checkMode(
  f: Findings,
  path: string,
  info: Stats,
  kind: "file" | "directory",
  fix: boolean,
): Promise<void> {
  const verdict = judgePermissions(info, kind);
  if (verdict.kind === "ok") return;
  const wanted = kind === "file" ? INDEX_FILE_MODE : CONFIG_DIR_MODE;
  const command = `chmod ${octal(wanted).slice(1)} ${path}`;
  if (verdict.kind === "refuse" && verdict.reason.startsWith("is owned")) {
    f.problem(
      "fail",
      `${path} ${verdict.reason}; ghpat refuses to use it.`,
      `Have its owner give it to you ('chown'), or point GHPAT_CONFIG_DIR elsewhere.`,
    );
    return;
  }
  if (fix) {
    try {
      await chmod(path, wanted);
      f.repaired.push(`${command} (was ${octal(info.mode)})`);
      if (verdict.kind === "refuse")
        f.note(`${path} was writable by others: check with 'ghpat list' that every record is one you made.`);
      return;
    } catch (error) {
      f.problem("fail", `Could not ${command}: ${(error as Error).message}`, `Run '${command}' yourself.`);
      return;
    }
  }
  if (verdict.kind === "refuse")
    f.problem(
      "fail",
      `${path} ${verdict.reason}; ghpat refuses to use it.`,
      `If you trust its contents, run '${command}' (or 'ghpat doctor --fix').`,
    );
  else
    f.problem(
      "warn",
      `${path} is readable by others (mode ${octal(info.mode)}); ghpat tightens it to ${octal(wanted)} when it next reads it.`,
      `Run '${command}' (or 'ghpat doctor --fix').`,
    );
}
