/**
 * The HTTP exchange behind `ghpat api`: one request, its redirects and its
 * retries (retry.ts), through transport.ts (proxy variables honoured), each
 * attempt under the timeout. The token is sent to the API's own origin and nowhere else:
 * a redirect to another origin (another host, scheme or port) is followed
 * without it, and so is every hop after it.
 */
import type { Env } from "../config.js";
import { NetworkError } from "../errors.js";
import { VERSION } from "../version.js";
import { classifyApiError, timeoutError, type ApiContext } from "./api-errors.js";
import { retryDecision } from "./retry.js";
import { ExchangeTimeout, openTransport, type ResponseHeaders, type Transport } from "./transport.js";

export type { ResponseHeaders };

export interface HttpRequest {
  method: string;
  url: URL;
  /** Without Authorization, which the session adds where it may. */
  headers: Readonly<Record<string, string>>;
  body: Buffer | null;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  body: Buffer;
  /** Where the answer came from, after redirects. */
  url: URL;
  method: string;
}

/** What --verbose shows; Authorization arrives already masked. */
export interface HttpTrace {
  request(method: string, url: URL, headers: Readonly<Record<string, string>>, body: Buffer | null): void;
  response(answer: Omit<HttpAnswer, "url" | "method">): void;
}

export interface ApiSessionOptions {
  /** The host's API base; its origin is the one place the token goes. */
  apiBase: string;
  token: string | null;
  timeoutMs: number;
  env: Env;
  trace?: HttpTrace | undefined;
  /** Opened ahead (openTransport), e.g. while the secret store is asked for the token; else on the first request. */
  transport?: Promise<Transport> | undefined;
}

export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
export const MASKED_AUTHORIZATION = "token ********";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Only a status worth asking again about is looked at by retry.ts: 5xx, and 403/429 that may carry `retry-after`. */
function mayRetry(status: number): boolean {
  return status >= 500 || status === 429 || status === 403;
}

export class ApiSession {
  private transport: Promise<Transport> | undefined;
  private readonly origin: string;
  private readonly context: ApiContext;

  constructor(private readonly options: ApiSessionOptions) {
    this.transport = options.transport;
    this.origin = new URL(options.apiBase).origin;
    this.context = { baseUrl: options.apiBase, timeoutMs: options.timeoutMs };
  }

  /** The request, its redirects followed (Authorization only while on the API's origin), each hop with retry.ts's retries. */
  async send(first: HttpRequest): Promise<HttpAnswer> {
    let current = first;
    let onApiOrigin = first.url.origin === this.origin;
    for (let hop = 0; ; hop++) {
      onApiOrigin &&= current.url.origin === this.origin;
      const answer = await this.attempts(current, onApiOrigin);
      const location = answer.headers.location;
      if (!REDIRECTS.has(answer.status) || typeof location !== "string") return answer;
      if (hop >= MAX_REDIRECTS)
        throw new NetworkError(
          `The API redirected the request more than ${MAX_REDIRECTS} times.`,
          "Check the endpoint; the server sends it round in circles.",
        );
      let next: URL;
      try {
        next = new URL(location, current.url);
      } catch {
        return answer;
      }
      if (next.protocol !== "https:" && next.protocol !== "http:") return answer;
      // 303, and 301/302 after anything but GET, turn into a GET without a body, as browsers and gh's client do.
      const keepsMethod =
        answer.status === 307 ||
        answer.status === 308 ||
        ((answer.status === 301 || answer.status === 302) && (current.method === "GET" || current.method === "HEAD"));
      const headers = keepsMethod ? current.headers : withoutBodyHeaders(current.headers);
      current = keepsMethod
        ? { ...current, url: next }
        : { method: current.method === "HEAD" ? "HEAD" : "GET", url: next, headers, body: null };
    }
  }

  private async attempts(req: HttpRequest, authorized: boolean): Promise<HttpAnswer> {
    let attempt = 0;
    let waitedForRateLimit = false;
    for (;;) {
      let failure: unknown;
      let answer: HttpAnswer | undefined;
      try {
        answer = await this.once(req, authorized);
      } catch (error) {
        failure = error;
      }
      const state = { attempt, waitedForRateLimit, timeoutMs: this.options.timeoutMs };
      if (answer !== undefined && !mayRetry(answer.status)) return answer;
      const decision =
        answer !== undefined
          ? retryDecision(
              { status: answer.status, response: { status: answer.status, headers: flatHeaders(answer.headers) } },
              state,
            )
          : retryDecision(failure, state);
      if (decision === null) {
        if (answer !== undefined) return answer;
        throw classifyApiError(failure, this.context);
      }
      if (decision.rateLimitWait) waitedForRateLimit = true;
      else attempt++;
      await sleep(decision.delayMs);
    }
  }

  private async once(req: HttpRequest, authorized: boolean): Promise<HttpAnswer> {
    const headers: Record<string, string> = { "User-Agent": `ghpat/${VERSION}`, ...req.headers };
    const token = authorized ? this.options.token : null;
    if (token !== null) headers.Authorization = `token ${token}`;
    this.options.trace?.request(
      req.method,
      req.url,
      token === null ? headers : { ...headers, Authorization: MASKED_AUTHORIZATION },
      req.body,
    );
    try {
      this.transport ??= openTransport(this.options.env, new URL(this.options.apiBase).protocol);
      const answer = await (
        await this.transport
      ).exchange({ method: req.method, url: req.url, headers, body: req.body, timeoutMs: this.options.timeoutMs });
      this.options.trace?.response(answer);
      return { ...answer, url: req.url, method: req.method };
    } catch (error) {
      throw error instanceof ExchangeTimeout ? timeoutError(this.context) : error;
    }
  }

  /** Ends the connections, so that nothing outlives the last request. */
  async close(): Promise<void> {
    await (await this.transport)?.close();
  }
}

function withoutBodyHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
}

/** retry.ts reads single values. */
export function flatHeaders(headers: ResponseHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}
