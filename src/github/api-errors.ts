import { GhpatError, NetworkError } from "../errors.js";
import { readRateLimit, readSsoUrl } from "./token-info.js";

/** The token was refused with 401: revoked, expired or wrong. */
export class TokenRejectedError extends GhpatError {
  override name = "TokenRejectedError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 1, code: "EREJECTED", hint });
  }
}

/** The token is valid but must be authorised for an organisation's SAML SSO. */
export class SsoRequiredError extends GhpatError {
  override name = "SsoRequiredError";
  constructor(readonly url: string | null) {
    super("GitHub requires SAML single sign-on authorisation for this token.", {
      exitCode: 1,
      code: "ESSO",
      hint: url ? `Authorise it at ${url}` : "Authorise it for the organisation under https://github.com/settings/tokens.",
    });
  }
}

interface OctokitLikeError {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
  cause?: unknown;
  name?: string;
}

function causeName(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current.name === "TimeoutError" || current.name === "AbortError") return current.name;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps what Octokit threw to ghpat's errors, by status and headers only
 * (never by message text, which may echo anything the server said).
 */
export function classifyApiError(error: unknown, context: { host: string; timeoutMs: number }): GhpatError {
  if (error instanceof GhpatError) return error;
  const e = (error ?? {}) as OctokitLikeError;
  const headers = e.response?.headers;
  if (!headers) {
    if (causeName(error) !== undefined) {
      return new NetworkError(`The GitHub API at ${context.host} did not answer within ${Math.round(context.timeoutMs / 1000)} s.`, "Check your connection or proxy (HTTPS_PROXY), or raise --timeout.");
    }
    return new NetworkError(`Could not reach the GitHub API for ${context.host}.`, "Check your connection, proxy settings (HTTPS_PROXY, NO_PROXY) and GHPAT_API_URL.");
  }
  const status = e.status ?? 0;
  const rate = readRateLimit(headers);
  if (status === 429 || (status === 403 && rate.remaining === 0)) {
    const retryAfter = headers["retry-after"];
    const when = rate.resetAt ?? (retryAfter !== undefined ? new Date(Date.now() + Number(retryAfter) * 1000).toISOString() : null);
    return new NetworkError(`The GitHub API rate limit for ${context.host} is exhausted${when ? `; it resets at ${when}` : ""}.`, "Wait until then and try again.");
  }
  if (status === 401) {
    return new TokenRejectedError(`GitHub rejected the token (401 Bad credentials): it is revoked, expired or wrong.`, "Create a new token and add it with 'ghpat add', or replace this one with 'ghpat rotate'.");
  }
  if (status === 403 && headers["x-github-sso"] !== undefined) {
    return new SsoRequiredError(readSsoUrl(headers));
  }
  return new NetworkError(`The GitHub API for ${context.host} answered ${status}.`, status >= 500 ? "GitHub may be having trouble; try again later." : "Check the host and GHPAT_API_URL.");
}
