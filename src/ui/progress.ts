import type { Writable } from "./output.js";

export interface Progress {
  update(done: number, total: number): void;
  /** Clears the line; call once at the end, also on failure. */
  finish(): void;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

/**
 * A one-line counter redrawn in place on stderr. Only on a terminal: piped or
 * captured stderr (CI logs, `2>file`) gets no carriage returns at all.
 */
export function createProgress(stream: Writable, label: string): Progress {
  if (stream.isTTY !== true) return SILENT;
  let drawn = false;
  return {
    update(done, total) {
      stream.write(`\r\u001b[2K${label} ${done}/${total}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write("\r\u001b[2K");
      drawn = false;
    },
  };
}
