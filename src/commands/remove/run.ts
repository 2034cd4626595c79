import { UsageError } from "../../errors.js";
import { isInteractive } from "../../config.js";
import { openVault } from "../../storage/open.js";
import { askConfirm } from "../../ui/prompts.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import { settingsUrl } from "../../core/settings-url.js";
import { localDay } from "../../core/days.js";
import { currentStatus, type TokenRecord } from "../../core/record.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { removeSpec } from "./spec.js";

export type RemoveOptions = OptionsOf<typeof removeSpec>;

/** Whether the token may still work on GitHub: neither past its expiry nor refused by GitHub at its last check. */
function stillWorks(record: TokenRecord, now: Date): boolean {
  const status = currentStatus(record, now);
  return status !== "expired" && status !== "revoked";
}

/** What removing it from ghpat left on GitHub. */
function afterRemoval(record: TokenRecord, now: Date): string {
  const status = currentStatus(record, now);
  if (status === "expired")
    return `It expired${record.expiresAt === null ? "" : ` on ${localDay(record.expiresAt)}`}, so it no longer works on GitHub either.`;
  if (status === "revoked") return "GitHub already refused it at its last check, so it no longer works there either.";
  return `It still works on GitHub until you revoke it: ${settingsUrl(record)}`;
}

export async function runRemove(options: RemoveOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const vault = openVault(ctx.env);
  const record = await vault.find(options.name);
  if (!options.yes) {
    if (!isInteractive(process.stdin, ctx.env)) {
      throw new UsageError(
        `Removing '${record.name}' needs confirmation and there is no terminal to ask on.`,
        "Pass --yes to remove it without asking.",
      );
    }
    const sure = await askConfirm(
      `Remove '${record.name}' (${record.fingerprint}, ${record.host}) from ghpat?${stillWorks(record, ctx.now()) ? " It stays valid on GitHub." : ""}`,
      "--yes",
    );
    if (!sure) {
      ctx.out.info("Nothing removed.");
      return;
    }
  }
  await vault.remove(record.name);
  ctx.out.info(`Removed '${record.name}' (${record.fingerprint}). ${afterRemoval(record, ctx.now())}`);
  if (record.default) {
    // With one token left it became the default (vault.ts); with more, none is chosen for the user.
    const left = (await vault.records()).filter((t) => t.host === record.host);
    if (left.length > 1 && !left.some((t) => t.default)) {
      ctx.out.info(
        `${record.host} has no default token now, so git, 'ghpat token' and 'ghpat exec' need a name. Make one the default with 'ghpat default NAME'.`,
      );
    }
  }
}

export const run: RunFunction<typeof removeSpec> = runRemove;
