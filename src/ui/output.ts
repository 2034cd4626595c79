import { colorEnabled, painter, type Style } from "./color.js";
import { isTerminal, writeFd, type OutputFd } from "./fd-write.js";

export interface Output {
  /** Data for programs and pipes: stdout. */
  data(text: string): void;
  json(value: unknown): void;
  /** Messages for people: stderr. */
  info(text: string): void;
  warn(text: string): void;
  /** Whether `paint` colours stdout's text; when it does not, callers may skip it. */
  colors: boolean;
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
  const colors = colorEnabled(stdout);
  const paintOut = painter(colors);
  const paintErr = painter(colorEnabled(stderr));
  return {
    data: (text) => void stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => void stderr.write(`${text}\n`),
    warn: (text) => void stderr.write(`${paintErr("yellow", "warning:")} ${text}\n`),
    colors,
    paint: paintOut,
  };
}

/**
 * Columns padded to the widest cell, two spaces apart, without trailing
 * blanks; `paint` only colours, so it is applied after padding.
 *
 * `list` renders every stored token in a short-lived process, so this
 * allocates as little as it can (cells and shared runs of spaces go into one
 * array, joined once), and the per-row work is one small function called by
 * an array builtin: a long loop of our own would have V8 compile it again,
 * optimised, in the background, and the process would wait for that
 * compilation before it could exit.
 */
export function renderTable(header: string[], rows: string[][], paint?: (row: number, col: number, text: string) => string): string {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((cells) => (cells[col] ?? "").length)));
  const spaces = Array.from({ length: Math.max(...widths) + 1 }, (_, n) => " ".repeat(n));
  const parts: string[] = [];
  const addLine = (cells: string[], row: number): void => {
    let end = header.length - 1;
    while (end > 0 && !cells[end]) end--;
    for (let col = 0; col < end; col++) {
      const cell = cells[col] ?? "";
      const pad = spaces[(widths[col] ?? 0) - cell.length] ?? "";
      if (paint && row >= 0) parts.push(paint(row, col, cell + pad), "  ");
      else parts.push(cell, pad, "  ");
    }
    const cell = cells[end] ?? "";
    parts.push(paint && row >= 0 ? paint(row, end, cell) : cell, "\n");
  };
  addLine(header, -1);
  rows.forEach(addLine);
  parts.pop();
  return parts.join("");
}
