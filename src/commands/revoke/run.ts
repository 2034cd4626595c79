import { isInteractive } from "../../config.js";
import { extendHint, UsageError, withContext } from "../../errors.js";
import { openVault } from "../../storage/open.js";
import { askConfirm } from "../../ui/prompts.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import { refuseOffGithubCom, revokeOnGitHub } from "../shared/revoke.js";
import { settingsUrl } from "../../core/settings-url.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { revokeSpec } from "./spec.js";

export type RevokeOptions = OptionsOf<typeof revokeSpec>;

export async function runRevoke(options: RevokeOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const vault = openVault(ctx.env);
  const record = await vault.find(options.name);
  refuseOffGithubCom(record, `Cannot revoke '${record.name}'`, `Then run 'ghpat remove ${record.name}'.`);

  if (!options.yes) {
    if (!isInteractive(process.stdin, ctx.env)) {
      throw new UsageError(
        `Revoking '${record.name}' needs confirmation and there is no terminal to ask on.`,
        "Pass --yes to revoke it without asking.",
      );
    }
    const sure = await askConfirm(
      `Revoke '${record.name}' (${record.fingerprint}, login ${record.login ?? "unknown"}) on GitHub? Anything using it stops working.`,
      "--yes",
    );
    if (!sure) {
      ctx.out.info("Nothing revoked.");
      return;
    }
  }

  const token = await vault.secretOf(record);
  try {
    await revokeOnGitHub(token, ctx, options.timeoutMs);
  } catch (error) {
    throw withContext(error, {
      message: (m) => `${m} '${record.name}' was not revoked and is still stored.`,
      hint: (h) => extendHint(h, `You can also revoke it at ${settingsUrl(record)}.`),
    });
  }

  try {
    await vault.remove(record.name);
  } catch (error) {
    throw withContext(error, {
      message: (m) =>
        `GitHub accepted the revocation of '${record.name}' (${record.fingerprint}), but removing it from ghpat failed: ${m}`,
      hint: (h) => extendHint(h, `Then run 'ghpat remove ${record.name} --yes'.`),
    });
  }
  ctx.out.info(`Revoked '${record.name}' (${record.fingerprint}) on GitHub and removed it from ghpat.`);
}

export const run: RunFunction<typeof revokeSpec> = runRevoke;
