import { indexPath, resolveHost } from "../config.js";
import { compareByHostAndName, publicRecord, withCurrentStatus, type TokenRecord } from "../core/record.js";
import { IndexReader } from "../storage/index-reader.js";
import { renderTable } from "../ui/output.js";
import type { Context } from "./context.js";
import { describeExpiry, describeScopes } from "./describe.js";

export interface ListOptions {
  host?: string | undefined;
  json: boolean;
}

const HEADER = ["  NAME", "HOST", "LOGIN", "TYPE", "TOKEN", "SCOPES", "EXPIRY", "STATUS"];
const STATUS_COLUMN = 7;
const STATUS_STYLE = { valid: "green", unverified: "yellow", revoked: "red", expired: "red", rejected: "red" } as const;

/**
 * Reads the index only: it never loads, unlocks or reads the secret store.
 * The index is kept in this order, so the sort only confirms it. Statuses
 * are as of now: a token past its expiry is listed as expired.
 */
export async function runList(options: ListOptions, ctx: Context): Promise<TokenRecord[]> {
  const host = options.host === undefined ? undefined : resolveHost(options.host, ctx.env);
  const { tokens } = await new IndexReader(indexPath(ctx.env)).read();
  const now = ctx.now();
  const records = (host === undefined ? tokens : tokens.filter((t) => t.host === host)).sort(compareByHostAndName).map((t) => withCurrentStatus(t, now));

  if (options.json) {
    ctx.out.json(records.map(publicRecord));
    return records;
  }
  if (records.length === 0) {
    ctx.out.info(host ? `No tokens stored for ${host}. Add one with 'ghpat add --host ${host}'.` : "No tokens stored. Add one with 'ghpat add'.");
    return records;
  }
  const rows = records.map((t) => [`${t.default ? "*" : " "} ${t.name}`, t.host, t.login ?? "-", t.type, t.fingerprint, describeScopes(t.scopes), describeExpiry(t, now), t.status]);
  const paint = ctx.out.colors ? (row: number, col: number, text: string) => (col === STATUS_COLUMN ? ctx.out.paint(STATUS_STYLE[records[row]?.status ?? "valid"], text) : text) : undefined;
  ctx.out.data(renderTable(HEADER, rows, paint));
  return records;
}
