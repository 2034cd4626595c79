import { resolveHost } from "../config.js";
import { NotFoundError } from "../errors.js";
import type { TokenRecord } from "../core/record.js";
import { envToken } from "../core/env-token.js";
import { openVault } from "../storage/open.js";
import type { Context } from "./context.js";
import { refuseTokenArgument } from "./add.js";

export interface TokenOptions {
  name?: string | undefined;
  host?: string | undefined;
}

/** The host's default, else its only token. */
export function hostDefault(records: readonly TokenRecord[], host: string): TokenRecord | undefined {
  const mine = records.filter((t) => t.host === host);
  return mine.find((t) => t.default) ?? (mine.length === 1 ? mine[0] : undefined);
}

/** Prints the secret and a newline: one of the two places a token is ever printed. */
export async function runToken(options: TokenOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const vault = openVault(ctx.env);
  let record: TokenRecord | undefined;
  let host: string;
  if (options.name !== undefined) {
    record = await vault.find(options.name);
    host = record.host;
  } else {
    host = resolveHost(options.host, ctx.env);
    record = hostDefault(await vault.records(), host);
  }
  if (record) {
    ctx.out.data(await vault.secretOf(record));
    return;
  }
  const fallback = envToken(host, ctx.env);
  if (fallback !== undefined) {
    ctx.out.data(fallback.token);
    return;
  }
  throw new NotFoundError(`No token is stored for ${host}.`, `Add one with 'ghpat add${host === "github.com" ? "" : ` --host ${host}`}', or name one: 'ghpat token NAME'.`);
}
