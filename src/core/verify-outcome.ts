/**
 * What one verification means: how a record changes and what is reported.
 * Pure: the API call, the keychain and the index are elsewhere.
 */
import { isExpired, type TokenRecord, type TokenStatus, type TokenType } from "./record.js";
import { missingScopes } from "./scopes.js";
import { counted, plural } from "./plural.js";
import { calendarDaysUntil, localDay } from "./days.js";

const DAY_MS = 86_400_000;

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  /** ISO 8601 time at which the window resets. */
  resetAt: string | null;
}

/** What a successful `GET /user` says about a token. */
export interface TokenFacts {
  login: string;
  scopes: string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
  rateLimit: RateLimitInfo;
  /** Set when GitHub answered but asks for SAML SSO authorisation (`X-GitHub-SSO: required; url=`). */
  ssoUrl?: string | null | undefined;
  /** The private repositories `GET /user/repos` listed (fine-grained tokens); undefined: not asked. */
  repositories?: string[] | undefined;
  /** What `GET /repos/OWNER/REPO` answered for each repository `--require-repo` named. */
  repositoryAccess?: Readonly<Record<string, number>> | undefined;
}

interface Failure {
  message: string;
  hint?: string | undefined;
  rateLimit?: RateLimitInfo | null | undefined;
}

/** What asking the API about one token came to. */
export type CheckResult =
  | { kind: "ok"; facts: TokenFacts }
  /** 401: revoked, expired or wrong. */
  | ({ kind: "rejected" } & Failure)
  /** 403 with X-GitHub-SSO: the token works but must be authorised for an organisation. */
  | ({ kind: "sso-required"; url: string | null } & Failure)
  /** Any other 403 that is not a rate limit: the token authenticated but may not read /user. */
  | ({ kind: "forbidden" } & Failure)
  /** No usable answer: timeout, connection failure, rate limit, 5xx, unreadable body. Never a verdict on the token. */
  | ({ kind: "unreachable"; rateLimited: boolean; noAnswer?: boolean | undefined } & Failure)
  /** The record's secret is not in the store. */
  | ({ kind: "no-secret" } & Failure);

export interface Requirements {
  requireScopes: readonly string[];
  /** Fail when the token expires within this many days; null: no such check. */
  minDays: number | null;
  /** `owner/name` of repositories the token must reach (`GET /repos/OWNER/REPO` answers 200). */
  requireRepos?: readonly string[] | undefined;
}

export const NO_REQUIREMENTS: Requirements = { requireScopes: [], minDays: null, requireRepos: [] };

/** The fields a verification may change. */
export type VerifiedFields = Pick<
  TokenRecord,
  | "login"
  | "scopes"
  | "expiresAt"
  | "expiryKnown"
  | "status"
  | "lastVerifiedAt"
  | "sso"
  | "repositories"
  | "repositoriesCheckedAt"
>;

/**
 * What GitHub said about SAML SSO, kept once seen: an SSO-enforcing
 * organisation asks it of every successor too (rotate reminds of it). An
 * answer without the header leaves it: an authorised token no longer gets one.
 */
function withSso<T extends VerifiedFields>(record: T, url: string | null | undefined): T {
  if (url === undefined || (url === null && record.sso !== undefined)) return record;
  if (record.sso?.url === url) return record;
  return { ...record, sso: { url } };
}

/**
 * The record after a check. Only an answer from GitHub about the token
 * changes it: a network failure, a rate limit or a server error leaves it
 * exactly as it was (a token is never marked revoked because GitHub could
 * not be reached).
 */
export function applyCheck<T extends VerifiedFields>(record: T, result: CheckResult, now: Date): T {
  const at = now.toISOString();
  switch (result.kind) {
    case "ok": {
      const { facts } = result;
      // The fine-grained "expiry = now" quirk yields an unknown expiry; it must not erase one learnt before.
      const expiry =
        facts.expiryKnown || !record.expiryKnown
          ? { expiresAt: facts.expiresAt, expiryKnown: facts.expiryKnown }
          : { expiresAt: record.expiresAt, expiryKnown: record.expiryKnown };
      const reach =
        facts.repositories === undefined ? {} : { repositories: facts.repositories, repositoriesCheckedAt: at };
      return withSso(
        {
          ...record,
          login: facts.login,
          scopes: facts.scopes,
          ...expiry,
          ...reach,
          status: "valid",
          lastVerifiedAt: at,
        },
        facts.ssoUrl ?? undefined,
      );
    }
    case "rejected":
      return {
        ...record,
        status: record.expiryKnown && isExpired(record, now) ? "expired" : "revoked",
        lastVerifiedAt: at,
      };
    case "sso-required":
      return withSso(record, result.url);
    default:
      return record;
  }
}

/** Local calendar days to the expiry (core/days.ts), or null for none. */
export function daysUntil(expiresAt: string | null, now: Date): number | null {
  return expiresAt === null ? null : calendarDaysUntil(expiresAt, now);
}

/** Why a token that GitHub accepted still fails the run's requirements; empty when it passes. */
export function requirementProblems(
  facts: Pick<TokenFacts, "scopes" | "expiresAt" | "expiryKnown" | "repositoryAccess">,
  requirements: Requirements,
  now: Date,
): string[] {
  const problems: string[] = [];
  for (const repo of requirements.requireRepos ?? []) {
    const status = facts.repositoryAccess?.[repo];
    if (status === undefined) problems.push(`${repo} was not checked, so --require-repo ${repo} cannot be confirmed`);
    else if (status !== 200) problems.push(`does not reach ${repo} (GET /repos/${repo} answered ${status})`);
  }
  const required = requirements.requireScopes;
  if (required.length > 0) {
    if (facts.scopes === null) {
      problems.push(
        `scopes unknown: GitHub does not report scopes for this token (fine-grained tokens have per-repository permissions instead), so --require-scopes ${required.join(",")} cannot be confirmed`,
      );
    } else {
      const missing = missingScopes(facts.scopes, required);
      if (missing.length > 0) {
        problems.push(
          `missing ${plural(missing.length, "scope")} ${missing.join(", ")} (it has ${facts.scopes.length === 0 ? "no scopes" : facts.scopes.join(", ")})`,
        );
      }
    }
  }
  const minDays = requirements.minDays;
  if (minDays !== null) {
    if (!facts.expiryKnown) {
      problems.push(
        `expiry unknown: GitHub did not report a usable expiry, so --min-days ${minDays} cannot be confirmed`,
      );
    } else if (facts.expiresAt !== null && Date.parse(facts.expiresAt) - now.getTime() < minDays * DAY_MS) {
      const days = daysUntil(facts.expiresAt, now) ?? 0;
      problems.push(
        `expires ${localDay(facts.expiresAt)} (${days <= 0 ? "today" : `in ${counted(days, "day")}`}), within --min-days ${minDays}`,
      );
    }
  }
  return problems;
}

/** One token's line in the report: the `--json` fields plus what the command needs to decide its exit code. */
export interface VerifyOutcome {
  name: string | null;
  host: string;
  ok: boolean;
  status: TokenStatus;
  login: string | null;
  type: TokenType;
  scopes: string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
  daysLeft: number | null;
  sso: { required: true; url: string | null } | null;
  rateLimit: RateLimitInfo | null;
  error: string | null;
  hint: string | null;
  /** `bad`: GitHub answered and the token fails (exit 1); `unreachable`: no verdict (exit 5). */
  failure: "bad" | "unreachable" | null;
}

export interface OutcomeSubject extends VerifiedFields {
  name: string | null;
  host: string;
  type: TokenType;
}

/** The report line for `subject` (already updated with applyCheck) after `result`. */
export function outcomeOf(
  subject: OutcomeSubject,
  result: CheckResult,
  requirements: Requirements,
  now: Date,
): VerifyOutcome {
  const base = {
    name: subject.name,
    host: subject.host,
    status: subject.status,
    login: subject.login,
    type: subject.type,
    scopes: subject.scopes,
    expiresAt: subject.expiresAt,
    expiryKnown: subject.expiryKnown,
    daysLeft: daysUntil(subject.expiresAt, now),
  };
  if (result.kind === "ok") {
    const problems = requirementProblems(
      { ...subject, repositoryAccess: result.facts.repositoryAccess },
      requirements,
      now,
    );
    const ssoUrl = result.facts.ssoUrl ?? null;
    return {
      ...base,
      ok: problems.length === 0,
      sso: ssoUrl === null ? null : { required: true, url: ssoUrl },
      rateLimit: result.facts.rateLimit,
      error: problems.length === 0 ? null : capitalize(problems.join("; ")),
      hint:
        problems.length === 0
          ? null
          : problems.some((p) => p.startsWith("does not reach"))
            ? "Give the token access to the repository on GitHub (a fine-grained token's page lets you add repositories), or use a token that has it."
            : "Create a token that meets the requirement and replace this one ('ghpat rotate').",
      failure: problems.length === 0 ? null : "bad",
    };
  }
  const expiredOn =
    result.kind === "rejected" && subject.status === "expired" && subject.expiresAt !== null
      ? localDay(subject.expiresAt)
      : null;
  return {
    ...base,
    ok: false,
    sso: result.kind === "sso-required" ? { required: true, url: result.url } : null,
    rateLimit: result.rateLimit ?? null,
    error: expiredOn === null ? result.message : `GitHub rejected the token (401): it expired on ${expiredOn}.`,
    hint: result.hint ?? null,
    failure: result.kind === "unreachable" ? "unreachable" : "bad",
  };
}

/** The `--json` element: exactly the documented fields, in order. */
export function outcomeJson(outcome: VerifyOutcome): Record<string, unknown> {
  return {
    name: outcome.name,
    host: outcome.host,
    ok: outcome.ok,
    status: outcome.status,
    login: outcome.login,
    type: outcome.type,
    scopes: outcome.scopes,
    expiresAt: outcome.expiresAt,
    expiryKnown: outcome.expiryKnown,
    daysLeft: outcome.daysLeft,
    sso: outcome.sso,
    rateLimit: outcome.rateLimit,
    error: outcome.error,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
