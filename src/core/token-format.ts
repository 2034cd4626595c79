import type { TokenType } from "./record.js";

export type { TokenType };

const PREFIXES: ReadonlyArray<readonly [prefix: string, type: TokenType]> = [
  ["github_pat_", "fine-grained"],
  ["ghp_", "classic"],
  ["gho_", "oauth"],
  ["ghu_", "user-to-server"],
  ["ghs_", "installation"],
  ["ghr_", "refresh"],
];

/** Prefixes whose 40-character tokens end in a CRC-32 checksum (docs/design.md section 9). */
const CHECKSUMMED = new Set(["ghp_", "gho_", "ghu_", "ghr_"]);
const CHECKSUMMED_LENGTH = 40;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const FINE_GRAINED_SHAPE = /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/;
const LEGACY_HEX = /^[0-9a-f]{40}$/;
const TOKEN_ALPHABET = /^[A-Za-z0-9_]+$/;
// Installation tokens are also stateless JWT-style strings (about 520
// characters, with dots); GitHub's guidance for them is ghs_[A-Za-z0-9._-]{36,}.
const INSTALLATION_ALPHABET = /^ghs_[A-Za-z0-9._-]+$/;

/**
 * A token inside other text (a flag's value, a message): a known prefix and
 * at least 16 token characters, in the JWT-style alphabet for ghs_. The one
 * pattern behind the argument guard and the redaction of messages.
 */
export const TOKEN_IN_TEXT = String.raw`(?:github_pat_|gh[pour]_)[A-Za-z0-9_]{16,}|ghs_[A-Za-z0-9._-]{16,}`;

/** No token, and no text TOKEN_IN_TEXT finds one in, is shorter: a four-character prefix and 16 more. */
export const SHORTEST_TOKEN = 20;

/**
 * Longer than any token GitHub issues (classic ones are 40 characters, the
 * JWT-style installation tokens a few hundred); a paste of a whole file is not a token.
 */
export const LONGEST_TOKEN = 2048;

/**
 * A token as pasted or piped, without the spaces, tabs, carriage returns and
 * line feeds around it (as gh takes it); whitespace inside stays, and the
 * format check refuses it.
 */
export function trimTokenInput(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/** Whether every character is one a token with this prefix can have. */
function inAlphabet(token: string, prefix: string): boolean {
  return (prefix === "ghs_" ? INSTALLATION_ALPHABET : TOKEN_ALPHABET).test(token);
}

export type FormatProblemCode = "alphabet" | "length" | "prefix" | "checksum" | "shape" | "legacy";

export interface FormatProblem {
  code: FormatProblemCode;
  /** `error` refuses the token unless forced (`alphabet` never can be); `warning` is only shown. */
  severity: "error" | "warning";
  message: string;
}

export interface TokenFormat {
  type: TokenType;
  prefix: string;
  problems: FormatProblem[];
}

export function tokenPrefix(token: string): string {
  return PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[0] ?? "";
}

export function classifyToken(token: string): TokenType {
  return PREFIXES.find(([prefix]) => token.startsWith(prefix))?.[1] ?? "unknown";
}

/**
 * The six-character base-62 CRC-32 GitHub appends to the 30 random characters.
 * zlib is loaded here, not with the module: it pulls in stream, and every
 * command loads this module (to refuse tokens in argv) while few check a checksum.
 */
export function checksumOf(body: string): string {
  const { crc32 } = process.getBuiltinModule("node:zlib");
  let value = crc32(Buffer.from(body, "ascii")) >>> 0;
  let out = "";
  while (value > 0) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out.padStart(6, "0");
}

/** Offline format check. It never talks to the network and never echoes the token. */
export function checkTokenFormat(token: string): TokenFormat {
  const prefix = tokenPrefix(token);
  const type = classifyToken(token);
  const problems: FormatProblem[] = [];

  if (!inAlphabet(token, prefix)) {
    problems.push({
      code: "alphabet",
      severity: "error",
      message:
        "The token contains characters GitHub tokens never have (spaces, line breaks or symbols). Copy it again.",
    });
    return { type, prefix, problems };
  }

  if (token.length < SHORTEST_TOKEN || token.length > LONGEST_TOKEN) {
    problems.push({
      code: "length",
      severity: "error",
      message: `The token has ${token.length} characters; GitHub tokens have between ${SHORTEST_TOKEN} and ${LONGEST_TOKEN}. Copy it again.`,
    });
    return { type, prefix, problems };
  }

  if (prefix === "") {
    if (LEGACY_HEX.test(token)) {
      problems.push({
        code: "legacy",
        severity: "warning",
        message:
          "This is a legacy 40-character token without a prefix or checksum; consider replacing it with a fine-grained token.",
      });
    } else {
      problems.push({
        code: "prefix",
        severity: "error",
        message: "This does not look like a GitHub token (expected ghp_, github_pat_, gho_, ghu_, ghs_ or ghr_).",
      });
    }
    return { type, prefix, problems };
  }

  if (prefix === "github_pat_") {
    if (!FINE_GRAINED_SHAPE.test(token)) {
      problems.push({
        code: "shape",
        severity: "error",
        message:
          "A fine-grained token is github_pat_, 22 letters or digits, an underscore and 59 more (93 characters); this one is not. Copy it again.",
      });
    }
  } else if (CHECKSUMMED.has(prefix)) {
    if (token.length === CHECKSUMMED_LENGTH) {
      const body = token.slice(prefix.length, -6);
      if (checksumOf(body) !== token.slice(-6)) {
        problems.push({
          code: "checksum",
          severity: "error",
          message: "The token's checksum does not match: it was probably mistyped or truncated. Copy it again.",
        });
      }
    } else {
      problems.push({
        code: "shape",
        severity: "warning",
        message: `A ${prefix} token is usually ${CHECKSUMMED_LENGTH} characters; this one has ${token.length}, so its checksum cannot be checked.`,
      });
    }
  } else if (token.length <= prefix.length) {
    problems.push({ code: "shape", severity: "error", message: `The token has nothing after its ${prefix} prefix.` });
  }
  return { type, prefix, problems };
}

/** `ghp_…T4V4`: enough to tell tokens apart, never enough to use one. */
export function fingerprint(token: string): string {
  const prefix = tokenPrefix(token);
  if (token.length - prefix.length < 12) return `${prefix}…`;
  return `${prefix}…${token.slice(-4)}`;
}

/** Used to refuse tokens given as command-line arguments. */
export function looksLikeToken(value: string): boolean {
  if (LEGACY_HEX.test(value)) return true;
  const prefix = tokenPrefix(value);
  return prefix !== "" && value.length >= prefix.length + 16 && inAlphabet(value, prefix);
}
