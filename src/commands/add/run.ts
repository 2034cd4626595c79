import { resolveHost } from "../../config.js";
import { UsageError } from "../../errors.js";
import { parsePermissions } from "../../core/permissions.js";
import type { TokenRecord } from "../../core/record.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { checkFormatOrThrow, readToken } from "../shared/read-token.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import {
  checkNameAndMatches,
  fetchInfoBeforeStoring,
  refuseDoubtfulReplacement,
  refuseTakenName,
  storeToken,
} from "../shared/store-token.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { addSpec } from "./spec.js";

export type AddOptions = OptionsOf<typeof addSpec>;

export async function runAdd(options: AddOptions, ctx: Context): Promise<TokenRecord> {
  refuseTokenArgument(options.name);
  checkNameAndMatches(options.name, options.match);
  const permissions = options.permission.length > 0 ? parsePermissions(options.permission) : null;
  const host = resolveHost(options.host, ctx.env);
  const vault = openVault(ctx.env);
  await refuseTakenName(vault, options.name, options.force);

  // Before the paste and the request: a store that cannot take the token fails now (exit 4).
  await vault.requireUsableStore();
  const token = await readToken(options.stdin, ctx, `GitHub token for ${host}:`, "ghpat add");
  const format = checkFormatOrThrow(token, options.acceptBadChecksum, "--accept-bad-checksum", ctx);
  if (permissions !== null && format.type !== "fine-grained") {
    throw new UsageError(
      `--permission declares a fine-grained token's permissions, but this is a ${format.type} token. Nothing was stored.`,
      "Drop --permission: GitHub reports a classic token's scopes itself.",
    );
  }
  // With the name given, a doubtful token that would replace a verified one is refused before any request.
  if (options.name !== undefined)
    refuseDoubtfulReplacement(options.name, format.accepted, options.force, await vault.records());

  const info = options.verify
    ? await fetchInfoBeforeStoring(
        host,
        token,
        format.type,
        { timeoutMs: options.timeoutMs, offlineHint: "To store the token without checking it, pass --no-verify." },
        ctx,
      )
    : null;
  return storeToken(
    vault,
    {
      name: options.name,
      host,
      token,
      type: format.type,
      info,
      default: options.default,
      match: options.match,
      note: options.note ?? null,
      replace: options.force,
      failedFormatCheck: format.accepted,
      permissions,
    },
    ctx,
  );
}

export const run: RunFunction<typeof addSpec> = async (options, ctx) => {
  await runAdd(options, ctx);
};
