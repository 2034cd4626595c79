import { ExitCode, GhpatError, NetworkError } from "../errors.js";
import type { CheckResult } from "../core/verify-outcome.js";
import { errorCodes, parseRetryAfter } from "./retry.js";
import { readRateLimit, readSsoUrl, type RateLimit } from "./token-info.js";

type Headers = Record<string, string | number | undefined>;

/** The token was refused with 401: revoked, expired or wrong. */
export class TokenRejectedError extends GhpatError {
  override name = "TokenRejectedError";
  constructor(
    message: string,
    hint?: string,
    readonly rateLimit: RateLimit | null = null,
  ) {
    super(message, { exitCode: ExitCode.checkFailed, code: "EREJECTED", hint });
  }
}

/** The token is valid but must be authorised for an organisation's SAML SSO. */
export class SsoRequiredError extends GhpatError {
  override name = "SsoRequiredError";
  constructor(
    readonly url: string | null,
    readonly rateLimit: RateLimit | null = null,
  ) {
    super(`GitHub requires SAML single sign-on authorisation for this token${url ? `: authorise it at ${url}` : ""}.`, {
      exitCode: ExitCode.checkFailed,
      code: "ESSO",
      hint: url
        ? `Open ${url} while signed in to GitHub and authorise the token for the organisation.`
        : "Authorise it for the organisation under https://github.com/settings/tokens (Configure SSO).",
    });
  }
}

/** A 403 that is neither a rate limit nor SSO: the token authenticated but may not read its own user. */
export class TokenForbiddenError extends GhpatError {
  override name = "TokenForbiddenError";
  constructor(
    message: string,
    hint: string,
    readonly rateLimit: RateLimit | null = null,
  ) {
    super(message, { exitCode: ExitCode.checkFailed, code: "EFORBIDDEN", hint });
  }
}

/** Exit 5 with the time the limit resets. */
export class RateLimitedError extends NetworkError {
  override name = "RateLimitedError";
  constructor(
    message: string,
    hint: string,
    readonly resetAt: string | null,
    readonly rateLimit: RateLimit | null,
  ) {
    super(message, hint);
  }
}

/** No answer at all: timeout, refused or reset connection, DNS, TLS, proxy. */
export class ApiUnreachableError extends NetworkError {
  override name = "ApiUnreachableError";
}

export class ApiTimeoutError extends ApiUnreachableError {
  override name = "ApiTimeoutError";
}

/** An answer ghpat cannot use: 5xx, an unexpected status, a redirect, a body that is not GitHub's JSON. */
export class ApiAnswerError extends NetworkError {
  override name = "ApiAnswerError";
  constructor(
    message: string,
    hint: string,
    readonly rateLimit: RateLimit | null = null,
  ) {
    super(message, hint);
  }
}

export interface ApiContext {
  /** Where the request went, e.g. https://api.github.com (never holds a secret); else the host is named. */
  baseUrl?: string | undefined;
  host?: string | undefined;
  timeoutMs: number;
}

function where(context: ApiContext): string {
  return context.baseUrl ? `at ${context.baseUrl}` : `for ${context.host ?? "this host"}`;
}

interface OctokitLikeError {
  status?: number;
  response?: { headers?: Headers };
}

const CONNECTION_HINT =
  "Check your connection and proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); GHPAT_API_URL overrides the API address.";

export function timeoutError(context: ApiContext): ApiTimeoutError {
  const seconds = context.timeoutMs / 1000;
  return new ApiTimeoutError(
    `The GitHub API ${where(context)} did not answer within ${seconds} s.`,
    `Check your connection or proxy (HTTPS_PROXY), or allow longer with --timeout or GHPAT_TIMEOUT (seconds).`,
  );
}

const TLS_CODES =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

/** What went wrong below HTTP, from error codes. */
function unreachable(error: unknown, context: ApiContext): ApiUnreachableError {
  const codes = errorCodes(error);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  const at = where(context);
  if (has("ECONNRESET", "UND_ERR_SOCKET", "EPIPE", "UND_ERR_CLOSED")) {
    return new ApiUnreachableError(
      `The connection to the GitHub API ${at} was reset before it answered.`,
      `It may be a passing network fault; try again. ${CONNECTION_HINT}`,
    );
  }
  if (has("ECONNREFUSED"))
    return new ApiUnreachableError(`The GitHub API ${at} refused the connection.`, CONNECTION_HINT);
  if (has("ENOTFOUND", "EAI_AGAIN"))
    return new ApiUnreachableError(
      `Could not resolve the host name of the GitHub API ${at}.`,
      `Check the host (--host, GH_HOST) and your DNS. ${CONNECTION_HINT}`,
    );
  if (codes.some((c) => TLS_CODES.test(c))) {
    return new ApiUnreachableError(
      `The TLS certificate of the GitHub API ${at} is not trusted.`,
      "If your network or GitHub Enterprise Server uses a private certificate authority, point NODE_EXTRA_CA_CERTS at its certificate.",
    );
  }
  if (has("UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"))
    return new ApiUnreachableError(`Could not connect to the GitHub API ${at} in time.`, CONNECTION_HINT);
  const port = blockedPort(context.baseUrl);
  if (port !== null || causeSaysBadPort(error)) {
    return new ApiUnreachableError(
      `Node's fetch refuses to connect to the GitHub API ${at}: ${port === null ? "its port" : `port ${port}`} is one the Fetch standard blocks ("bad port"), as browsers do. Nothing was sent.`,
      "Use another port in GHPAT_API_URL (any port above 1024 that is not on the Fetch standard's list of bad ports).",
    );
  }
  return new ApiUnreachableError(`Could not reach the GitHub API ${at}.`, CONNECTION_HINT);
}

/** The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#port-blocking): Node's fetch never connects to them. */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port of an http(s) base URL when the Fetch standard blocks it, else null. */
export function blockedPort(baseUrl: string | undefined): number | null {
  if (baseUrl === undefined) return null;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return BAD_PORTS.has(port) ? port : null;
}

/** undici's own words for a blocked port, somewhere in the cause chain. */
function causeSaysBadPort(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    if ((current as { message?: unknown }).message === "bad port") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function rateLimited(status: number, headers: Headers, context: ApiContext): RateLimitedError | null {
  const rate = readRateLimit(headers);
  const retryAfter = parseRetryAfter(headers["retry-after"]);
  const primary = rate.remaining === 0;
  if (status !== 429 && !(status === 403 && (primary || retryAfter !== null))) return null;
  const resetAt = retryAfter !== null ? new Date(Date.now() + retryAfter * 1000).toISOString() : rate.resetAt;
  const kind = primary ? "rate limit" : "secondary rate limit";
  return new RateLimitedError(
    `The GitHub API ${kind} ${where(context)} is exhausted${resetAt ? `; it resets at ${resetAt}` : ""}.`,
    resetAt ? `Try again after ${resetAt}.` : "Wait a few minutes and try again.",
    resetAt,
    rate,
  );
}

/**
 * Maps what Octokit threw to ghpat's errors, by status and headers only
 * (never by message text, which may echo anything the server said).
 */
export function classifyApiError(error: unknown, context: ApiContext): GhpatError {
  if (error instanceof GhpatError) return error;
  const e = (error ?? {}) as OctokitLikeError;
  const headers = e.response?.headers;
  if (!headers) return unreachable(error, context);
  const status = e.status ?? 0;
  const limited = rateLimited(status, headers, context);
  if (limited) return limited;
  const rate = readRateLimit(headers);
  if (status === 401) {
    return new TokenRejectedError(
      "GitHub rejected the token (401 Bad credentials): it is revoked, expired or wrong.",
      "Create a new token and add it with 'ghpat add', or replace this one with 'ghpat rotate'.",
      rate,
    );
  }
  if (status === 403 && headers["x-github-sso"] !== undefined) return new SsoRequiredError(readSsoUrl(headers), rate);
  if (status === 403) {
    return new TokenForbiddenError(
      "GitHub accepted the token but refused to say whose it is (403 Forbidden on /user).",
      "GitHub App installation tokens cannot read /user; use a personal access token, or check the token's permissions.",
      rate,
    );
  }
  if (status >= 500)
    return new ApiAnswerError(
      `The GitHub API ${where(context)} answered ${status}, also when asked again.`,
      "GitHub may be having trouble (https://www.githubstatus.com); try again later.",
      rate,
    );
  return new ApiAnswerError(
    `The GitHub API ${where(context)} answered ${status}.`,
    "Check the host (--host, GH_HOST) and GHPAT_API_URL.",
    rate,
  );
}

/** The verdict a verification records for an error (see core/verify-outcome.ts). */
export function checkResultOf(error: GhpatError): CheckResult {
  const base = { message: error.message, hint: error.hint };
  if (error instanceof TokenRejectedError) return { kind: "rejected", ...base, rateLimit: error.rateLimit };
  if (error instanceof SsoRequiredError)
    return { kind: "sso-required", url: error.url, ...base, rateLimit: error.rateLimit };
  if (error instanceof TokenForbiddenError) return { kind: "forbidden", ...base, rateLimit: error.rateLimit };
  if (error instanceof RateLimitedError)
    return { kind: "unreachable", rateLimited: true, ...base, rateLimit: error.rateLimit };
  if (error instanceof ApiAnswerError)
    return { kind: "unreachable", rateLimited: false, ...base, rateLimit: error.rateLimit };
  return {
    kind: "unreachable",
    rateLimited: false,
    noAnswer: error instanceof ApiUnreachableError,
    ...base,
    rateLimit: null,
  };
}
