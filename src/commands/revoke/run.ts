import { isInteractive } from "../../config.js";
import { GhpatError, UsageError } from "../../errors.js";
import type { TokenRecord } from "../../core/record.js";
import { openVault } from "../../storage/open.js";
import { askConfirm } from "../../ui/prompts.js";
import { handledSecrets } from "../../ui/redact.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../add/run.js";
import { settingsUrl } from "../../core/settings-url.js";

export interface RevokeOptions {
  name: string;
  yes: boolean;
  timeoutMs?: number | undefined;
}

/** GitHub's credential revocation API exists on github.com only. */
export const REVOCABLE_HOST = "github.com";

/** Elsewhere the user revokes the token on its settings page; nothing is changed. */
export function refuseOffGithubCom(record: TokenRecord, what: string, then: string): void {
  if (record.host === REVOCABLE_HOST) return;
  throw new UsageError(
    `${what}: GitHub's credential revocation API exists only on github.com, and '${record.name}' is for ${record.host}. Nothing was changed.`,
    `Revoke it on its settings page: ${settingsUrl(record)} ${then}`,
  );
}

/** Revokes a token on github.com; throws (exit 5) unless GitHub accepted it. */
export async function revokeOnGitHub(token: string, ctx: Context, timeoutMs: number | undefined): Promise<void> {
  handledSecrets.add(token);
  const { revokeCredential } = await import("../../github/revoke.js");
  await revokeCredential(token, { timeoutMs, env: ctx.env });
}

export async function runRevoke(options: RevokeOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const vault = openVault(ctx.env);
  const record = await vault.find(options.name);
  refuseOffGithubCom(record, `Cannot revoke '${record.name}'`, `Then run 'ghpat remove ${record.name}'.`);

  if (!options.yes) {
    if (!isInteractive(process.stdin, ctx.env)) {
      throw new UsageError(`Revoking '${record.name}' needs confirmation and there is no terminal to ask on.`, "Pass --yes to revoke it without asking.");
    }
    const sure = await askConfirm(`Revoke '${record.name}' (${record.fingerprint}, login ${record.login ?? "unknown"}) on GitHub? Anything using it stops working.`, "--yes");
    if (!sure) {
      ctx.out.info("Nothing revoked.");
      return;
    }
  }

  const token = await vault.secretOf(record);
  try {
    await revokeOnGitHub(token, ctx, options.timeoutMs);
  } catch (error) {
    if (error instanceof GhpatError) {
      throw new GhpatError(`${error.message} '${record.name}' was not revoked and is still stored.`, { exitCode: error.exitCode, code: error.code, hint: `${error.hint ?? ""} You can also revoke it at ${settingsUrl(record)}.`.trim() });
    }
    throw error;
  }

  try {
    await vault.remove(record.name);
  } catch (error) {
    if (error instanceof GhpatError) {
      throw new GhpatError(`GitHub accepted the revocation of '${record.name}' (${record.fingerprint}), but removing it from ghpat failed: ${error.message}`, {
        exitCode: error.exitCode,
        code: error.code,
        hint: `${error.hint ?? ""} Then run 'ghpat remove ${record.name} --yes'.`.trim(),
      });
    }
    throw error;
  }
  ctx.out.info(`Revoked '${record.name}' (${record.fingerprint}) on GitHub and removed it from ghpat.`);
}
