import { describe, expect, it } from "vitest";
import { errorCodes, parseRetryAfter, retryDecision, RETRY_DELAYS_MS } from "../../src/github/retry.js";
import { ApiTimeoutError } from "../../src/github/api-errors.js";

const answer = (status: number, headers: Record<string, string> = {}) => ({ status, response: { status, headers } });
const transport = (code: string) =>
  Object.assign(new Error("request failed"), {
    status: 500,
    cause: Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("socket"), { code }) }),
  });
const state = { attempt: 0, waitedForRateLimit: false, timeoutMs: 10_000 };
const half = () => 0.5;

describe("retry policy", () => {
  it("retries 5xx and passing connection failures twice, with growing delays", () => {
    expect(retryDecision(answer(500), state, half)).toEqual({ delayMs: RETRY_DELAYS_MS[0], rateLimitWait: false });
    expect(retryDecision(answer(503), { ...state, attempt: 1 }, half)).toEqual({
      delayMs: RETRY_DELAYS_MS[1],
      rateLimitWait: false,
    });
    expect(retryDecision(answer(502), { ...state, attempt: 2 }, half)).toBeNull();
    for (const code of ["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "EAI_AGAIN"])
      expect(retryDecision(transport(code), state, half)).not.toBeNull();
  });

  it("never retries 401, 403, 404, 422, a timeout, or a permanent failure", () => {
    for (const status of [400, 401, 403, 404, 422]) expect(retryDecision(answer(status), state, half)).toBeNull();
    expect(
      retryDecision(answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1999999999" }), state, half),
    ).toBeNull();
    expect(retryDecision(new ApiTimeoutError("slow"), state, half)).toBeNull();
    expect(retryDecision(transport("ENOTFOUND"), state, half)).toBeNull();
    expect(retryDecision(transport("DEPTH_ZERO_SELF_SIGNED_CERT"), state, half)).toBeNull();
  });

  it("waits out a secondary rate limit once, only when retry-after is within the timeout", () => {
    expect(retryDecision(answer(429, { "retry-after": "3" }), state, half)).toEqual({
      delayMs: 3000,
      rateLimitWait: true,
    });
    expect(retryDecision(answer(403, { "retry-after": "10" }), state, half)).toEqual({
      delayMs: 10_000,
      rateLimitWait: true,
    });
    expect(retryDecision(answer(429, { "retry-after": "11" }), state, half)).toBeNull();
    expect(retryDecision(answer(429, { "retry-after": "1" }), { ...state, waitedForRateLimit: true }, half)).toBeNull();
    expect(retryDecision(answer(429), state, half)).toBeNull();
  });

  it("reads retry-after as seconds or an HTTP date", () => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Mon, 01 Jun 2026 12:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it("finds error codes along the cause chain and in aggregate errors", () => {
    expect(errorCodes(transport("ECONNRESET"))).toEqual(["ECONNRESET"]);
    expect(
      errorCodes(
        new Error("x", { cause: new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })]) }),
      ),
    ).toEqual(["ECONNREFUSED"]);
  });
});
