import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Env } from "../config.js";
import { StoreUnavailableError, UsageError } from "../errors.js";
import { judgePermissions, octal, UnsafePermissionsError } from "./file-safety.js";

/** More than any passphrase: a file or pipe that holds more is not one. */
const MAX_PASSPHRASE_BYTES = 64 * 1024;

/** The ways to give the file store's passphrase without a prompt, for messages. */
export const PASSPHRASE_SOURCES_HINT =
  "Give it with --passphrase-fd N or GHPAT_PASSPHRASE_FILE (a file readable by you alone), or GHPAT_PASSPHRASE (in CI, from a secret). Commands that only read the index, such as 'ghpat list', need none.";

/** Where the file store's passphrase came from, for messages. */
export type PassphraseOrigin = "--passphrase-fd" | "GHPAT_PASSPHRASE_FILE" | "GHPAT_PASSPHRASE";

/** The passphrase taken out of process.env (takeFromProcessEnv): the variable is gone, the value is kept here. */
let takenFromProcess: string | undefined;

/**
 * GHPAT_PASSPHRASE, removed from process.env once read, so that nothing ghpat
 * starts inherits it even where the environment is not built by
 * childEnvironment (config.ts). What Linux shows in /proc/<pid>/environ is
 * the environment the process started with, which no process can rewrite
 * from JavaScript: a program of the same user that reads ghpat's environ
 * while ghpat runs still sees the variable. Hence GHPAT_PASSPHRASE_FILE and
 * --passphrase-fd, which put the passphrase in no environment at all.
 */
function fromVariable(env: Env): string | undefined {
  const value = env.GHPAT_PASSPHRASE;
  if (process.env.GHPAT_PASSPHRASE !== undefined && (value === undefined || value === process.env.GHPAT_PASSPHRASE)) {
    takenFromProcess = process.env.GHPAT_PASSPHRASE;
    delete process.env.GHPAT_PASSPHRASE;
  }
  const found = value ?? (env === process.env ? takenFromProcess : undefined);
  return found === "" ? undefined : found;
}

/** A passphrase's text: one trailing line end dropped (echo, editors), nothing else touched. */
function withoutLineEnd(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/** Reads a descriptor to its end, synchronously: a pipe from the shell (`3<<<"$PASS"`) or a file. */
function readDescriptor(fd: number, what: string): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(4096);
  let size = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        // A non-blocking pipe with nothing in it yet: wait a little rather than spin.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === "EOF") break;
      throw new UsageError(
        `Cannot read the passphrase from ${what}: ${(error as Error).message}`,
        "Open the descriptor for reading when you start ghpat, e.g. 'ghpat --passphrase-fd 3 ... 3<passphrase-file'.",
      );
    }
    if (n === 0) break;
    size += n;
    if (size > MAX_PASSPHRASE_BYTES)
      throw new UsageError(
        `${what} holds more than ${MAX_PASSPHRASE_BYTES} bytes: that is no passphrase.`,
        "Give a descriptor or file that holds the passphrase alone.",
      );
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return withoutLineEnd(Buffer.concat(chunks, size).toString("utf8"));
}

/** Descriptors read already: a pipe gives its content once, and the passphrase is asked for once per process. */
const readFds = new Map<number, string>();

function fromDescriptor(raw: string): string {
  const fd = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(fd) || fd === 1 || fd === 2) {
    throw new UsageError(
      `--passphrase-fd '${raw}' is not a descriptor to read from.`,
      "Give the number of a descriptor open for reading, 0 or 3 and up: 'ghpat --passphrase-fd 3 ... 3<passphrase-file'.",
    );
  }
  let passphrase = readFds.get(fd);
  if (passphrase === undefined) {
    passphrase = readDescriptor(fd, `descriptor ${fd} (--passphrase-fd)`);
    readFds.set(fd, passphrase);
    if (fd > 2) {
      try {
        closeSync(fd);
      } catch {
        // Already closed: nothing more to read from it anyway.
      }
    }
  }
  return passphrase;
}

/**
 * GHPAT_PASSPHRASE_FILE: held to the index's owner and mode rules
 * (file-safety.ts), and more strictly, since it holds a secret: readable by
 * you alone (mode 0600 or 0400), in a directory others cannot write to
 * (where the file could be swapped). Never tightened in place: a passphrase
 * others could read is exposed already.
 */
function fromFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new StoreUnavailableError(
      `Cannot read GHPAT_PASSPHRASE_FILE ${path}: ${(error as Error).message}`,
      "Point GHPAT_PASSPHRASE_FILE at a file that holds the passphrase, readable by you alone (chmod 600).",
    );
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new UsageError(
        `GHPAT_PASSPHRASE_FILE ${path} is not a regular file.`,
        "Point it at a file that holds the passphrase.",
      );
    const what = "The passphrase file (GHPAT_PASSPHRASE_FILE)";
    const verdict = judgePermissions(info, "file");
    if (verdict.kind === "refuse") throw new UnsafePermissionsError(path, verdict.reason, "file", what);
    if (verdict.kind === "tighten")
      throw new UnsafePermissionsError(path, `is readable by others (mode ${octal(info.mode)})`, "file", what);
    const dir = dirname(path);
    const dirVerdict = judgePermissions(statSync(dir), "directory");
    if (dirVerdict.kind === "refuse")
      throw new UnsafePermissionsError(dir, dirVerdict.reason, "directory", "The directory of GHPAT_PASSPHRASE_FILE");
    return readDescriptor(fd, `GHPAT_PASSPHRASE_FILE ${path}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The passphrase from the first source given: --passphrase-fd (which sets
 * GHPAT_PASSPHRASE_FD for the command), GHPAT_PASSPHRASE_FILE, then
 * GHPAT_PASSPHRASE; undefined when none is (a prompt may ask then).
 */
export function passphraseFromSources(env: Env): { passphrase: string; origin: PassphraseOrigin } | undefined {
  // The variable is taken out of process.env whichever source wins.
  const variable = fromVariable(env);
  const fd = env.GHPAT_PASSPHRASE_FD;
  if (fd !== undefined && fd !== "") return { passphrase: fromDescriptor(fd.trim()), origin: "--passphrase-fd" };
  const file = env.GHPAT_PASSPHRASE_FILE;
  if (file !== undefined && file !== "") return { passphrase: fromFile(file), origin: "GHPAT_PASSPHRASE_FILE" };
  return variable === undefined ? undefined : { passphrase: variable, origin: "GHPAT_PASSPHRASE" };
}
