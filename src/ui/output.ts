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
 * blanks; `paint` only colours, so it is applied after padding. `list`
 * renders every stored token on each run before the JIT has warmed up, so
 * this builds no string per cell: it collects the cells and shared runs of
 * spaces, and joins them once.
 */
export function renderTable(header: string[], rows: string[][], paint?: (row: number, col: number, text: string) => string): string {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let col = 0; col < widths.length; col++) {
      const length = (row[col] ?? "").length;
      if (length > (widths[col] ?? 0)) widths[col] = length;
    }
  }
  const spaces = Array.from({ length: Math.max(0, ...widths) + 3 }, (_, n) => " ".repeat(n));
  const parts: string[] = [];
  const addLine = (cells: string[], row: number) => {
    let last = cells.length - 1;
    while (last > 0 && !cells[last]) last--;
    for (let col = 0; col <= last; col++) {
      const cell = cells[col] ?? "";
      const pad = col === last ? "" : (spaces[(widths[col] ?? 0) - cell.length + 2] ?? "");
      if (paint && row >= 0) parts.push(paint(row, col, cell + pad.slice(2)), pad.slice(0, 2));
      else parts.push(cell, pad);
    }
    parts.push("\n");
  };
  addLine(header, -1);
  for (let row = 0; row < rows.length; row++) addLine(rows[row] ?? [], row);
  parts.pop();
  return parts.join("");
}
