import { UsageError } from "../../errors.js";
import type { TokenRecord } from "../../core/record.js";
import { REVOCABLE_HOST, settingsUrl } from "../../core/settings-url.js";
import { handledSecrets } from "../../ui/redact.js";
import type { Context } from "./context.js";

export { REVOCABLE_HOST };

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
