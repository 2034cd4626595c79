import { stripControls } from "../core/controls.js";
import { isValidLogin } from "../core/record.js";
import type { TokenType } from "../core/token-format.js";

export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  /** ISO 8601 time at which the window resets. */
  resetAt: string | null;
}

/** What one `GET /user` says about a token. */
export interface TokenInfo {
  login: string;
  scopes: string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
  rateLimit: RateLimit;
  /** GitHub answered but asks for SAML SSO authorisation at this URL. */
  ssoUrl: string | null;
}

type Headers = Readonly<Record<string, string | number | undefined>>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/**
 * `X-OAuth-Scopes` is a comma+space list. Fine-grained tokens have no
 * scopes: the header is empty or absent, so null means "not reported".
 */
export function parseScopes(value: string | undefined, type: TokenType): string[] | null {
  if (type === "fine-grained") return null;
  if (value === undefined) return null;
  // A server's header: no control character reaches the index or a terminal.
  return stripControls(value)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const EXPIRY = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(UTC|GMT|Z|[+-]\d{2}:?\d{2})$/;

/** `2027-01-01 00:00:00 UTC` or `2027-01-01 00:00:00 +0100` → ISO 8601 in UTC; null if unparseable. */
export function parseExpiryHeader(value: string): string | null {
  const match = EXPIRY.exec(value.trim());
  if (!match) return null;
  const [, date, time, zone] = match as unknown as [string, string, string, string];
  const offset = zone === "UTC" || zone === "GMT" || zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Fine-grained tokens have been seen to report "now" as their expiry: within this of `Date`, it is unknown. */
const BOGUS_EXPIRY_WINDOW_MS = 60_000;

export function readExpiry(headers: Headers): { expiresAt: string | null; expiryKnown: boolean } {
  const raw = header(headers, "github-authentication-token-expiration");
  if (raw === undefined || raw.trim() === "") return { expiresAt: null, expiryKnown: true };
  const expiresAt = parseExpiryHeader(raw);
  if (expiresAt === null) return { expiresAt: null, expiryKnown: false };
  const date = header(headers, "date");
  const responseTime = date ? Date.parse(date) : Number.NaN;
  if (!Number.isNaN(responseTime) && Math.abs(Date.parse(expiresAt) - responseTime) <= BOGUS_EXPIRY_WINDOW_MS) {
    return { expiresAt: null, expiryKnown: false };
  }
  return { expiresAt, expiryKnown: true };
}

function intHeader(headers: Headers, name: string): number | null {
  const raw = header(headers, name);
  if (raw === undefined) return null;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : null;
}

export function readRateLimit(headers: Headers): RateLimit {
  const reset = intHeader(headers, "x-ratelimit-reset");
  return {
    limit: intHeader(headers, "x-ratelimit-limit"),
    remaining: intHeader(headers, "x-ratelimit-remaining"),
    resetAt: reset === null ? null : new Date(reset * 1000).toISOString(),
  };
}

/**
 * `X-GitHub-SSO: required; url=https://...` → the URL to authorise the token
 * for the organisation. Only a plain http(s) URL of printable ASCII is taken:
 * it is shown on a terminal.
 */
export function readSsoUrl(headers: Headers): string | null {
  const raw = header(headers, "x-github-sso");
  if (raw === undefined) return null;
  const match = /url=(https?:\/\/[!-:<-~]+)/.exec(raw);
  return match?.[1] ?? null;
}

/** What `GET /user` answered as the login: a GitHub login, or the raw value when it is not one (see tokenInfoFromResponse). */
export type LoginAnswer = { ok: true; login: string } | { ok: false; raw: unknown };

export function loginOf(data: unknown): LoginAnswer {
  const raw = typeof data === "object" && data !== null ? (data as { login?: unknown }).login : undefined;
  return typeof raw === "string" && isValidLogin(raw) ? { ok: true, login: raw } : { ok: false, raw };
}

/**
 * The facts of a `GET /user` answer, or null when it is not GitHub's: no
 * login, or a login GitHub never issues. A login becomes a token name,
 * git's `username=` and a line of output, so one carrying an escape
 * sequence or a newline (an Actions workflow command after it) is refused
 * whole, never cleaned up and used.
 */
export function tokenInfoFromResponse(data: unknown, headers: Headers, type: TokenType): TokenInfo | null {
  const login = loginOf(data);
  if (!login.ok) return null;
  return {
    login: login.login,
    scopes: parseScopes(header(headers, "x-oauth-scopes"), type),
    ...readExpiry(headers),
    rateLimit: readRateLimit(headers),
    ssoUrl: readSsoUrl(headers),
  };
}
