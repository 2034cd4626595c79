import { resolveHost } from "../config.js";
import { publicRecord, type TokenRecord } from "../core/record.js";
import { openIndex } from "../storage/open.js";
import { renderTable } from "../ui/output.js";
import type { Context } from "./context.js";
import { describeExpiry, describeScopes } from "./describe.js";

export interface ListOptions {
  host?: string | undefined;
  json: boolean;
}

/** Code-unit order: names are ASCII, and localeCompare would load ICU's collator (~10 ms). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads the index only: it never loads, unlocks or reads the secret store. */
export async function runList(options: ListOptions, ctx: Context): Promise<TokenRecord[]> {
  const host = options.host === undefined ? undefined : resolveHost(options.host, ctx.env);
  const records = (await openIndex(ctx.env).read()).tokens
    .filter((t) => host === undefined || t.host === host)
    .sort((a, b) => compare(a.host, b.host) || compare(a.name, b.name));

  if (options.json) {
    ctx.out.json(records.map(publicRecord));
    return records;
  }
  if (records.length === 0) {
    ctx.out.info(host ? `No tokens stored for ${host}. Add one with 'ghpat add --host ${host}'.` : "No tokens stored. Add one with 'ghpat add'.");
    return records;
  }
  const now = ctx.now();
  const rows = records.map((t) => [
    `${t.default ? "*" : " "} ${t.name}`,
    t.host,
    t.login ?? "-",
    t.type,
    t.fingerprint,
    describeScopes(t.scopes),
    describeExpiry(t, now),
    t.status,
  ]);
  const statusColor = { valid: "green", unverified: "yellow", revoked: "red", expired: "red", rejected: "red" } as const;
  ctx.out.data(
    renderTable(["  NAME", "HOST", "LOGIN", "TYPE", "TOKEN", "SCOPES", "EXPIRY", "STATUS"], rows, (row, col, text) =>
      col === 7 ? ctx.out.paint(statusColor[records[row]?.status ?? "valid"], text) : text,
    ),
  );
  return records;
}
