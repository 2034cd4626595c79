import type { TokenRecord } from "../../src/core/record.js";

/** A valid record for unit tests: a verified classic token on github.com, never expiring; `extra` overrides any field. */
export function makeRecord(name: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    name,
    host: "github.com",
    login: "octocat",
    type: "classic",
    fingerprint: "ghp_…ABCD",
    scopes: ["repo"],
    expiresAt: null,
    expiryKnown: true,
    addedAt: "2026-01-01T00:00:00.000Z",
    lastVerifiedAt: null,
    lastUsedAt: null,
    status: "valid",
    default: false,
    match: [],
    note: null,
    ...extra,
  };
}

/** A record as `add --no-verify` leaves it: no login, scopes or known expiry yet. */
export function makeUnverifiedRecord(name: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return makeRecord(name, { login: null, scopes: null, expiryKnown: false, status: "unverified", ...extra });
}
