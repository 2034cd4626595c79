/**
 * When a failed API attempt is worth another try. Decided by status,
 * headers and error codes only, never by message text.
 *
 * - Connection failures that may pass (refused, reset, DNS "try again") and
 *   5xx answers: up to two more attempts, after about 0.25 s and 1 s.
 * - A timeout is not retried: the attempt already waited as long as the
 *   user allowed (`--timeout`); retrying would multiply that wait.
 * - A secondary rate limit (429, or 403 with `retry-after`) whose
 *   `retry-after` is no longer than the timeout is waited out once.
 * - Everything else (401, 403, 404, 422, a primary rate limit, ...) is final.
 */
export const RETRY_DELAYS_MS = [250, 1000] as const;

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

type Headers = Readonly<Record<string, string | number | undefined>>;

export interface AttemptError {
  status?: number | undefined;
  response?: { status?: number; headers?: Headers } | undefined;
}

/** Error codes along an error's cause chain (fetch wraps the socket error once or twice). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) codes.push(...nested.flatMap((e) => errorCodes(e)));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** `retry-after` is seconds or an HTTP date; returns seconds from `now`, or null. */
export function parseRetryAfter(value: string | number | undefined, now: number = Date.now()): number | null {
  if (value === undefined) return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface RetryState {
  /** Failed attempts so far (0 after the first). */
  attempt: number;
  waitedForRateLimit: boolean;
  timeoutMs: number;
}

export type RetryDecision = { delayMs: number; rateLimitWait: boolean } | null;

export function retryDecision(error: unknown, state: RetryState, random: () => number = Math.random): RetryDecision {
  const e = (error ?? {}) as AttemptError;
  const backoff = (): RetryDecision => {
    const base = RETRY_DELAYS_MS[state.attempt];
    // Jitter keeps concurrent checks from retrying in lock-step.
    return base === undefined ? null : { delayMs: Math.round(base * (0.75 + random() / 2)), rateLimitWait: false };
  };
  const response = e.response;
  if (response) {
    const status = response.status ?? e.status ?? 0;
    if (status >= 500) return backoff();
    if (status === 429 || status === 403) {
      const seconds = parseRetryAfter(response.headers?.["retry-after"]);
      if (seconds !== null && !state.waitedForRateLimit && seconds * 1000 <= state.timeoutMs) {
        return { delayMs: seconds * 1000, rateLimitWait: true };
      }
    }
    return null;
  }
  return errorCodes(error).some((code) => TRANSIENT_CODES.has(code)) ? backoff() : null;
}
