import { resolveHost } from "../../config.js";
import { NotFoundError, UsageError } from "../../errors.js";
import type { TokenRecord } from "../../core/record.js";
import { envToken } from "../../core/env-token.js";
import { openVault } from "../../storage/open.js";
import type { Vault } from "../../storage/vault.js";
import type { Context } from "./context.js";

/** The host's default, else its only token. */
export function hostDefault(records: readonly TokenRecord[], host: string): TokenRecord | undefined {
  const mine = records.filter((t) => t.host === host);
  return mine.find((t) => t.default) ?? (mine.length === 1 ? mine[0] : undefined);
}

/** The record's secret; the record gains the keyed hash `scan` names it by, if it lacks one. */
async function readSecret(vault: Vault, record: TokenRecord): Promise<string> {
  const secret = await vault.secretOf(record);
  await vault.noteSecrets([{ record, secret }]);
  return secret;
}

/** The token a command uses: the named one, else the host's default (or only) token, else the host's environment token. */
export interface ChosenToken {
  token: string;
  host: string;
  /** Undefined when the token came from the environment. */
  record: TokenRecord | undefined;
}

/** Shared by `token` and `exec`; `byName` is how the caller's command names a token, for the hint. */
export async function chooseToken(
  options: { name?: string | undefined; host?: string | undefined },
  ctx: Context,
  byName: string,
): Promise<ChosenToken> {
  const vault = openVault(ctx.env);
  if (options.name !== undefined) {
    const record = await vault.find(options.name);
    if (options.host !== undefined && record.host !== resolveHost(options.host, ctx.env)) {
      throw new UsageError(
        `'${record.name}' is a token for ${record.host}, not for ${options.host}.`,
        `Drop --host, or name a token for ${options.host}.`,
      );
    }
    return { token: await readSecret(vault, record), host: record.host, record };
  }
  const host = resolveHost(options.host, ctx.env);
  const records = await vault.records();
  const record = hostDefault(records, host);
  if (record) return { token: await readSecret(vault, record), host, record };
  const fallback = envToken(
    host,
    records.map((t) => t.host),
    ctx.env,
  );
  if (fallback !== undefined) return { token: fallback.token, host, record: undefined };
  const stored = records.filter((t) => t.host === host).length;
  if (stored > 1)
    throw new NotFoundError(
      `${stored} tokens are stored for ${host}, and none is its default.`,
      `Make one the default with 'ghpat default NAME', or name one: '${byName}'.`,
    );
  throw new NotFoundError(
    `No token is stored for ${host}.`,
    `Add one with 'ghpat add${host === "github.com" ? "" : ` --host ${host}`}', or name one: '${byName}'.`,
  );
}
