/**
 * What `ghpat api` says on stderr about an answer that is not a success:
 * `HTTP 404: Not Found (GET /repos/acme/app)`, then GitHub's message and
 * its list of errors. The server's text is shown without control
 * characters, which could otherwise move a terminal's cursor or retitle it.
 */

/** Reason phrases for the statuses GitHub's API answers with, for HTTP/2 and servers that send none. */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number, sent: string | undefined): string {
  const text = sent === undefined ? "" : printable(sent).trim();
  return text !== "" ? text : (REASONS[status] ?? "");
}

/** Drops C0/C1 controls (ESC, BEL, CR, …) but keeps tabs and line feeds. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

function describeOne(error: unknown): string | null {
  if (typeof error === "string") return error;
  if (typeof error !== "object" || error === null) return null;
  const e = error as Record<string, unknown>;
  if (typeof e.message === "string" && e.message !== "") return e.message;
  const where = [e.resource, e.field].filter((part) => typeof part === "string" && part !== "").join(".");
  const code = typeof e.code === "string" ? e.code : null;
  if (where === "" && code === null) return null;
  return where === "" ? String(code) : `${where}${code === null ? "" : `: ${code}`}`;
}

/** GitHub's `message` and `errors` (REST), or GraphQL's `errors[].message`, as lines. */
export function githubErrorLines(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const { message, errors } = parsed as { message?: unknown; errors?: unknown };
  const lines: string[] = [];
  if (typeof message === "string" && message !== "") lines.push(message);
  const list = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
  for (const error of list) {
    const line = describeOne(error);
    if (line !== null) lines.push(`- ${line}`);
  }
  return lines.map((line) => printable(line));
}

export interface FailedAnswer {
  status: number;
  statusText?: string | undefined;
  method: string;
  /** Path and query of the request, e.g. /repos/acme/app/issues. */
  target: string;
  body: string;
}

export function describeHttpFailure(answer: FailedAnswer): string {
  const reason = reasonPhrase(answer.status, answer.statusText);
  const head = `HTTP ${answer.status}${reason === "" ? "" : `: ${reason}`} (${answer.method} ${printable(answer.target)})`;
  return [head, ...githubErrorLines(answer.body)].join("\n");
}

/** A GraphQL answer of 200 that still failed: `{"errors": [...]}` without data, as gh reports it. */
export function graphqlErrors(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== "object" || parsed === null) return [];
  const errors = (parsed as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return [];
  return errors.map((error) => printable(describeOne(error) ?? JSON.stringify(error)));
}

export type AnswerKind = "ok" | "failed" | "rate-limited" | "server-error";

/**
 * How an answer ends the command: 2xx ok (exit 0); a rate limit (429, or 403
 * with `x-ratelimit-remaining: 0` or a `retry-after`) and 5xx are the API's
 * trouble (exit 5); anything else the request's (exit 1).
 */
export function answerKind(status: number, headers: Readonly<Record<string, string | undefined>>): AnswerKind {
  if (status >= 200 && status < 300) return "ok";
  if (
    status === 429 ||
    (status === 403 && (headers["x-ratelimit-remaining"]?.trim() === "0" || headers["retry-after"] !== undefined))
  )
    return "rate-limited";
  if (status >= 500) return "server-error";
  return "failed";
}

/** When a rate limit lifts: `retry-after` (seconds or a date) from `now`, else `x-ratelimit-reset` (epoch seconds); null when neither says. */
export function rateLimitReset(headers: Readonly<Record<string, string | undefined>>, now: number): Date | null {
  const retryAfter = headers["retry-after"]?.trim();
  if (retryAfter !== undefined && retryAfter !== "") {
    if (/^\d+$/.test(retryAfter)) return new Date(now + Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return new Date(at);
  }
  const reset = headers["x-ratelimit-reset"]?.trim();
  return reset !== undefined && /^\d+$/.test(reset) ? new Date(Number(reset) * 1000) : null;
}

/** A body worth parsing as JSON, by its media type (`application/json`, `application/vnd.github+json`, …). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return contentType !== undefined && /[/+]json\s*(;|$)/i.test(contentType);
}
