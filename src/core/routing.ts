/**
 * Which token answers a credential request (docs/design.md section 4). Pure: the
 * caller gives the records, the environment and the time.
 */
import type { Env } from "../config.js";
import { asciiLower } from "./ascii.js";
import { envToken } from "./env-token.js";
import { compareCodeUnits, currentStatus, type TokenRecord } from "./record.js";

export interface CredentialRequest {
  protocol?: string | undefined;
  host?: string | undefined;
  path?: string | undefined;
  username?: string | undefined;
}

export type Route =
  | { kind: "stored"; record: TokenRecord; username: string; via: "match" | "default" | "only" }
  | { kind: "env"; token: string; variable: string; username: string }
  | { kind: "none"; reason: string };

/** The username git gets with a token whose login is unknown; GitHub accepts any. */
export const ANONYMOUS_USERNAME = "x-access-token";

/** Exact equality ignoring ASCII case; the port is part of the host. No suffix, prefix or URL parsing. */
export function sameHost(requested: string, stored: string): boolean {
  return requested !== "" && asciiLower(requested) === asciiLower(stored);
}

export function answerUsername(record: Pick<TokenRecord, "login">): string {
  return record.login ?? ANONYMOUS_USERNAME;
}

/** The tokens of the request's host, or null when the request is not one ghpat answers at all. */
export function recordsForRequest(request: CredentialRequest, records: readonly TokenRecord[]): TokenRecord[] | null {
  if (request.protocol !== "https") return null;
  const host = request.host;
  if (host === undefined || host === "") return null;
  return records.filter((t) => sameHost(host, t.host));
}

/** Tokens git may be given: not expired, revoked or rejected. */
export function isUsable(record: TokenRecord, now: Date): boolean {
  const status = currentStatus(record, now);
  return status === "valid" || status === "unverified";
}

export interface RepoPath {
  owner: string;
  /** Without `.git`; null for a path naming only an owner. */
  repo: string | null;
}

/**
 * git's `path` (sent with credential.useHttpPath) is `owner/repo.git`, and
 * for git-lfs `owner/repo.git/info/lfs`: the first two segments name the
 * repository. A path with `.` or `..` segments names none: git passes
 * `acme/%2e%2e/evil/x.git` on as `acme/../evil/x.git`, which the server may
 * resolve to evil/x, so it must not pick acme's token.
 */
export function parseRepoPath(path: string): RepoPath | null {
  const segments = path.split("/");
  if (segments.some((segment) => segment === "." || segment === "..")) return null;
  const owner = segments[0];
  if (owner === undefined || owner === "") return null;
  const repo = segments[1];
  if (repo === undefined || repo === "") return { owner, repo: null };
  return { owner, repo: stripGit(repo) };
}

function stripGit(name: string): string {
  return asciiLower(name).endsWith(".git") ? name.slice(0, -4) : name;
}

/**
 * How specifically a `--match` pattern names the repository: 3 for
 * `owner/repo[.git]`, 2 for `owner/*`, 1 for `owner`, 0 for no match.
 * Owners and repositories are compared ignoring ASCII case, as GitHub does.
 */
export function matchSpecificity(pattern: string, target: RepoPath): 0 | 1 | 2 | 3 {
  const slash = pattern.indexOf("/");
  const owner = slash === -1 ? pattern : pattern.slice(0, slash);
  if (asciiLower(owner) !== asciiLower(target.owner)) return 0;
  if (slash === -1) return 1;
  const repo = pattern.slice(slash + 1);
  if (repo === "*") return 2;
  return target.repo !== null && asciiLower(stripGit(repo)) === asciiLower(target.repo) ? 3 : 0;
}

/** The record's `--match` pattern that names the path most specifically (the one routeCredential chose it by), or null. */
export function bestPattern(record: Pick<TokenRecord, "match">, path: string | undefined): string | null {
  const target = path ? parseRepoPath(path) : null;
  if (target === null) return null;
  let best: string | null = null;
  let score = 0;
  for (const pattern of record.match) {
    const s = matchSpecificity(pattern, target);
    if (s > score) {
      score = s;
      best = pattern;
    }
  }
  return best;
}

/** Among equally good tokens: the host's default, else the first by name, so the answer never depends on file order. */
function pick(records: TokenRecord[]): TokenRecord | undefined {
  return records.find((t) => t.default) ?? [...records].sort((a, b) => compareCodeUnits(a.name, b.name))[0];
}

function byPath(candidates: TokenRecord[], path: string | undefined): TokenRecord | undefined {
  if (path === undefined || path === "") return undefined;
  const target = parseRepoPath(path);
  if (target === null) return undefined;
  let best = 0;
  let winners: TokenRecord[] = [];
  for (const record of candidates) {
    const score = Math.max(0, ...record.match.map((p) => matchSpecificity(p, target)));
    if (score === 0 || score < best) continue;
    if (score > best) {
      best = score;
      winners = [];
    }
    winners.push(record);
  }
  return pick(winners);
}

export function routeCredential(
  request: CredentialRequest,
  records: readonly TokenRecord[],
  options: { env: Env; now: Date },
): Route {
  const mine = recordsForRequest(request, records);
  if (mine === null) return { kind: "none", reason: "not an https request with a host" };
  const host = request.host as string;
  const username = request.username === "" ? undefined : request.username;

  const candidates = mine.filter(
    (t) =>
      isUsable(t, options.now) && (username === undefined || asciiLower(username) === asciiLower(answerUsername(t))),
  );
  const matched = byPath(candidates, request.path);
  if (matched) return { kind: "stored", record: matched, username: answerUsername(matched), via: "match" };
  const fallback = candidates.find((t) => t.default);
  if (fallback) return { kind: "stored", record: fallback, username: answerUsername(fallback), via: "default" };
  const [only] = candidates;
  if (only && candidates.length === 1)
    return { kind: "stored", record: only, username: answerUsername(only), via: "only" };

  // An environment token's login is unknown: it only answers requests that name no user (or x-access-token).
  const anyUser = username === undefined || username === ANONYMOUS_USERNAME;
  if (anyUser) {
    const fromEnv = envToken(
      host,
      records.map((t) => t.host),
      options.env,
    );
    if (fromEnv) return { kind: "env", token: fromEnv.token, variable: fromEnv.variable, username: ANONYMOUS_USERNAME };
  }
  return { kind: "none", reason: mine.length === 0 ? "no token for this host" : "no usable token matches" };
}
