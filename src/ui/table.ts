/**
 * ghpat's one table printer (list, revoke-reminder, verify), laid out as
 * gh's table printer does: columns padded to their widest cell, two spaces
 * apart, no blanks at the end of a line. Given a width (stdout is a terminal
 * that wide), it fits the table into it: the fixed columns keep their width
 * and the long ones (scopes, advice) are cut short with "…". Without one (a
 * pipe, a file) every cell is printed whole, so scripts see stable text.
 *
 * Cells are measured in UTF-16 code units. ghpat's cells are ASCII (names,
 * hosts, logins, scopes, dates, URLs) apart from the "…" of a fingerprint,
 * which is one code unit and one column.
 */

/** A column's title and what may happen to it when the table is too wide. */
export interface TableColumn {
  title: string;
  /**
   * The column may be cut, its cells ending in "…", but never below this
   * width (true: the title's). Columns without it keep their width until
   * nothing else is left to cut.
   */
  truncate?: true | number | undefined;
  /**
   * The column may be left out: "first", before any cell is cut; a number,
   * once cutting to the minimum widths is not enough (1 goes before 2).
   */
  drop?: "first" | number | undefined;
}

export interface TableOptions {
  /** The width to fit (the terminal's); undefined prints every cell whole. */
  maxWidth?: number | undefined;
  /** Colours a cell after it is padded and cut; `col` is its index in the columns given. */
  paint?: ((row: number, col: number, text: string) => string) | undefined;
}

const GAP = 2;

export interface Layout {
  /** The columns printed, by index, in order. */
  shown: number[];
  /** Each column's width, by index (a dropped column's is 0). */
  widths: number[];
}

/** The table's text, header first, lines joined by "\n" with none at the end. */
export function renderTable(
  columns: readonly (TableColumn | string)[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const specs = columns.map((c) => (typeof c === "string" ? { title: c } : c));
  const titles = specs.map((c) => c.title);
  const layout = fitColumns(specs, columnWidths(titles, rows), options.maxWidth);
  const blanks = blankRuns(layout.widths);
  const lines = [tableLine(titles, layout, blanks)];
  const paint = options.paint;
  for (let row = 0; row < rows.length; row++) {
    const cells = rows[row] as readonly string[];
    lines.push(
      paint ? tableLine(cells, layout, blanks, (col, text) => paint(row, col, text)) : tableLine(cells, layout, blanks),
    );
  }
  return lines.join("\n");
}

/**
 * Which columns to print and how wide, for cells whose widest are
 * `natural`. In order, until the table fits: leave out the "first"
 * columns; cut the cuttable ones down to their minimum widths, the widest
 * first; leave out the numbered ones, cutting again after each; at last,
 * cut every column left, down to one character, so that no line is wider
 * than `maxWidth` while a column of each can be shown.
 */
export function fitColumns(
  columns: readonly TableColumn[],
  natural: readonly number[],
  maxWidth: number | undefined,
): Layout {
  const all = columns.map((_, col) => col);
  if (maxWidth === undefined || tableWidth(all, natural) <= maxWidth) return { shown: all, widths: [...natural] };
  let shown = all.filter((col) => columns[col]?.drop !== "first");
  const laterDrops = all
    .filter((col) => typeof columns[col]?.drop === "number")
    .sort((a, b) => (columns[a]?.drop as number) - (columns[b]?.drop as number) || b - a);
  const minimum = (col: number): number => {
    const truncate = columns[col]?.truncate;
    if (truncate === undefined) return natural[col] as number;
    const floor = truncate === true ? (columns[col]?.title.length ?? 1) : truncate;
    return Math.min(natural[col] as number, Math.max(1, floor));
  };
  for (;;) {
    const widths = natural.map((width, col) => (shown.includes(col) ? width : 0));
    if (cut(shown, widths, minimum, maxWidth)) return { shown, widths };
    const next = laterDrops.shift();
    if (next === undefined) {
      // Below the minimums, the column that asked for least gives first: a
      // column's minimum says how much of it is worth keeping.
      const cuttable = shown
        .filter((col) => columns[col]?.truncate !== undefined)
        .sort((a, b) => minimum(a) - minimum(b));
      for (const col of cuttable)
        if (cut([col], widths, () => 1, maxWidth - tableWidth(shown, widths) + (widths[col] as number)))
          return { shown, widths };
      cut(shown, widths, (col) => Math.min(natural[col] as number, 1), maxWidth);
      return { shown, widths };
    }
    shown = shown.filter((col) => col !== next);
  }
}

/**
 * Narrows the widest of `shown` that is above its minimum, one character at
 * a time, until the table fits; false when the minimums do not fit.
 */
function cut(shown: readonly number[], widths: number[], minimum: (col: number) => number, maxWidth: number): boolean {
  let over = tableWidth(shown, widths) - maxWidth;
  while (over > 0) {
    let widest = -1;
    for (const col of shown) {
      if (
        (widths[col] as number) > minimum(col) &&
        (widest < 0 || (widths[col] as number) >= (widths[widest] as number))
      )
        widest = col;
    }
    if (widest < 0) return false;
    widths[widest] = (widths[widest] as number) - 1;
    over--;
  }
  return true;
}

function tableWidth(shown: readonly number[], widths: readonly number[]): number {
  let total = GAP * Math.max(0, shown.length - 1);
  for (const col of shown) total += widths[col] as number;
  return total;
}

/**
 * The widest cell of each column. A loop, not Math.max(...cells): spreading
 * one argument per row overflows the call stack at about 120,000 rows.
 */
function columnWidths(titles: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = titles.map((h) => h.length);
  for (let row = 0; row < rows.length; row++) {
    const cells = rows[row] as readonly string[];
    for (let col = 0; col < widths.length; col++) {
      const length = (cells[col] ?? "").length;
      if (length > (widths[col] as number)) widths[col] = length;
    }
  }
  return widths;
}

/** Runs of blanks, one of each length a cell's padding and gap can need: padEnd would make a new string per cell. */
function blankRuns(widths: readonly number[]): string[] {
  let widest = 0;
  for (const width of widths) if (width > widest) widest = width;
  return Array.from({ length: widest + GAP + 1 }, (_, count) => " ".repeat(count));
}

function tableLine(
  cells: readonly string[],
  layout: Layout,
  blanks: readonly string[],
  paint?: (col: number, text: string) => string,
): string {
  const { shown, widths } = layout;
  // The last column with text in it: the line ends there, with no blanks after it.
  let end = shown.length - 1;
  while (end > 0 && (cells[shown[end] as number] ?? "") === "") end--;
  let line = "";
  for (let i = 0; i <= end; i++) {
    const col = shown[i] as number;
    const width = widths[col] as number;
    let text = cells[col] ?? "";
    // Cut short, "…" in the last place.
    if (text.length > width) text = width <= 1 ? "…".slice(0, width) : `${text.slice(0, width - 1)}…`;
    const padded = i === end ? text : text + (blanks[width - text.length] as string);
    line += paint ? paint(col, padded) : padded;
    if (i < end) line += blanks[GAP] as string;
  }
  return line;
}

/**
 * Prose for a terminal `maxWidth` wide: broken at spaces into lines no
 * wider, where a word allows it (a longer word gets a line of its own).
 * Without a width (a pipe) the text is returned as it is, on one line.
 */
export function wrapWords(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || text.length <= maxWidth) return text;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > maxWidth) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}
