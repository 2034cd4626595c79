/**
 * Storing a newly made or newly given token, as `add` and `new` both do:
 * the checks of names and match patterns, the question to GitHub, and the
 * record written with its secret.
 */
import { extendHint, NetworkError, UsageError, withContext } from "../../errors.js";
import { isValidMatchPattern } from "../../core/match.js";
import { newRecord } from "../../core/new-record.js";
import type { Permissions } from "../../core/permissions.js";
import { defaultName, isValidName, type TokenRecord, type TokenType } from "../../core/record.js";
import type { TokenInfo } from "../../github/token-info.js";
import type { Vault } from "../../storage/vault.js";
import type { Context } from "./context.js";
import { describeRecord } from "./describe.js";

/** A name and match patterns from the command line, refused (exit 2) before anything is asked. */
export function checkNameAndMatches(name: string | undefined, match: readonly string[]): void {
  if (name !== undefined && !isValidName(name)) {
    throw new UsageError(
      `'${name}' is not a usable name.`,
      "Use letters, digits and . _ @ : + - (up to 100), starting with a letter or digit.",
    );
  }
  for (const pattern of match) {
    if (!isValidMatchPattern(pattern))
      throw new UsageError(`'${pattern}' is not a match pattern.`, "Use OWNER, OWNER/* or OWNER/REPO.");
  }
}

/**
 * `--accept-bad-checksum` never lets a token that failed the offline check
 * replace (`--force`) one that GitHub accepted: a mistyped paste would
 * silently take the place of a working token.
 */
export function refuseDoubtfulReplacement(
  name: string,
  doubtful: boolean,
  replace: boolean,
  existing: readonly TokenRecord[],
): void {
  const replaced = replace ? existing.find((t) => t.name === name) : undefined;
  if (doubtful && replaced !== undefined && replaced.lastVerifiedAt !== null) {
    throw new UsageError(
      `'${name}' holds a token that GitHub accepted; ghpat will not replace it with one that fails the offline check. Nothing was stored.`,
      `Copy the new token again, or give the doubtful one another name: 'ghpat add OTHER --accept-bad-checksum'.`,
    );
  }
}

/** A name already taken is refused unless the token is to replace it. */
export async function refuseTakenName(vault: Vault, name: string | undefined, force: boolean): Promise<void> {
  if (name === undefined || force) return;
  if ((await vault.records()).some((t) => t.name === name)) {
    throw new UsageError(
      `A token named '${name}' already exists.`,
      "Choose another name, or pass --force to replace it.",
    );
  }
}

/** `GET /user` for a token about to be stored; a failure says that nothing was stored (and, with `offlineHint`, how to store it unchecked). */
export async function fetchInfoBeforeStoring(
  host: string,
  token: string,
  type: TokenType,
  options: { timeoutMs: number | undefined; offlineHint?: string | undefined },
  ctx: Context,
): Promise<TokenInfo> {
  const { fetchTokenInfo } = await import("../../github/user.js");
  try {
    return await fetchTokenInfo(host, token, type, { timeoutMs: options.timeoutMs, env: ctx.env });
  } catch (error) {
    const offline = error instanceof NetworkError && options.offlineHint !== undefined;
    throw withContext(error, {
      message: (m) => `${m} Nothing was stored.`,
      hint: (h) => (offline ? extendHint(h, options.offlineHint as string) : h),
    });
  }
}

export interface StoreRequest {
  /** The name given; undefined: the login (`login` or `login@host`). */
  name: string | undefined;
  host: string;
  token: string;
  type: TokenType;
  /** What GET /user said; null: stored unverified. */
  info: TokenInfo | null;
  default: boolean;
  match: string[];
  note: string | null;
  /** Replace a token of the same name. */
  replace: boolean;
  /** The token failed the offline format check and was let through by the user: it may not replace one GitHub accepted. */
  failedFormatCheck?: boolean | undefined;
  /** Declared fine-grained permissions and resource owner, when there are any. */
  permissions?: Permissions | null | undefined;
  owner?: string | null | undefined;
  /** The private repositories GET /user/repos listed just now (a fine-grained token), when asked. */
  repositories?: string[] | null | undefined;
}

/** Writes the record and its secret, and says what was stored. */
export async function storeToken(vault: Vault, request: StoreRequest, ctx: Context): Promise<TokenRecord> {
  const { host, info } = request;
  const name = request.name ?? (info ? defaultName(info.login, host) : undefined);
  if (name === undefined) {
    throw new UsageError(
      "Without verification ghpat cannot learn the login to name the token after.",
      "Give a name: 'ghpat add NAME --no-verify --stdin'.",
    );
  }
  if (!isValidName(name)) {
    throw new UsageError(`'${name}' is not a usable name.`, "Give a name as the first argument.");
  }

  const record: TokenRecord = {
    ...newRecord({
      name,
      host,
      token: request.token,
      type: request.type,
      info,
      now: ctx.now(),
      default: request.default,
      match: request.match,
      note: request.note,
    }),
    ...(request.permissions != null ? { permissions: request.permissions } : {}),
    ...(request.owner != null ? { owner: request.owner } : {}),
    ...(request.repositories != null
      ? { repositories: request.repositories, repositoriesCheckedAt: ctx.now().toISOString() }
      : {}),
  };

  const existing = await vault.records();
  refuseDoubtfulReplacement(name, request.failedFormatCheck === true, request.replace, existing);
  const twin = existing.find((t) => t.host === host && t.fingerprint === record.fingerprint && t.name !== name);
  if (twin)
    ctx.out.warn(`'${twin.name}' on ${host} has the same fingerprint; this may be the same token stored twice.`);

  const stored = await vault.add(record, request.token, { replace: request.replace });
  ctx.out.info(`Stored '${stored.name}' (${stored.fingerprint}) for ${host}. ${describeRecord(stored, ctx.now())}`);
  return stored;
}
