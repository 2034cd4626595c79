import { colorEnabled, painter, type Style } from "./color.js";
import { isTerminal, writeFd, type OutputFd } from "./fd-write.js";

export interface Output {
  /** Data for programs and pipes: stdout. */
  data(text: string): void;
  json(value: unknown): void;
  /** Messages for people: stderr. */
  info(text: string): void;
  warn(text: string): void;
  paint(style: Style, text: string): string;
}

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** stdout or stderr by descriptor, without creating Node's stream for it (see writeFd). */
export function fdWritable(fd: OutputFd): Writable {
  let tty: boolean | undefined;
  return {
    write: (chunk) => writeFd(fd, chunk),
    get isTTY() {
      tty ??= isTerminal(fd);
      return tty;
    },
  };
}

export function createOutput(stdout: Writable = fdWritable(1), stderr: Writable = fdWritable(2)): Output {
  const paintOut = painter(colorEnabled(stdout));
  const paintErr = painter(colorEnabled(stderr));
  return {
    data: (text) => void stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => void stderr.write(`${text}\n`),
    warn: (text) => void stderr.write(`${paintErr("yellow", "warning:")} ${text}\n`),
    paint: paintOut,
  };
}

/** Columns padded to the widest cell; `paint` only colours, so it is applied after padding. */
export function renderTable(header: string[], rows: string[][], paint?: (row: number, col: number, text: string) => string): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? "").length)));
  const line = (cells: string[], row: number) =>
    cells
      .map((cell, col) => {
        const padded = col === cells.length - 1 ? cell : cell.padEnd(widths[col] ?? 0);
        return paint && row >= 0 ? paint(row, col, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  return [line(header, -1), ...rows.map((r, i) => line(r, i))].join("\n");
}
