import type { Env } from "../../config.js";
import { ExitCode, GhpatError, NotFoundError } from "../../errors.js";
import { mapWithConcurrency } from "../../core/concurrency.js";
import type { TokenRecord, TokenType } from "../../core/record.js";
import {
  applyCheck,
  NO_REQUIREMENTS,
  outcomeOf,
  type CheckResult,
  type Requirements,
  type VerifyOutcome,
} from "../../core/verify-outcome.js";
import type { Vault } from "../../storage/vault.js";
import { handledSecrets } from "../../ui/redact.js";

export const DEFAULT_CONCURRENCY = 8;

export interface VerifyRunOptions {
  /** Checks in flight at once; default 8. */
  concurrency?: number | undefined;
  /** Per API attempt; default `--timeout` → GHPAT_TIMEOUT → 10 s. */
  timeoutMs?: number | undefined;
  requirements?: Requirements | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface VerifyContext {
  env: Env;
  now(): Date;
}

interface CheckOptions {
  timeoutMs?: number | undefined;
  env: Env;
  signal?: AbortSignal | undefined;
}

/**
 * `GET /user`, then, for a token GitHub accepted, what it reaches: a
 * fine-grained token's private repositories (GET /user/repos, every page),
 * and each repository the requirements name (GET /repos/OWNER/REPO). A
 * failure of those later requests is the check's result, as a failure of
 * the first would be; one that is no verdict on the token leaves it as
 * unreachable.
 */
async function checkWithReach(
  host: string,
  secret: string,
  type: TokenType,
  requirements: Requirements,
  options: CheckOptions,
): Promise<CheckResult> {
  const { checkToken } = await import("../../github/user.js");
  const result = await checkToken(host, secret, type, options);
  const repos = requirements.requireRepos ?? [];
  if (result.kind !== "ok" || (type !== "fine-grained" && repos.length === 0)) return result;
  const { listPrivateRepositories, repositoryStatus } = await import("../../github/repos.js");
  const { checkResultOf } = await import("../../github/api-errors.js");
  try {
    const repositories = type === "fine-grained" ? await listPrivateRepositories(host, secret, options) : undefined;
    const repositoryAccess: Record<string, number> = {};
    for (const repo of repos) repositoryAccess[repo] = await repositoryStatus(host, secret, repo, options);
    return {
      kind: "ok",
      facts: { ...result.facts, ...(repositories === undefined ? {} : { repositories }), repositoryAccess },
    };
  } catch (error) {
    if (error instanceof GhpatError && (error.exitCode === ExitCode.checkFailed || error.exitCode === ExitCode.network))
      return checkResultOf(error);
    throw error;
  }
}

/**
 * Asks the API about each record (at most `concurrency` at once), updates
 * the index once for the whole run, and returns one outcome per record in
 * the order given. Only answers about a token change its record; a host that
 * gave no answer at all (timeout, refused, reset) is not asked again for the
 * records that had not started, so a dead network costs one timeout, not one
 * per token.
 *
 * Used by `ghpat verify`, `revoke-reminder --verify` and the programmatic API.
 */
export async function verifyRecords(
  vault: Vault,
  records: readonly TokenRecord[],
  options: VerifyRunOptions,
  ctx: VerifyContext,
): Promise<VerifyOutcome[]> {
  const now = ctx.now();
  const requirements = options.requirements ?? NO_REQUIREMENTS;
  const silentHosts = new Map<string, CheckResult & { kind: "unreachable" }>();
  let done = 0;

  // Secrets are read up front, all at once (the keychain answers from its own threads), so a
  // check's slot is spent on the network only, and a locked store fails the run before any request.
  const secrets = records.map((record) =>
    vault.secretOf(record).then(
      (secret) => ({ secret }),
      (error: unknown) => ({ error }),
    ),
  );

  const check = async (record: TokenRecord, index: number): Promise<CheckResult> => {
    const read = await (secrets[index] as (typeof secrets)[number]);
    if ("error" in read) {
      if (read.error instanceof NotFoundError)
        return { kind: "no-secret", message: read.error.message, hint: read.error.hint };
      throw read.error;
    }
    const silent = silentHosts.get(record.host);
    if (silent)
      return { ...silent, message: `Not checked: an earlier request to this host got no answer. ${silent.message}` };
    const secret = read.secret;
    handledSecrets.add(secret);
    const result = await checkWithReach(record.host, secret, record.type, requirements, {
      timeoutMs: options.timeoutMs,
      env: ctx.env,
      signal: options.signal,
    });
    if (result.kind === "unreachable" && result.noAnswer === true && !silentHosts.has(record.host))
      silentHosts.set(record.host, result);
    return result;
  };

  const results = await mapWithConcurrency(
    records,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (record, index) => {
      const result = await check(record, index);
      options.onProgress?.(++done, records.length);
      return result;
    },
  );

  const changed = new Map<string, { record: TokenRecord; result: CheckResult }>();
  records.forEach((record, i) => {
    const result = results[i] as CheckResult;
    if (applyCheck(record, result, now) !== record) changed.set(record.name, { record, result });
  });
  if (changed.size > 0) {
    await vault.updateRecords([...changed.keys()], (current) => {
      const entry = changed.get(current.name);
      // The same name may now hold another token (replaced meanwhile): leave that one alone.
      if (!entry || current.host !== entry.record.host || current.fingerprint !== entry.record.fingerprint)
        return current;
      return applyCheck(current, entry.result, now);
    });
  }

  // Records whose secret GitHub answered about gain the keyed hash `scan` names them by (when they lack it).
  const answered: Array<{ record: TokenRecord; secret: string }> = [];
  for (const [i, record] of records.entries()) {
    const kind = (results[i] as CheckResult).kind;
    const read = await (secrets[i] as (typeof secrets)[number]);
    if (kind !== "unreachable" && kind !== "no-secret" && "secret" in read)
      answered.push({ record, secret: read.secret });
  }
  await vault.noteSecrets(answered);

  return records.map((record, i) => {
    const result = results[i] as CheckResult;
    return outcomeOf(applyCheck(record, result, now), result, requirements, now);
  });
}

/** Verifies a token that is not stored (`verify --stdin`, a successor in `rotate`): nothing is read or written locally. */
export async function verifySecret(
  token: string,
  subject: { host: string; type: TokenType },
  options: Pick<VerifyRunOptions, "timeoutMs" | "requirements" | "signal">,
  ctx: VerifyContext,
): Promise<VerifyOutcome> {
  handledSecrets.add(token);
  const now = ctx.now();
  const requirements = options.requirements ?? NO_REQUIREMENTS;
  const answer = await checkWithReach(subject.host, token, subject.type, requirements, {
    timeoutMs: options.timeoutMs,
    env: ctx.env,
    signal: options.signal,
  });
  // The API's advice for a rejected token names its record ('ghpat rotate'); this one has none.
  const result: CheckResult =
    answer.kind === "rejected"
      ? {
          ...answer,
          hint: "It is not stored, so there is nothing to rotate or remove: check that the whole token was copied, or create a new one.",
        }
      : answer;
  const unknown = {
    name: null,
    host: subject.host,
    type: subject.type,
    login: null,
    scopes: null,
    expiresAt: null,
    expiryKnown: false,
    status: "unverified" as const,
    lastVerifiedAt: null,
    repositories: null,
    repositoriesCheckedAt: null,
  };
  return outcomeOf(applyCheck(unknown, result, now), result, requirements, now);
}
