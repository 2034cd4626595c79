import { currentStatus, msUntilExpiry, type TokenRecord, type TokenStatus } from "../core/record.js";
import { describeExpiry, describeScopes } from "./describe.js";

export const LIST_HEADER = ["  NAME", "HOST", "LOGIN", "TYPE", "TOKEN", "SCOPES", "EXPIRY", "STATUS"] as const;

type Cells = readonly [name: string, host: string, login: string, type: string, token: string, scopes: string, expiry: string, status: string];
type ListRow = readonly [name: string, host: string, login: string, type: string, token: string, scopes: string, expiry: string, status: TokenStatus];

/** A record's cells; its status is the current one (record.ts currentStatus). The expiry date is parsed once for both. */
export function listRow(t: TokenRecord, now: Date): ListRow {
  const msLeft = msUntilExpiry(t, now);
  return [`${t.default ? "*" : " "} ${t.name}`, t.host, t.login ?? "-", t.type, t.fingerprint, describeScopes(t.scopes), describeExpiry(t, now, msLeft), currentStatus(t, now, msLeft)];
}

/**
 * list's table: the same text as renderTable (ui/output.ts) prints for
 * LIST_HEADER and these rows (a test holds the two to that), with the
 * status, the last column, coloured by `paintStatus`. The status is never
 * empty, so no line ends in blanks.
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
  const line = (row: Cells, status: string): string =>
    `${row[0].padEnd(name)}  ${row[1].padEnd(host)}  ${row[2].padEnd(login)}  ${row[3].padEnd(type)}  ${row[4].padEnd(token)}  ${row[5].padEnd(scopes)}  ${row[6].padEnd(expiry)}  ${status}`;
  const lines = rows.map((row) => line(row, paintStatus ? paintStatus(row[7]) : row[7]));
  lines.unshift(line(LIST_HEADER, LIST_HEADER[7]));
  return lines.join("\n");
}
