import type { Env } from "../config.js";
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
  /**
   * stdout's width in columns when it is a terminal, for tables to fit
   * (ui/table.ts); undefined for a pipe or a file, which get every cell whole.
   */
  readonly columns: number | undefined;
  paint(style: Style, text: string): string;
}

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one and says (0 or undefined: it does not). */
  columns?: number | undefined;
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
    // Asked only on a terminal: Node's stream for it (and node:tty) loads then.
    get columns() {
      return (fd === 1 ? process.stdout : process.stderr).columns;
    },
  };
}

export function createOutput(
  stdout: Writable = fdWritable(1),
  stderr: Writable = fdWritable(2),
  env: Env = process.env,
): Output {
  const colors = colorEnabled(stdout);
  const paintOut = painter(colors);
  // Decided on the first warning: most runs print none, and asking costs an fstat.
  let paintErr: ReturnType<typeof painter> | undefined;
  let columns: { value: number | undefined } | undefined;
  return {
    data: (text) => void stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => void stderr.write(`${text}\n`),
    warn: (text) =>
      void stderr.write(`${(paintErr ??= painter(colorEnabled(stderr)))("yellow", "warning:")} ${text}\n`),
    colors,
    paint: paintOut,
    get columns() {
      columns ??= { value: stdout.isTTY === true ? terminalWidth(stdout.columns, env) : undefined };
      return columns.value;
    },
  };
}

/**
 * A terminal's width: what it says, else $COLUMNS, else 80 (a terminal that
 * reports 0 columns, as a pseudo-terminal nobody sized does, is taken for 80).
 */
export function terminalWidth(reported: number | undefined, env: Env = process.env): number {
  if (reported !== undefined && reported > 0) return reported;
  const fromEnv = Number.parseInt(env.COLUMNS ?? "", 10);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
