import { currentStatus, msUntilExpiry, type TokenRecord, type TokenStatus } from "../../core/record.js";
import { describeAccess, describeExpiry } from "../shared/describe.js";

export const LIST_HEADER = ["  NAME", "HOST", "LOGIN", "TYPE", "TOKEN", "SCOPES", "EXPIRY", "STATUS"] as const;

type Cells = readonly [name: string, host: string, login: string, type: string, token: string, scopes: string, expiry: string, status: string];
type ListRow = readonly [name: string, host: string, login: string, type: string, token: string, scopes: string, expiry: string, status: TokenStatus];

/** A record's cells; its status is the current one (record.ts currentStatus). The expiry date is parsed once for both. */
export function listRow(t: TokenRecord, now: Date): ListRow {
  const msLeft = msUntilExpiry(t, now);
  return [`${t.default ? "*" : " "} ${t.name}`, t.host, t.login ?? "-", t.type, t.fingerprint, describeAccess(t), describeExpiry(t, now, msLeft), currentStatus(t, now, msLeft)];
}

/**
 * list's table: the same text as renderTable (ui/output.ts) prints for
 * LIST_HEADER and these rows (a test holds the two to that), with the
 * status, the last column, coloured by `paintStatus`, and every line ended
 * by a newline. The status is never empty, so no line ends in blanks.
 *
 * It is written out column by column, where renderTable loops over cells,
 * because list prints every stored token from a fresh process. A loop over
 * thousands of cells runs hot enough for V8 to compile it again, optimised,
 * on another thread: work that a process ending milliseconds later never
 * uses and still waits for (about 4 ms of a 1,000-token list here; `npm run
 * bench` counts such compilations). Each function here runs once per row.
 */
export function renderListTable(records: readonly TokenRecord[], now: Date, paintStatus?: (status: TokenStatus) => string): string {
  let [name, host, login, type, token, scopes, expiry] = LIST_HEADER.map((title) => title.length) as [number, number, number, number, number, number, number];
  const rows = records.map((record) => {
    const row = listRow(record, now);
    if (row[0].length > name) name = row[0].length;
    if (row[1].length > host) host = row[1].length;
    if (row[2].length > login) login = row[2].length;
    if (row[3].length > type) type = row[3].length;
    if (row[4].length > token) token = row[4].length;
    if (row[5].length > scopes) scopes = row[5].length;
    if (row[6].length > expiry) expiry = row[6].length;
    return row;
  });
  // A cell's padding and the gap after it, taken from shared runs of
  // blanks: padEnd would make a new string for every cell.
  const blanks = Array.from({ length: Math.max(name, host, login, type, token, scopes, expiry) + 3 }, (_, count) => " ".repeat(count));
  const line = (row: Cells, status: string): string =>
    `${row[0]}${blanks[name + 2 - row[0].length]}${row[1]}${blanks[host + 2 - row[1].length]}${row[2]}${blanks[login + 2 - row[2].length]}${row[3]}${blanks[type + 2 - row[3].length]}${row[4]}${blanks[token + 2 - row[4].length]}${row[5]}${blanks[scopes + 2 - row[5].length]}${row[6]}${blanks[expiry + 2 - row[6].length]}${status}`;
  const lines = rows.map((row) => line(row, paintStatus ? paintStatus(row[7]) : row[7]));
  lines.unshift(line(LIST_HEADER, LIST_HEADER[7]));
  // The final newline joined in, not appended: a string appended to this
  // one is copied whole before it is written out.
  lines.push("");
  return lines.join("\n");
}
