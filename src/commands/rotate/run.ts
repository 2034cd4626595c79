import { isInteractive } from "../../config.js";
import { UsageError, withContext } from "../../errors.js";
import { isExpired, type TokenRecord } from "../../core/record.js";
import { missingScopes } from "../../core/scopes.js";
import { fingerprint } from "../../core/token-format.js";
import type { TokenInfo } from "../../github/token-info.js";
import { openVault } from "../../storage/open.js";
import { askConfirm } from "../../ui/prompts.js";
import { handledSecrets } from "../../ui/redact.js";
import type { Context } from "../shared/context.js";
import { checkFormatOrThrow, readToken } from "../shared/read-token.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import { describeExpiry, describeRecord, describeScopes } from "../shared/describe.js";
import { refuseOffGithubCom, revokeOnGitHub, REVOCABLE_HOST } from "../shared/revoke.js";
import { newTokenUrl, settingsUrl, successorChecklist } from "../../core/settings-url.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { rotateSpec } from "./spec.js";
import { ssoReminderAfterRotate } from "../../core/sso.js";

export type RotateOptions = OptionsOf<typeof rotateSpec>;

export interface RotateResult {
  stored: TokenRecord;
  oldRevoked: boolean;
}

const KEPT = "The old token is still in place.";

function withKept(error: unknown): unknown {
  return withContext(error, { message: (m) => `${m} ${KEPT}` });
}

/** Same login and scopes covering the old ones, unless forced (then only warned about). */
function checkSuccessor(record: TokenRecord, info: TokenInfo, force: boolean, ctx: Context): void {
  const problems: string[] = [];
  if (record.login !== null && info.login.toLowerCase() !== record.login.toLowerCase()) {
    problems.push(`The new token belongs to '${info.login}', but '${record.name}' belongs to '${record.login}'.`);
  }
  if (record.scopes !== null) {
    if (info.scopes === null) {
      problems.push(
        `GitHub reports no scopes for the new token (a fine-grained token?), so ghpat cannot check that it can do what '${record.name}' could (${describeScopes(record.scopes)}).`,
      );
    } else {
      const missing = missingScopes(info.scopes, record.scopes);
      if (missing.length > 0)
        problems.push(
          `The new token lacks ${missing.join(", ")}, which '${record.name}' has (new: ${describeScopes(info.scopes)}).`,
        );
    }
  } else if (record.type === "fine-grained") {
    ctx.out.warn(
      "Fine-grained permissions are not visible through the API: make sure the new token has the repositories and permissions the old one had.",
    );
  }
  if (problems.length === 0) return;
  if (force) {
    for (const problem of problems) ctx.out.warn(`${problem} (accepted because of --force)`);
    return;
  }
  throw new UsageError(
    `${problems.join(" ")} ${KEPT}`,
    `Create the replacement with the same account and scopes (${newTokenUrl(record)}), or pass --force to accept it anyway.`,
  );
}

/** For a fine-grained token on a host whose page fills nothing in: what to pick there. */
function checklistLines(record: TokenRecord): string[] {
  const checklist = successorChecklist(record);
  return checklist === null
    ? []
    : [`${record.host} does not fill that page in; pick:`, ...checklist.map((step) => `  - ${step}`)];
}

/** Asks, or follows --revoke-old; returns whether the old token was revoked. Throws only when a revocation was attempted and failed. */
async function revokeOld(
  previous: TokenRecord,
  oldToken: string,
  options: RotateOptions,
  ctx: Context,
): Promise<boolean> {
  const url = settingsUrl(previous);
  const old = `The old token (${previous.fingerprint})`;
  if (previous.status === "revoked" || isExpired(previous, ctx.now())) {
    ctx.out.info(`${old} no longer works on GitHub; there is nothing to revoke.`);
    return false;
  }
  let revoke = options.revokeOld;
  if (!revoke) {
    if (previous.host !== REVOCABLE_HOST) {
      ctx.out.info(`${old} still works until you revoke it at ${url}`);
      return false;
    }
    if (!isInteractive(process.stdin, ctx.env) || process.stderr.isTTY !== true) {
      ctx.out.info(
        `${old} still works on GitHub and is no longer stored in ghpat. Revoke it at ${url} (next time, pass --revoke-old to have rotate do it).`,
      );
      return false;
    }
    revoke = await askConfirm(
      `Revoke the old token (${previous.fingerprint}) on GitHub now? Anything still using it stops working.`,
      "--revoke-old",
    );
    if (!revoke) {
      ctx.out.info(`${old} still works on GitHub until you revoke it at ${url}`);
      return false;
    }
  }
  try {
    await revokeOnGitHub(oldToken, ctx, options.timeoutMs);
  } catch (error) {
    throw withContext(error, {
      message: (m) =>
        `'${previous.name}' was rotated and the new token is stored, but the old token (${previous.fingerprint}) was NOT revoked: ${m}`,
      hint: () => `Revoke it at ${url} (ghpat no longer holds it).`,
    });
  }
  ctx.out.info(`Revoked the old token (${previous.fingerprint}) on GitHub.`);
  return true;
}

/**
 * Replaces a token with its successor under the same name. Every check runs
 * before anything is written; the swap itself is one vault step that puts
 * the old secret back if it fails.
 */
export async function runRotate(options: RotateOptions, ctx: Context): Promise<RotateResult> {
  refuseTokenArgument(options.name);
  const vault = openVault(ctx.env);
  const record = await vault.find(options.name);
  if (options.revokeOld)
    refuseOffGithubCom(
      record,
      `Cannot rotate '${record.name}' with --revoke-old`,
      "Rotate it without --revoke-old, then revoke the old token there.",
    );
  const oldToken = await vault.secretOf(record);
  handledSecrets.add(oldToken);
  // A rotation killed between its two writes leaves the new secret under the old record.
  const interrupted = fingerprint(oldToken) !== record.fingerprint;

  ctx.out.info(
    [
      `Rotating '${record.name}' (${record.fingerprint}; ${describeScopes(record.scopes)}; ${describeExpiry(record, ctx.now())}).`,
      `Regenerate it at ${settingsUrl(record)}, or create its successor at:`,
      `  ${newTokenUrl(record)}`,
      ...checklistLines(record),
    ].join("\n"),
  );

  const token = await readToken(
    options.stdin,
    ctx,
    `New token for '${record.name}' (${record.host}):`,
    `ghpat rotate ${record.name}`,
  );
  if (token === oldToken && !interrupted) {
    throw new UsageError(
      `That is the token '${record.name}' already holds. ${KEPT}`,
      "Give its replacement: a newly created or regenerated token.",
    );
  }
  const format = checkFormatOrThrow(token, options.force, "--force", ctx);

  const { fetchTokenInfo } = await import("../../github/user.js");
  let info: TokenInfo;
  try {
    info = await fetchTokenInfo(record.host, token, format.type, { timeoutMs: options.timeoutMs, env: ctx.env });
  } catch (error) {
    throw withKept(error);
  }
  checkSuccessor(record, info, options.force, ctx);

  const now = ctx.now().toISOString();
  let swapped;
  try {
    swapped = await vault.replaceSecret(
      record.name,
      token,
      (current) => ({
        ...current,
        login: info.login,
        type: format.type,
        fingerprint: fingerprint(token),
        scopes: info.scopes,
        expiresAt: info.expiresAt,
        expiryKnown: info.expiryKnown,
        addedAt: now,
        lastVerifiedAt: now,
        lastUsedAt: null,
        status: "valid",
        // Where the successor reaches is learnt by its first verify, not taken from the old token.
        ...(current.repositories != null ? { repositories: null, repositoriesCheckedAt: null } : {}),
        ...(info.ssoUrl !== null ? { sso: { url: info.ssoUrl } } : {}),
      }),
      { expectFingerprint: record.fingerprint },
    );
  } catch (error) {
    throw withKept(error);
  }
  const { stored } = swapped;
  ctx.out.info(
    `Rotated '${stored.name}': now ${stored.fingerprint}. ${describeRecord(stored, ctx.now())} Name, matches, default and note are unchanged.`,
  );
  const sso = ssoReminderAfterRotate(record, info.ssoUrl);
  if (sso !== null) ctx.out.info(sso);

  if (interrupted) {
    ctx.out.info(
      `An earlier rotation of '${stored.name}' was interrupted after storing its new secret, so ghpat no longer holds the token before that (${record.fingerprint}). If it still exists, revoke it at ${settingsUrl(record)}`,
    );
  }
  // Resuming that rotation with the token it already stored: there is no other token to revoke.
  if (token === oldToken) return { stored, oldRevoked: false };
  const oldRevoked = await revokeOld({ ...record, fingerprint: fingerprint(oldToken) }, oldToken, options, ctx);
  return { stored, oldRevoked };
}

export const run: RunFunction<typeof rotateSpec> = async (options, ctx) => {
  await runRotate(options, ctx);
};
