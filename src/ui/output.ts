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
  // Decided on the first warning: most runs print none, and asking costs an fstat.
  let paintErr: ReturnType<typeof painter> | undefined;
  return {
    data: (text) => void stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => void stderr.write(`${text}\n`),
    warn: (text) => void stderr.write(`${(paintErr ??= painter(colorEnabled(stderr)))("yellow", "warning:")} ${text}\n`),
    colors,
    paint: paintOut,
  };
}

/**
 * Columns padded to the widest cell, two spaces apart, without trailing
 * blanks; `paint` only colours, so it is applied after padding. (list's
 * table, the one that can run to thousands of rows, has its own copy of
 * this layout, written for speed: commands/list/table.ts.)
 */
export function renderTable(header: string[], rows: string[][], paint?: (row: number, col: number, text: string) => string): string {
  const widths = columnWidths(header, rows);
  const lines = [tableLine(header, widths)];
  rows.forEach((cells, row) => lines.push(tableLine(cells, widths, paint && ((col, text) => paint(row, col, text)))));
  return lines.join("\n");
}

/**
 * The widest cell of each column. A loop, not Math.max(...cells): spreading
 * one argument per row overflows the call stack at about 120,000 rows.
 */
function columnWidths(header: string[], rows: string[][]): number[] {
  const widths = header.map((h) => h.length);
  for (let row = 0; row < rows.length; row++) {
    const cells = rows[row] as string[];
    for (let col = 0; col < widths.length; col++) {
      const length = (cells[col] ?? "").length;
      if (length > (widths[col] as number)) widths[col] = length;
    }
  }
  return widths;
}

function tableLine(cells: string[], widths: number[], paint?: (col: number, text: string) => string): string {
  const end = lastFilled(cells);
  return cells
    .slice(0, end + 1)
    .map((cell, col) => {
      const padded = col === end ? cell : cell.padEnd(widths[col] as number);
      return paint ? paint(col, padded) : padded;
    })
    .join("  ");
}

/** The last column with text in it: a line ends there, with no blanks after it. */
function lastFilled(cells: string[]): number {
  let end = cells.length - 1;
  while (end > 0 && cells[end] === "") end--;
  return end;
}
