import { resolveHost } from "../../config.js";
import { CheckFailedError, NetworkError, NotFoundError, UsageError } from "../../errors.js";
import { isValidRepository, type TokenRecord } from "../../core/record.js";
import { isKnownScope, parseScopeList } from "../../core/scopes.js";
import { checkTokenFormat } from "../../core/token-format.js";
import { outcomeJson, type Requirements, type VerifyOutcome } from "../../core/verify-outcome.js";
import { openVault } from "../../storage/open.js";
import { renderTable } from "../../ui/table.js";
import { createProgress } from "../../ui/progress.js";
import { readToken } from "../shared/read-token.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { Context } from "../shared/context.js";
import { describeAccess, describeExpiry } from "../shared/describe.js";
import { DEFAULT_CONCURRENCY, verifyRecords, verifySecret } from "../shared/verify-records.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { verifySpec } from "./spec.js";

export { verifyRecords, verifySecret, type VerifyRunOptions } from "../shared/verify-records.js";

const MAX_CONCURRENCY = 64;

export type VerifyOptions = OptionsOf<typeof verifySpec>;

function requirementsOf(options: VerifyOptions, ctx: Context): Requirements {
  let requireScopes: string[] = [];
  if (options.requireScopes !== undefined) {
    requireScopes = parseScopeList(options.requireScopes);
    if (requireScopes.length === 0)
      throw new UsageError(
        "--require-scopes needs at least one scope.",
        "Give a comma-separated list, e.g. --require-scopes repo,read:org.",
      );
    for (const scope of requireScopes) {
      if (!isKnownScope(scope))
        ctx.out.warn(`'${scope}' is not a scope GitHub documents; a token passes only if it lists exactly that scope.`);
    }
  }
  for (const repo of options.requireRepo) {
    if (!isValidRepository(repo))
      throw new UsageError(
        `'${repo}' is not a repository: give OWNER/REPO, e.g. --require-repo acme/api.`,
        "Give the owner and the repository name, as in its URL.",
      );
  }
  return { requireScopes, minDays: options.minDays ?? null, requireRepos: [...new Set(options.requireRepo)] };
}

/** All of them (in the index's (host, name) order) when no names are given, else the named ones in the order given. */
function selectRecords(all: TokenRecord[], names: string[], host: string | undefined): TokenRecord[] {
  if (names.length === 0) {
    return all.filter((t) => host === undefined || t.host === host);
  }
  return [...new Set(names)].map((name) => {
    const record = all.find((t) => t.name === name && (host === undefined || t.host === host));
    if (!record) {
      throw new NotFoundError(
        `No token named '${name}'${host === undefined ? "" : ` for ${host}`}.`,
        `Run 'ghpat list${host === undefined ? "" : ` --host ${host}`}' to see the stored names.`,
      );
    }
    return record;
  });
}

/** `verify --stdin`: one token, never stored, no keychain needed. */
async function verifyFromStdin(
  options: VerifyOptions,
  requirements: Requirements,
  ctx: Context,
): Promise<VerifyOutcome> {
  if (options.names.length > 0)
    throw new UsageError(
      "--stdin verifies the one token on standard input; it takes no names.",
      "Drop the names, or drop --stdin to verify stored tokens.",
    );
  const host = resolveHost(options.host, ctx.env);
  const token = await readToken(true, ctx, `GitHub token to verify for ${host}:`, "ghpat verify");
  const format = checkTokenFormat(token);
  for (const problem of format.problems) {
    if (problem.severity === "warning") ctx.out.warn(problem.message);
    // Never send GitHub something that is not a GitHub token (it may be another service's secret).
    else
      throw new UsageError(
        `The token on standard input is malformed: ${problem.message} Nothing was sent to GitHub.`,
        "Pipe exactly one GitHub token, e.g. 'printf %s \"$TOKEN\" | ghpat verify --stdin'.",
      );
  }
  return verifySecret(token, { host, type: format.type }, { timeoutMs: options.timeoutMs, requirements }, ctx);
}

export async function runVerify(options: VerifyOptions, ctx: Context): Promise<VerifyOutcome[]> {
  for (const name of options.names) refuseTokenArgument(name);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(
      `--concurrency must be between 1 and ${MAX_CONCURRENCY}.`,
      `The default is ${DEFAULT_CONCURRENCY}.`,
    );
  }
  const requirements = requirementsOf(options, ctx);

  let outcomes: VerifyOutcome[];
  let declared: ReadonlyMap<string, TokenRecord> = new Map();
  if (options.stdin) {
    outcomes = [await verifyFromStdin(options, requirements, ctx)];
  } else {
    const host = options.host === undefined ? undefined : resolveHost(options.host, ctx.env);
    const vault = openVault(ctx.env);
    const records = selectRecords(await vault.records(), options.names, host);
    declared = new Map(records.map((r) => [r.name, r]));
    if (records.length === 0) {
      if (options.json) ctx.out.json([]);
      else
        ctx.out.info(
          host
            ? `No tokens stored for ${host}. Add one with 'ghpat add --host ${host}'.`
            : "No tokens stored. Add one with 'ghpat add'.",
        );
      return [];
    }
    const progress = createProgress(process.stderr, "Verifying");
    progress.update(0, records.length);
    try {
      outcomes = await verifyRecords(
        vault,
        records,
        {
          concurrency,
          timeoutMs: options.timeoutMs,
          requirements,
          onProgress: (done, total) => progress.update(done, total),
        },
        ctx,
      );
    } finally {
      progress.finish();
    }
  }

  report(outcomes, declared, options.json, ctx);
  throwForFailures(outcomes);
  return outcomes;
}

/**
 * The table, or the JSON of the outcomes. A fine-grained token has no
 * scopes to show: its row says what the record declares instead (the
 * permissions asked for when it was made, and its owner), as list does.
 */
function report(
  outcomes: VerifyOutcome[],
  declared: ReadonlyMap<string, TokenRecord>,
  json: boolean,
  ctx: Context,
): void {
  if (json) {
    ctx.out.json(outcomes.map(outcomeJson));
    return;
  }
  const now = ctx.now();
  const rows = outcomes.map((o) => [
    o.name ?? "(stdin)",
    o.host,
    o.login ?? "-",
    o.status,
    describeAccess({
      scopes: o.scopes,
      permissions: (o.name === null ? undefined : declared.get(o.name)?.permissions) ?? null,
      owner: (o.name === null ? undefined : declared.get(o.name)?.owner) ?? null,
      repositories: null,
    }),
    describeExpiry(o, now),
    o.ok
      ? o.sso
        ? `ok; SSO authorisation needed${o.sso.url ? ` at ${o.sso.url}` : ""}`
        : "ok"
      : (o.error ?? "failed"),
  ]);
  const statusColor = {
    valid: "green",
    unverified: "yellow",
    revoked: "red",
    expired: "red",
    rejected: "red",
  } as const;
  ctx.out.data(
    // On a terminal, LOGIN, SCOPES, EXPIRY (never below its date) and RESULT are cut to fit it (ui/table.ts).
    renderTable(
      [
        { title: "NAME" },
        { title: "HOST" },
        { title: "LOGIN", truncate: true },
        { title: "STATUS" },
        { title: "SCOPES", truncate: true },
        { title: "EXPIRY", truncate: "expires 2027-01-01…".length },
        { title: "RESULT", truncate: 12 },
      ],
      rows,
      {
        maxWidth: ctx.out.columns,
        paint: (row, col, text) => {
          const outcome = outcomes[row];
          if (!outcome) return text;
          if (col === 3) return ctx.out.paint(statusColor[outcome.status], text);
          if (col === 6)
            return ctx.out.paint(outcome.ok ? "green" : outcome.failure === "unreachable" ? "yellow" : "red", text);
          return text;
        },
      },
    ),
  );
}

/** Exit 1 when any token is bad; otherwise 5 when any could not be checked; otherwise 0. */
function throwForFailures(outcomes: VerifyOutcome[]): void {
  const bad = outcomes.filter((o) => o.failure === "bad");
  const unreachable = outcomes.filter((o) => o.failure === "unreachable");
  const label = (o: VerifyOutcome) => o.name ?? "the token";
  if (bad.length > 0) {
    const [only] = bad;
    if (outcomes.length === 1 && only)
      throw new CheckFailedError(only.error ?? "The token failed verification.", only.hint ?? undefined);
    throw new CheckFailedError(
      `${bad.length} of ${outcomes.length} tokens failed verification: ${bad.map(label).join(", ")}.${unreachable.length > 0 ? ` ${unreachable.length} more could not be checked.` : ""}`,
      "The RESULT column (or 'error' in --json) says why for each.",
    );
  }
  const [first] = unreachable;
  if (first) {
    if (outcomes.length === 1)
      throw new NetworkError(first.error ?? "The GitHub API could not be reached.", first.hint ?? undefined);
    throw new NetworkError(
      `Could not check ${unreachable.length} of ${outcomes.length} tokens (${unreachable.map(label).join(", ")}): ${first.error ?? "no answer"}`,
      first.hint ?? undefined,
    );
  }
}

export const run: RunFunction<typeof verifySpec> = runVerify;
