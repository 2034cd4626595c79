/**
 * The links to GitHub's token creation pages, filled in with what the user
 * asked for (`ghpat new`, `ghpat rotate`).
 *
 * - Classic: `/settings/tokens/new?scopes=repo,read:org&description=NAME`,
 *   undocumented and long-lived.
 * - Fine-grained, on github.com and `*.ghe.com`:
 *   `/settings/personal-access-tokens/new?name=&description=&target_name=&expires_in=&<permission>=<level>`.
 *   There is no parameter for the repositories: they are picked on the page.
 * - GitHub Enterprise Server has the fine-grained page but fills nothing in,
 *   so the plain page comes with a checklist of what to pick on it.
 */
import { UsageError } from "../errors.js";
import { PERMISSIONS, type Permissions } from "./permissions.js";
import { missingScopes } from "./scopes.js";

export const MAX_EXPIRES_IN_DAYS = 366;
export const DEFAULT_EXPIRES_IN_DAYS = 30;
const MAX_NAME = 40;
const MAX_DESCRIPTION = 1024;
const DAY_MS = 86_400_000;

/** Days until the token expires, or `none`. */
export type ExpiresIn = number | "none";

/** `--expires-in 30`, `--expires-in none`: 1 to 366 days, or none. */
export function parseExpiresIn(text: string): ExpiresIn {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "none") return "none";
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isInteger(days) || days < 1 || days > MAX_EXPIRES_IN_DAYS) {
    throw new UsageError(
      `--expires-in must be a whole number of days from 1 to ${MAX_EXPIRES_IN_DAYS}, or none; '${text}' is neither.`,
      `GitHub's creation page offers 1 to ${MAX_EXPIRES_IN_DAYS} days. The default is ${DEFAULT_EXPIRES_IN_DAYS}.`,
    );
  }
  return days;
}

/** github.com and GitHub Enterprise Cloud with data residency (`*.ghe.com`) fill the fine-grained page in; Enterprise Server does not. */
export function hasFineGrainedPrefill(host: string): boolean {
  return host === "github.com" || host.endsWith(".ghe.com");
}

export interface FineGrainedRequest {
  host: string;
  /** The token's name on GitHub (cut to GitHub's 40 characters). */
  name: string;
  description: string | null;
  /** The resource owner, a user or an organisation; null: the user. */
  owner: string | null;
  /** null: leave the page's default (a successor of a token whose expiry is unknown). */
  expiresIn: ExpiresIn | null;
  permissions: Readonly<Permissions>;
}

export interface ClassicRequest {
  host: string;
  /** The note the page shows (GitHub's `description`). */
  name: string;
  scopes: readonly string[];
}

/** Commas and colons as GitHub's own links have them (`scopes=repo,read:org`). */
function query(params: URLSearchParams): string {
  return params.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
}

export function classicLink(request: ClassicRequest): string {
  const params = new URLSearchParams();
  if (request.scopes.length > 0) params.set("scopes", request.scopes.join(","));
  params.set("description", request.name);
  return `https://${request.host}/settings/tokens/new?${query(params)}`;
}

export function fineGrainedPage(host: string): string {
  return `https://${host}/settings/personal-access-tokens/new`;
}

/** The prefilled fine-grained page; on a host without prefill, the plain page (see fineGrainedChecklist). */
export function fineGrainedLink(request: FineGrainedRequest): string {
  const page = fineGrainedPage(request.host);
  if (!hasFineGrainedPrefill(request.host)) return page;
  const params = new URLSearchParams();
  params.set("name", [...request.name].slice(0, MAX_NAME).join(""));
  if (request.description !== null && request.description !== "")
    params.set("description", [...request.description].slice(0, MAX_DESCRIPTION).join(""));
  if (request.owner !== null) params.set("target_name", request.owner);
  if (request.expiresIn !== null) params.set("expires_in", String(request.expiresIn));
  for (const [name, level] of Object.entries(request.permissions)) if (PERMISSIONS.has(name)) params.set(name, level);
  return `${page}?${query(params)}`;
}

/** What to pick on a page that fills nothing in, one step a line. */
export function fineGrainedChecklist(request: FineGrainedRequest): string[] {
  const permissions = Object.entries(request.permissions).map(([name, level]) => {
    const info = PERMISSIONS.get(name);
    return `${info ? `${info.label} (${info.group})` : name}: ${level === "read" ? "Read-only" : level === "write" ? "Read and write" : "Admin"}`;
  });
  return [
    `Token name: ${request.name}`,
    ...(request.description ? [`Description: ${request.description}`] : []),
    `Resource owner: ${request.owner ?? "your own account"}`,
    ...(request.expiresIn === null
      ? []
      : [`Expiration: ${request.expiresIn === "none" ? "No expiration" : `${request.expiresIn} days`}`]),
    "Repository access: only the repositories the token needs",
    ...(permissions.length === 0
      ? ["Permissions: none beyond the metadata GitHub always grants"]
      : permissions.map((p) => `Permission ${p}`)),
  ];
}

/**
 * A token's lifetime in whole days, for its successor's `expires_in`: from
 * when it was added to when it expires, within 1 to 366; `none` for a token
 * that never expires; null when its expiry is unknown.
 */
export function lifetimeOf(record: {
  addedAt: string;
  expiresAt: string | null;
  expiryKnown: boolean;
}): ExpiresIn | null {
  if (!record.expiryKnown) return null;
  if (record.expiresAt === null) return "none";
  const days = Math.round((Date.parse(record.expiresAt) - Date.parse(record.addedAt)) / DAY_MS);
  if (!Number.isFinite(days)) return null;
  return Math.min(MAX_EXPIRES_IN_DAYS, Math.max(1, days));
}

/** What was asked of the token being made, to compare it with what GitHub says it is. */
export interface CreationRequest {
  kind: "classic" | "fine-grained";
  /** Classic scopes asked for. */
  scopes: readonly string[];
  expiresIn: ExpiresIn;
}

export interface MadeToken {
  type: string;
  scopes: readonly string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
}

/**
 * How the token given differs from the one asked for: another type, a
 * classic token without a requested scope, or an expiry later than asked
 * (a day's slack, for the page's rounding and the time between link and
 * paste). `warnings` are what cannot be checked.
 */
export function creationMismatches(
  request: CreationRequest,
  made: MadeToken,
  now: Date,
): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (made.type !== request.kind) {
    const article = /^[aeiou]/.test(made.type) ? "an" : "a";
    problems.push(
      `This is ${made.type === "unknown" ? "a token of an unknown type" : `${article} ${made.type} token`}, not the ${request.kind} personal access token asked for.`,
    );
  } else if (request.kind === "classic" && request.scopes.length > 0) {
    const missing = missingScopes(made.scopes ?? [], request.scopes);
    if (missing.length > 0)
      problems.push(
        `It lacks the ${missing.length === 1 ? "scope" : "scopes"} ${missing.join(", ")} (it has ${made.scopes === null || made.scopes.length === 0 ? "no scopes" : made.scopes.join(", ")}).`,
      );
  }
  if (request.expiresIn !== "none") {
    const latest = now.getTime() + (request.expiresIn + 1) * DAY_MS;
    if (!made.expiryKnown)
      warnings.push(
        `GitHub did not report a usable expiry, so ghpat cannot confirm the ${request.expiresIn} days asked for.`,
      );
    else if (made.expiresAt === null) problems.push(`It never expires, but ${request.expiresIn} days were asked for.`);
    else if (Date.parse(made.expiresAt) > latest)
      problems.push(`It expires ${made.expiresAt.slice(0, 10)}, later than the ${request.expiresIn} days asked for.`);
  }
  return { problems, warnings };
}
