import { currentStatus, msUntilExpiry, type TokenRecord, type TokenStatus } from "../../core/record.js";
import { renderTable, type TableColumn } from "../../ui/table.js";
import { describeAccess, describeExpiry } from "../shared/describe.js";

/**
 * list's columns, and how they give way on a terminal narrower than the
 * table (ui/table.ts): MATCH goes first; then LOGIN, SCOPES and EXPIRY are
 * cut, EXPIRY never shorter than its date ("expires 2027-01-01"); then TYPE
 * goes (the fingerprint's prefix, ghp_ or github_pat_, still says it),
 * then LOGIN, then SCOPES (better gone than a column of "…").
 * NAME, HOST, TOKEN and STATUS, what a user types or acts on, stay whole.
 */
export const LIST_COLUMNS = [
  { title: "  NAME" },
  { title: "HOST" },
  { title: "MATCH", truncate: true, drop: "first" },
  { title: "LOGIN", truncate: true, drop: 2 },
  { title: "TYPE", drop: 1 },
  { title: "TOKEN" },
  { title: "SCOPES", truncate: true, drop: 3 },
  { title: "EXPIRY", truncate: "expires 2027-01-01…".length },
  { title: "STATUS" },
] as const satisfies readonly TableColumn[];

export const LIST_HEADER = LIST_COLUMNS.map((c) => c.title);
const STATUS_COLUMN = 8;

export type ListRow = readonly [
  name: string,
  host: string,
  match: string,
  login: string,
  type: string,
  token: string,
  scopes: string,
  expiry: string,
  status: TokenStatus,
];

/** A record's cells; its status is the current one (record.ts currentStatus). The expiry date is parsed once for both. */
export function listRow(t: TokenRecord, now: Date): ListRow {
  const msLeft = msUntilExpiry(t, now);
  return [
    `${t.default ? "*" : " "} ${t.name}`,
    t.host,
    t.match.length === 0 ? "-" : t.match.join(", "),
    t.login ?? "-",
    t.type,
    t.fingerprint,
    describeAccess(t),
    describeExpiry(t, now, msLeft),
    currentStatus(t, now, msLeft),
  ];
}

/**
 * list's table, every line ended by a newline: whole, or fitted to
 * `maxWidth` (the terminal's). `paintStatus` colours the status, the last
 * column, with the style of the row's status. The status is never empty, so
 * no line ends in blanks.
 */
export function renderListTable(
  records: readonly TokenRecord[],
  now: Date,
  options: {
    maxWidth?: number | undefined;
    paintStatus?: ((status: TokenStatus, text: string) => string) | undefined;
  } = {},
): string {
  const rows = records.map((record) => listRow(record, now));
  const paintStatus = options.paintStatus;
  const paint =
    paintStatus &&
    ((row: number, col: number, text: string) =>
      col === STATUS_COLUMN ? paintStatus((rows[row] as ListRow)[STATUS_COLUMN], text) : text);
  return `${renderTable(LIST_COLUMNS, rows, { maxWidth: options.maxWidth, paint })}\n`;
}
