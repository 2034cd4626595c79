import { randomBytes } from "node:crypto";
import { closeSync, linkSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync, fsyncSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { temporaryName } from "./atomic-file.js";
import { isErrno } from "./errno.js";
import { INDEX_FILE_MODE } from "./file-safety.js";
import { processAlive } from "./process-alive.js";

/**
 * The key of the records' `secretMac` (core/secret-mac.ts): 32 random bytes,
 * hex, in `scan.key` next to the index, mode 0600. It is not a secret that
 * opens anything: with it and the index, one can only confirm a token one
 * already holds. So it is kept where `scan` can read it without unlocking
 * the keychain or asking for the file store's passphrase.
 */
export const SCAN_KEY_FILE = "scan.key";
const KEY_PATTERN = /^[0-9a-f]{64}\n?$/;

export function scanKeyPath(configDir: string): string {
  return join(configDir, SCAN_KEY_FILE);
}

/** The key, or null when none was made yet (or the file is not one ghpat wrote). */
export function readScanKey(configDir: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(scanKeyPath(configDir), "latin1");
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return null;
    throw error;
  }
  return KEY_PATTERN.test(text) ? Buffer.from(text.slice(0, 64), "hex") : null;
}

/**
 * The key, made on first use. It is written to a temporary file and
 * hard-linked into place, so that two processes making it at once agree on
 * one key (the loser of the link reads the winner's) and no reader sees half
 * a key. The config directory exists already: the index is written with it.
 */
export function scanKey(configDir: string): Buffer {
  const existing = readScanKey(configDir);
  if (existing) return existing;
  const path = scanKeyPath(configDir);
  sweepDeadTemporaries(configDir);
  const temp = temporaryName(path);
  const key = randomBytes(32);
  const fd = openSync(temp, "wx", INDEX_FILE_MODE);
  try {
    writeSync(fd, `${key.toString("hex")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if (!isErrno(error, "EEXIST")) throw error;
  } finally {
    unlinkSync(temp);
  }
  const stored = readScanKey(configDir);
  if (!stored)
    throw new UsageError(
      `${path} is not a key ghpat wrote.`,
      `Delete it; ghpat makes a new one, and records gain a new keyed hash when next verified.`,
    );
  return stored;
}

const TEMPORARY = /^scan\.key\.tmp-(\d+)-[0-9a-f]{12}$/;

/** What a process killed while making the key left: its temporary file. */
function sweepDeadTemporaries(configDir: string): void {
  let names: string[];
  try {
    names = readdirSync(configDir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    try {
      unlinkSync(join(configDir, name));
    } catch {
      // Gone already.
    }
  }
}
