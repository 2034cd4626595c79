import { ExitCode, GhpatError } from "../errors.js";
import type { Env } from "../config.js";
import type { TokenType } from "../core/token-format.js";
import type { CheckResult } from "../core/verify-outcome.js";
import { ApiAnswerError, checkResultOf, classifyApiError } from "./api-errors.js";
import { apiContextFor, createClient } from "./client.js";
import { quoted } from "../core/controls.js";
import { loginOf, tokenInfoFromResponse, type TokenInfo } from "./token-info.js";

export interface ApiCallOptions {
  /** Per attempt; default `--timeout` → GHPAT_TIMEOUT → 10 s. */
  timeoutMs?: number | undefined;
  env?: Env | undefined;
  /** Cancels the whole call, retries included. */
  signal?: AbortSignal | undefined;
}

/** Asks `GET /user` who the token belongs to, what it may do and when it dies; throws GhpatErrors. */
export async function fetchTokenInfo(
  host: string,
  token: string,
  type: TokenType,
  options: ApiCallOptions = {},
): Promise<TokenInfo> {
  const clientOptions = { host, token, timeoutMs: options.timeoutMs, env: options.env };
  const context = apiContextFor(clientOptions);
  const octokit = createClient(clientOptions);
  let response;
  try {
    response = await octokit.request("GET /user", options.signal ? { request: { signal: options.signal } } : {});
  } catch (error) {
    throw classifyApiError(error, context);
  }
  const info = tokenInfoFromResponse(response.data, response.headers, type);
  const login = loginOf(response.data);
  if (!info && !login.ok && typeof login.raw === "string") {
    throw new ApiAnswerError(
      `The GitHub API at ${context.baseUrl} answered with the login ${quoted(login.raw.slice(0, 80))}, which is not a GitHub login; nothing was stored or shown of it.`,
      "Check the host and GHPAT_API_URL, and whether a proxy or another server answers in GitHub's place.",
    );
  }
  if (!info) {
    throw new ApiAnswerError(
      `The GitHub API at ${context.baseUrl} sent an answer ghpat cannot read (not the JSON GitHub sends).`,
      "Check the host and GHPAT_API_URL, and whether a proxy or captive portal answers in GitHub's place.",
    );
  }
  return info;
}

/**
 * The same question, for verification: every answer, failure included,
 * becomes a CheckResult. Errors that are not about the API (none expected)
 * are rethrown.
 */
export async function checkToken(
  host: string,
  token: string,
  type: TokenType,
  options: ApiCallOptions = {},
): Promise<CheckResult> {
  try {
    return { kind: "ok", facts: await fetchTokenInfo(host, token, type, options) };
  } catch (error) {
    if (error instanceof GhpatError && (error.exitCode === ExitCode.checkFailed || error.exitCode === ExitCode.network))
      return checkResultOf(error);
    throw error;
  }
}
