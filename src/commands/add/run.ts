import { resolveHost } from "../../config.js";
import { extendHint, NetworkError, UsageError, withContext } from "../../errors.js";
import { defaultName, isValidName, type TokenRecord } from "../../core/record.js";
import { isValidMatchPattern } from "../../core/match.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { describeRecord } from "../shared/describe.js";
import { newRecord } from "../../core/new-record.js";
import { checkFormatOrThrow, readToken } from "../shared/read-token.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { addSpec } from "./spec.js";

export type AddOptions = OptionsOf<typeof addSpec>;

/**
 * `--accept-bad-checksum` never lets a token that failed the offline check
 * replace (`--force`) one that GitHub accepted: a mistyped paste would
 * silently take the place of a working token.
 */
function refuseDoubtfulReplacement(name: string, doubtful: boolean, force: boolean, existing: readonly TokenRecord[]): void {
  const replaced = force ? existing.find((t) => t.name === name) : undefined;
  if (doubtful && replaced !== undefined && replaced.lastVerifiedAt !== null) {
    throw new UsageError(
      `'${name}' holds a token that GitHub accepted; ghpat will not replace it with one that fails the offline check. Nothing was stored.`,
      `Copy the new token again, or give the doubtful one another name: 'ghpat add OTHER --accept-bad-checksum'.`,
    );
  }
}

export async function runAdd(options: AddOptions, ctx: Context): Promise<TokenRecord> {
  refuseTokenArgument(options.name);
  if (options.name !== undefined && !isValidName(options.name)) {
    throw new UsageError(`'${options.name}' is not a usable name.`, "Use letters, digits and . _ @ : + - (up to 100), starting with a letter or digit.");
  }
  for (const pattern of options.match) {
    if (!isValidMatchPattern(pattern)) {
      throw new UsageError(`'${pattern}' is not a match pattern.`, "Use OWNER, OWNER/* or OWNER/REPO.");
    }
  }
  const host = resolveHost(options.host, ctx.env);
  const vault = openVault(ctx.env);

  if (options.name !== undefined && !options.force) {
    if ((await vault.records()).some((t) => t.name === options.name)) {
      throw new UsageError(`A token named '${options.name}' already exists.`, "Choose another name, or pass --force to replace it.");
    }
  }

  // Before the paste and the request: a store that cannot take the token fails now (exit 4).
  await vault.requireUsableStore();
  const token = await readToken(options.stdin, ctx, `GitHub token for ${host}:`, "ghpat add");
  const format = checkFormatOrThrow(token, options.acceptBadChecksum, "--accept-bad-checksum", ctx);
  // With the name given, a doubtful token that would replace a verified one is refused before any request.
  if (options.name !== undefined) refuseDoubtfulReplacement(options.name, format.accepted, options.force, await vault.records());

  let info = null;
  if (options.verify) {
    const { fetchTokenInfo } = await import("../../github/user.js");
    try {
      info = await fetchTokenInfo(host, token, format.type, { timeoutMs: options.timeoutMs, env: ctx.env });
    } catch (error) {
      const offline = error instanceof NetworkError;
      throw withContext(error, { message: (m) => `${m} Nothing was stored.`, hint: (h) => (offline ? extendHint(h, "To store the token without checking it, pass --no-verify.") : h) });
    }
  }

  const name = options.name ?? (info ? defaultName(info.login, host) : undefined);
  if (name === undefined) {
    throw new UsageError("Without verification ghpat cannot learn the login to name the token after.", "Give a name: 'ghpat add NAME --no-verify --stdin'.");
  }
  if (!isValidName(name)) {
    throw new UsageError(`'${name}' is not a usable name.`, "Give a name as the first argument.");
  }

  const record = newRecord({ name, host, token, type: format.type, info, now: ctx.now(), default: options.default, match: options.match, note: options.note ?? null });

  const existing = await vault.records();
  refuseDoubtfulReplacement(name, format.accepted, options.force, existing);
  const twin = existing.find((t) => t.host === host && t.fingerprint === record.fingerprint && t.name !== name);
  if (twin) ctx.out.warn(`'${twin.name}' on ${host} has the same fingerprint; this may be the same token stored twice.`);

  const stored = await vault.add(record, token, { replace: options.force });
  ctx.out.info(`Stored '${stored.name}' (${stored.fingerprint}) for ${host}. ${describeRecord(stored, ctx.now())}`);
  return stored;
}

export const run: RunFunction<typeof addSpec> = async (options, ctx) => {
  await runAdd(options, ctx);
};
