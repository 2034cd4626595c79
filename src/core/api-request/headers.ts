import { UsageError } from "../../errors.js";

/** RFC 9110 token characters: what a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers ghpat sets itself. Authorization above all: a token given with -H
 * would sit in argv, in `ps` and in shell history, which is what `ghpat api`
 * exists to avoid.
 */
const RESERVED = new Map([
  [
    "authorization",
    "ghpat sends the chosen token itself; pick it with --token NAME (a token on the command line would be visible in ps and shell history).",
  ],
  ["host", "The host comes from --hostname (or GH_HOST) and the API base."],
  ["content-length", "ghpat computes the body's length."],
  ["transfer-encoding", "ghpat sends the body with its length."],
  ["connection", "ghpat manages its connections."],
]);

/** `-H 'Name: value'`: the name, and the value without the blanks around it. */
export function parseHeaderFlag(text: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon === -1)
    throw new UsageError(
      `The header '${text}' has no value.`,
      "Write -H 'Name: value', e.g. -H 'Accept: application/vnd.github.raw+json'.",
    );
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!HEADER_NAME.test(name)) throw new UsageError(`'${name}' is not a header name.`, "Write -H 'Name: value'.");
  if (/[\r\n\0]/.test(value)) throw new UsageError(`The value of the header '${name}' holds a line break or NUL.`);
  const reserved = RESERVED.get(name.toLowerCase());
  if (reserved !== undefined) throw new UsageError(`-H cannot set ${name}.`, reserved);
  return [name, value];
}

/** Repeated -H flags, in order; a repeated name keeps both values, joined as HTTP allows. */
export function parseHeaderFlags(texts: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const text of texts) {
    const [name, value] = parseHeaderFlag(text);
    const lower = name.toLowerCase();
    const first = names.get(lower);
    if (first === undefined) {
      names.set(lower, name);
      headers[name] = value;
    } else headers[first] = `${headers[first]}, ${value}`;
  }
  return headers;
}
