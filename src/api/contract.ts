/**
 * The library's public surface, declared without its implementation so that
 * its bundled type declarations (dist/api.d.ts) are generated from this file
 * alone, in a fraction of the time a full compile takes. src/api.ts
 * implements every function against these declarations, so tsc catches any
 * drift between the two.
 */
import type { Env } from "../config.js";
import type { TokenRecord, TokenType } from "../core/record.js";
import type { RateLimit } from "../github/token-info.js";

export {
  ExitCode,
  GhpatError,
  UsageError,
  CheckFailedError,
  NotFoundError,
  StoreUnavailableError,
  NetworkError,
  InterruptedError,
  CorruptIndexError,
  isGhpatError,
} from "../errors.js";
export { TokenRejectedError, SsoRequiredError, TokenForbiddenError } from "../github/api-errors.js";
export { UnsafePermissionsError } from "../storage/file-safety.js";
export type { Env } from "../config.js";
export type { TokenRecord, TokenType, TokenStatus } from "../core/record.js";
export type { Permissions, PermissionLevel } from "../core/permissions.js";
export type { RateLimit } from "../github/token-info.js";

export interface ApiOptions {
  /** Where GHPAT_*, GH_HOST and the GH_TOKEN family are read from. Default: `process.env`. */
  env?: Env | undefined;
}

export interface ListTokensOptions extends ApiOptions {
  /** Only tokens for this host. */
  host?: string | undefined;
}

export interface GetTokenOptions extends ApiOptions {
  /** A stored token's name. Without it: the host's default token. */
  name?: string | undefined;
  /** Default: GH_HOST, else github.com. Ignored when `name` is given. */
  host?: string | undefined;
}

export interface VerifyTokenOptions extends ApiOptions {
  /** Default: GH_HOST, else github.com. */
  host?: string | undefined;
  /** Per request; default 10 000. */
  timeoutMs?: number | undefined;
  /** Ask the API even when the offline format check fails (a checksum mismatch, an unknown prefix). */
  force?: boolean | undefined;
}

/** What the GitHub API said about a token. */
export interface TokenVerification {
  host: string;
  login: string;
  type: TokenType;
  /** `ghp_…T4V4`: safe to log. */
  fingerprint: string;
  /** Classic scopes; null when the API does not report them (fine-grained tokens). */
  scopes: string[] | null;
  /** ISO 8601; null when it never expires or the expiry is unknown (see `expiryKnown`). */
  expiresAt: string | null;
  expiryKnown: boolean;
  rateLimit: RateLimit;
}

/**
 * The stored tokens' metadata, as `ghpat list --json` prints it, sorted by
 * host and name. Reads the index only: no keychain access, no secret.
 */
export declare function listTokens(options?: ListTokensOptions): Promise<TokenRecord[]>;

/**
 * A token's secret, as `ghpat token` prints it: the named token, else the
 * host's default (or its only token), else GH_TOKEN / GITHUB_TOKEN
 * (GH_ENTERPRISE_TOKEN / GITHUB_ENTERPRISE_TOKEN off github.com).
 *
 * Throws NotFoundError (code `ENOTFOUND`) when there is none,
 * StoreUnavailableError (`ESTORE`) when the keychain cannot be read, and
 * UsageError (`EUSAGE`) for a name that looks like a token.
 */
export declare function getToken(nameOrOptions?: string | GetTokenOptions): Promise<string>;

/**
 * Asks the GitHub API (`GET /user`) about a token that need not be stored:
 * whose it is, its scopes, its expiry and the rate limit left. The token is
 * checked offline first and sent to that API only.
 *
 * Throws UsageError (`EUSAGE`) for a malformed token, TokenRejectedError
 * (`EREJECTED`) when GitHub refuses it, SsoRequiredError (`ESSO`, with
 * `url`), and NetworkError (`ENETWORK`) when the API cannot be reached or
 * the rate limit is exhausted.
 */
export declare function verifyToken(token: string, options?: VerifyTokenOptions): Promise<TokenVerification>;
