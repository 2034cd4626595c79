import { indexPath, resolveHost } from "../../config.js";
import { publicRecord, withCurrentStatus, type TokenStatus } from "../../core/record.js";
import { IndexReader } from "../../storage/index-reader.js";
import type { Context } from "../shared/context.js";
import { renderListTable } from "./table.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { listSpec } from "./spec.js";

export type ListOptions = OptionsOf<typeof listSpec>;

const STATUS_STYLE = { valid: "green", unverified: "yellow", revoked: "red", expired: "red", rejected: "red" } as const;

/**
 * Reads the index only: it never loads, unlocks or reads the secret store.
 * Records come in the index's (host, name) order. Statuses are as of now:
 * a token past its expiry is listed as expired. On a terminal the table
 * fits its width (table.ts says which columns give way); piped, it is whole.
 */
export async function runList(options: ListOptions, ctx: Context): Promise<void> {
  const host = options.host === undefined ? undefined : resolveHost(options.host, ctx.env);
  const { tokens } = await new IndexReader(indexPath(ctx.env)).read();
  const now = ctx.now();
  const records = host === undefined ? tokens : tokens.filter((t) => t.host === host);

  if (options.json) {
    ctx.out.json(records.map((t) => publicRecord(withCurrentStatus(t, now))));
    return;
  }
  if (records.length === 0) {
    ctx.out.info(
      host
        ? `No tokens stored for ${host}. Add one with 'ghpat add --host ${host}'.`
        : "No tokens stored. Add one with 'ghpat add'.",
    );
    return;
  }
  const paintStatus = ctx.out.colors
    ? (status: TokenStatus, text: string) => ctx.out.paint(STATUS_STYLE[status], text)
    : undefined;
  ctx.out.data(renderListTable(records, now, { maxWidth: ctx.out.columns, paintStatus }));
}

export const run: RunFunction<typeof listSpec> = runList;
