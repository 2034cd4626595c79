/**
 * git's credential helper protocol (docs/design.md section 4; git-credential(1)
 * "INPUT/OUTPUT FORMAT"): `key=value` lines ended by LF, up to a blank line.
 *
 * Lines are split on the byte 0x0A only. Node's readline and multiline
 * regular expressions also end lines at CR, U+2028 and U+2029; helpers that
 * used them handed tokens to the wrong host (CVE-2025-23040,
 * CVE-2024-50338, CVE-2024-52006). Anything unexpected rejects the whole
 * request: the helper then answers nothing and git moves on.
 */

/** The attributes ghpat acts on. Others (`wwwauth[]`, `capability[]`, `url`, ...) are checked for bad bytes, then dropped. */
export const KNOWN_KEYS = ["protocol", "host", "path", "username", "password", "password_expiry_utc"] as const;
export type KnownKey = (typeof KNOWN_KEYS)[number];
export type CredentialAttributes = Partial<Record<KnownKey, string>>;

export const MAX_LINE_BYTES = 65_535;
export const MAX_INPUT_BYTES = 1024 * 1024;

export type ParseResult = { ok: true; attributes: CredentialAttributes } | { ok: false; reason: string };

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const EQUALS = 0x3d;

const known = new Set<string>(KNOWN_KEYS);
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function reject(reason: string): ParseResult {
  return { ok: false, reason };
}

/**
 * Parses one request. Reading stops at the first empty line or at the end of
 * the input (a last line without LF counts); bytes after the blank line are
 * not looked at, except that the input as a whole may not exceed 1 MiB.
 */
export function parseCredentialRequest(input: Uint8Array): ParseResult {
  if (input.length > MAX_INPUT_BYTES) return reject(`the request is larger than ${MAX_INPUT_BYTES} bytes`);
  const attributes: CredentialAttributes = {};
  const seen = new Set<string>();
  let start = 0;
  while (start < input.length) {
    let end = input.indexOf(LF, start);
    if (end === -1) end = input.length;
    if (end === start) break;
    if (end - start > MAX_LINE_BYTES) return reject(`a line is longer than ${MAX_LINE_BYTES} bytes`);
    const line = input.subarray(start, end);
    start = end + 1;

    if (line.includes(CR)) return reject("a line contains a carriage return");
    if (line.includes(NUL)) return reject("a line contains a NUL byte");
    const equals = line.indexOf(EQUALS);
    if (equals === -1) return reject("a line has no '='");
    if (equals === 0) return reject("a line has an empty key");
    const key = decode(line.subarray(0, equals));
    if (key === null) return reject("a key is not valid UTF-8");
    // Array keys such as wwwauth[] and capability[] repeat by design.
    if (key.endsWith("[]")) continue;
    if (seen.has(key)) return reject(`the key '${printable(key)}' appears twice`);
    seen.add(key);
    // Only the values ghpat uses are decoded: others may carry any bytes, as
    // wwwauth[] carries a server's raw WWW-Authenticate header (a Latin-1 realm).
    if (!known.has(key)) continue;
    const value = decode(line.subarray(equals + 1));
    if (value === null) return reject(`the value of '${key}' is not valid UTF-8`);
    attributes[key as KnownKey] = value;
  }
  return { ok: true, attributes };
}

function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** A key for messages: ASCII printable only, so a hostile request cannot paint the terminal. */
function printable(key: string): string {
  const shown = key.replace(/[^\x20-\x7e]/g, "?");
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}

export function isSafeValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}

/**
 * The response: `key=value` lines in the given order. Returns null, and so
 * nothing is written, when any key or value could break out of its line.
 */
export function serializeCredentialResponse(
  pairs: ReadonlyArray<readonly [key: string, value: string]>,
): string | null {
  let out = "";
  for (const [key, value] of pairs) {
    if (key === "" || key.includes("=") || !isSafeValue(key) || !isSafeValue(value)) return null;
    out += `${key}=${value}\n`;
  }
  return out;
}
