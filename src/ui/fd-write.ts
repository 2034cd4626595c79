import { fstatSync, writeSync } from "node:fs";

export type OutputFd = 1 | 2;

/**
 * Writes all of `text` to stdout or stderr with write(2). Creating
 * process.stdout's stream loads net and stream, several ms of every start.
 * A non-blocking descriptor (EAGAIN) hands the rest to the stream; a reader
 * that went away (EPIPE, as in `ghpat list | head`) ends the process quietly.
 */
export function writeFd(fd: OutputFd, text: string): void {
  writeFdBytes(fd, Buffer.from(text, "utf8"));
}

/** writeFd for bytes that may not be text (`ghpat api` passes a body on as it came). */
export function writeFdBytes(fd: OutputFd, bytes: Uint8Array): void {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  // Once the stream holds queued bytes, everything after them must queue too.
  if (streaming.has(fd)) {
    stream().write(bytes);
    return;
  }
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (code !== "EAGAIN") throw error;
    streaming.add(fd);
    stream().write(bytes.subarray(offset));
  }
}

const streaming = new Set<OutputFd>();

/** Whether everything written so far has reached its descriptor: nothing waits in a stream's queue. */
export function allWritten(): boolean {
  return streaming.size === 0;
}

/**
 * Whether the descriptor is a terminal. Pipes and files, what scripts and
 * git use, are told apart by fstat alone; only a character device needs
 * node:tty, whose loading (it pulls in net) a terminal user never notices.
 */
export function isTerminal(fd: 0 | OutputFd): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule("node:tty").isatty(fd);
}
