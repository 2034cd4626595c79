import { Octokit } from "@octokit/rest";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { apiBaseUrl, type Env } from "../config.js";
import { VERSION } from "../version.js";

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientOptions {
  host: string;
  /** Absent for unauthenticated calls such as credential revocation. */
  token?: string | undefined;
  timeoutMs?: number | undefined;
  env?: Env | undefined;
}

const quietLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

let proxyAgent: EnvHttpProxyAgent | undefined;

/** Node's fetch ignores HTTPS_PROXY; undici's EnvHttpProxyAgent honours it, NO_PROXY included, in any case. */
function proxiedFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  proxyAgent ??= new EnvHttpProxyAgent();
  return undiciFetch(url, { ...(init as object), dispatcher: proxyAgent }) as unknown as Promise<Response>;
}

export function createClient(options: ClientOptions): Octokit {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = new Octokit({
    ...(options.token !== undefined ? { auth: options.token } : {}),
    baseUrl: apiBaseUrl(options.host, options.env),
    userAgent: `ghpat/${VERSION}`,
    log: quietLog,
    request: { fetch: proxiedFetch },
  });
  // Octokit has no timeout option; each attempt gets its own deadline.
  octokit.hook.wrap("request", (request, requestOptions) => {
    requestOptions.request = { ...requestOptions.request, signal: AbortSignal.timeout(timeoutMs) };
    return request(requestOptions);
  });
  return octokit;
}
