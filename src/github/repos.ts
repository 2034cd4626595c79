/**
 * Where a token reaches: the private repositories `GET /user/repos` lists
 * for it (for a fine-grained token, those it was granted, besides every
 * public one), and whether `GET /repos/OWNER/REPO` answers for one.
 */
import { isValidRepository } from "../core/record.js";
import { classifyApiError } from "./api-errors.js";
import { apiContextFor, createClient } from "./client.js";
import type { ApiCallOptions } from "./user.js";

/** 100 a page, GitHub's most; past this many pages a listing stops (a server that pages forever). */
const PER_PAGE = 100;
const MAX_PAGES = 100;

/** The `rel="next"` URL of a Link header. */
export function nextLink(header: string | undefined): string | null {
  if (header === undefined) return null;
  for (const part of header.split(",")) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /\brel="?next"?/.test(match[2] as string)) return match[1] as string;
  }
  return null;
}

/**
 * Every private repository `GET /user/repos` lists, as `owner/name`, sorted,
 * following the Link header page by page. A next page on another origin than
 * the API's is not followed: the token goes to the API and nowhere else.
 * Names that are not `owner/name` as GitHub spells them are left out.
 * Throws GhpatErrors (api-errors.ts).
 */
export async function listPrivateRepositories(
  host: string,
  token: string,
  options: ApiCallOptions = {},
): Promise<string[]> {
  const clientOptions = { host, token, timeoutMs: options.timeoutMs, env: options.env };
  const context = apiContextFor(clientOptions);
  const octokit = createClient(clientOptions);
  const origin = new URL(context.baseUrl).origin;
  const found = new Set<string>();
  const signal = options.signal ? { request: { signal: options.signal } } : {};
  let url: string | null = `${context.baseUrl.replace(/\/$/, "")}/user/repos?per_page=${PER_PAGE}`;
  for (let page = 0; url !== null && page < MAX_PAGES; page++) {
    let response;
    try {
      response = await octokit.request({ method: "GET", url, ...signal });
    } catch (error) {
      throw classifyApiError(error, context);
    }
    const items: unknown[] = Array.isArray(response.data) ? (response.data as unknown[]) : [];
    for (const item of items) {
      const repo = item as { full_name?: unknown; private?: unknown };
      if (repo.private === true && typeof repo.full_name === "string" && isValidRepository(repo.full_name))
        found.add(repo.full_name);
    }
    const next = nextLink(typeof response.headers.link === "string" ? response.headers.link : undefined);
    url = next !== null && URL.canParse(next) && new URL(next).origin === origin ? next : null;
  }
  return [...found].sort();
}

/** The status `GET /repos/OWNER/REPO` answers with the token: 200 when it reaches the repository, 404 (or 403) when not. Throws GhpatErrors for no answer, 401, a rate limit or 5xx. */
export async function repositoryStatus(
  host: string,
  token: string,
  fullName: string,
  options: ApiCallOptions = {},
): Promise<number> {
  const clientOptions = { host, token, timeoutMs: options.timeoutMs, env: options.env };
  const context = apiContextFor(clientOptions);
  const octokit = createClient(clientOptions);
  const [owner, repo] = fullName.split("/") as [string, string];
  try {
    const response = await octokit.request("GET /repos/{owner}/{repo}", {
      owner,
      repo,
      ...(options.signal ? { request: { signal: options.signal } } : {}),
    });
    return response.status;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (
      (status === 404 || status === 403) &&
      (error as { response?: { headers?: Record<string, unknown> } }).response?.headers?.["x-ratelimit-remaining"] !==
        "0"
    )
      return status;
    throw classifyApiError(error, context);
  }
}
