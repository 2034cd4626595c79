import { NetworkError } from "../errors.js";
import type { Env } from "../config.js";
import type { TokenType } from "../core/token-format.js";
import { classifyApiError } from "./api-errors.js";
import { createClient, DEFAULT_TIMEOUT_MS } from "./client.js";
import { tokenInfoFromResponse, type TokenInfo } from "./token-info.js";

/** Asks `GET /user` who the token belongs to, what it may do and when it dies. */
export async function fetchTokenInfo(
  host: string,
  token: string,
  type: TokenType,
  options: { timeoutMs?: number | undefined; env?: Env | undefined } = {},
): Promise<TokenInfo> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = createClient({ host, token, timeoutMs, env: options.env });
  let response;
  try {
    response = await octokit.request("GET /user");
  } catch (error) {
    throw classifyApiError(error, { host, timeoutMs });
  }
  const info = tokenInfoFromResponse(response.data, response.headers, type);
  if (!info) throw new NetworkError(`The GitHub API for ${host} sent an answer ghpat cannot read.`, "Check GHPAT_API_URL and any proxy in between.");
  return info;
}
