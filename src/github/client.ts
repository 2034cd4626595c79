import { Octokit } from "@octokit/rest";
import { EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { apiBaseUrl, apiTimeoutMs, DEFAULT_API_TIMEOUT_MS, type Env } from "../config.js";
import { VERSION } from "../version.js";
import { ApiAnswerError, timeoutError, type ApiContext } from "./api-errors.js";
import { proxySettings } from "./proxy-settings.js";
import { retryDecision } from "./retry.js";

export const DEFAULT_TIMEOUT_MS = DEFAULT_API_TIMEOUT_MS;

export interface ClientOptions {
  host: string;
  /** Absent for unauthenticated calls such as credential revocation. */
  token?: string | undefined;
  /** Per attempt; default `--timeout` → GHPAT_TIMEOUT → 10 s. */
  timeoutMs?: number | undefined;
  env?: Env | undefined;
}

/** Where requests go and how long each attempt may take, for messages. */
export function apiContextFor(options: ClientOptions): ApiContext & { baseUrl: string } {
  const env = options.env ?? process.env;
  return { baseUrl: apiBaseUrl(options.host, env), timeoutMs: apiTimeoutMs(options.timeoutMs, env) };
}

const quietLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const agents = new Map<string, EnvHttpProxyAgent>();

/**
 * Node's fetch ignores HTTPS_PROXY; undici's EnvHttpProxyAgent honours it and
 * NO_PROXY (see proxy-settings.ts for which variable wins). Plain-http
 * targets go to the proxy in absolute form; https ones through CONNECT.
 */
function proxyAgent(env: Env): EnvHttpProxyAgent {
  const settings = proxySettings(env);
  const key = JSON.stringify(settings);
  let agent = agents.get(key);
  if (!agent) {
    agent = new EnvHttpProxyAgent({ ...settings, proxyTunnel: false });
    agents.set(key, agent);
  }
  return agent;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An Octokit for one host: quiet log, `ghpat/<version>` user agent, proxy
 * support, redirects never followed (the token goes to the API host and
 * nowhere else), each attempt under its own deadline, and the retries of
 * retry.ts.
 */
export function createClient(options: ClientOptions): Octokit {
  const env = options.env ?? process.env;
  const context = apiContextFor(options);
  const { baseUrl, timeoutMs } = context;
  const dispatcher = proxyAgent(env);
  const fetch = (url: string | URL, init?: RequestInit): Promise<Response> =>
    undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;

  const octokit = new Octokit({
    ...(options.token !== undefined ? { auth: options.token } : {}),
    baseUrl,
    userAgent: `ghpat/${VERSION}`,
    log: quietLog,
    request: { fetch, redirect: "manual" },
  });

  octokit.hook.wrap("request", async (request, requestOptions) => {
    const callerSignal = requestOptions.request?.signal as AbortSignal | undefined;
    let attempt = 0;
    let waitedForRateLimit = false;
    for (;;) {
      // Octokit has no timeout option: every attempt gets its own deadline through request.signal.
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
      let failure: unknown;
      try {
        // Set in place: inner hooks are bound to this very options object and ignore one passed anew.
        requestOptions.request = { ...requestOptions.request, signal };
        const response = await request(requestOptions);
        // Octokit swallows an aborted body read and returns what it had: that is a timeout too.
        if (deadline.aborted) throw timeoutError(context);
        if (response.status >= 300 && response.status < 400) {
          throw new ApiAnswerError(
            `The GitHub API at ${baseUrl} redirected the request (${response.status}); ghpat does not follow redirects with a token.`,
            "Check the host (--host, GH_HOST) and GHPAT_API_URL: point them at the API itself.",
          );
        }
        return response;
      } catch (error) {
        failure = deadline.aborted && !callerSignal?.aborted ? timeoutError(context) : error;
      }
      const decision = callerSignal?.aborted
        ? null
        : retryDecision(failure, { attempt, waitedForRateLimit, timeoutMs });
      if (decision === null) throw failure;
      if (decision.rateLimitWait) waitedForRateLimit = true;
      else attempt++;
      await sleep(decision.delayMs);
    }
  });
  return octokit;
}
