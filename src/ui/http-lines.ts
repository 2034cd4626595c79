/**
 * How `ghpat api --include` and `--verbose` show HTTP: curl's and gh's
 * layout (`HTTP/1.1 200 OK`, then `Name: value` lines), header names in
 * their usual capitalisation, sorted. Everything passes through redact(),
 * so no known secret or token-shaped text is ever shown.
 */
import { printable, reasonPhrase } from "../core/api-request/http-error.js";
import { handledSecrets, redact } from "./redact.js";

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** `x-ratelimit-remaining` → `X-Ratelimit-Remaining`, as Go's http package (and so gh) prints names. */
export function canonicalHeaderName(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function statusLine(status: number, statusText: string | undefined): string {
  const reason = reasonPhrase(status, statusText);
  return `HTTP/1.1 ${status}${reason === "" ? "" : ` ${reason}`}`;
}

export function headerLines(headers: Headers): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
    const value = headers[name];
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${canonicalHeaderName(name)}: ${one}`);
  }
  return lines;
}

/** What --include prints before a body: the status line, the headers and a blank line. */
export function responseHead(status: number, statusText: string | undefined, headers: Headers): string {
  // HTTP's own CRLF line ends, as gh and curl print them; scrubbing (which drops CR) is per line.
  return [statusLine(status, statusText), ...headerLines(headers)].map(scrub).join("\r\n") + "\r\n\r\n";
}

/** --verbose shows a request body up to this size, when it is text. */
const SHOWN_BODY = 64 * 1024;

function bodyText(body: Buffer | null): string | null {
  if (body === null || body.length === 0) return null;
  if (body.length > SHOWN_BODY) return `(${body.length} bytes)`;
  const text = body.toString("utf8");
  // eslint-disable-next-line no-control-regex
  return text.includes("\uFFFD") || /[\u0000-\u0008]/.test(text) ? `(${body.length} bytes of binary data)` : text;
}

export function requestTrace(method: string, url: URL, headers: Headers, body: Buffer | null): string {
  const lines = [
    `> ${method} ${url.pathname}${url.search} HTTP/1.1`,
    `> Host: ${url.host}`,
    ...headerLines(headers).map((line) => `> ${line}`),
    ">",
  ];
  const text = bodyText(body);
  return scrub(`${lines.join("\n")}\n${text === null ? "" : `${text}\n`}`);
}

export function responseTrace(status: number, statusText: string | undefined, headers: Headers): string {
  return scrub(
    `${[statusLine(status, statusText), ...headerLines(headers)].map((line) => `< ${line}`).join("\n")}\n<\n`,
  );
}

function scrub(text: string): string {
  return printable(redact(text, handledSecrets));
}
