import type { TokenRecord, TokenType } from "./record.js";
import { fingerprint } from "./token-format.js";

/** What GET /user says about a token (src/github/token-info.ts TokenInfo has these). */
export interface VerifiedFacts {
  login: string;
  scopes: string[] | null;
  expiresAt: string | null;
  expiryKnown: boolean;
}

type TokenFields = Pick<
  TokenRecord,
  "login" | "type" | "fingerprint" | "scopes" | "expiresAt" | "expiryKnown" | "lastVerifiedAt" | "status"
>;

/** The part of a record that describes the secret itself: what the API said (`info`, at `verifiedAt`), or nothing (unverified). */
export function tokenFields(
  token: string,
  type: TokenType,
  verified: { info: VerifiedFacts; at: Date } | null,
): TokenFields {
  const info = verified?.info;
  return {
    login: info?.login ?? null,
    type,
    fingerprint: fingerprint(token),
    scopes: info?.scopes ?? null,
    expiresAt: info?.expiresAt ?? null,
    expiryKnown: info?.expiryKnown ?? false,
    lastVerifiedAt: verified ? verified.at.toISOString() : null,
    status: info ? "valid" : "unverified",
  };
}

/** The record of a token about to be stored: what GET /user said (or nothing, unverified), and the user's choices. */
export function newRecord(fields: {
  name: string;
  host: string;
  token: string;
  type: TokenType;
  info: VerifiedFacts | null;
  now: Date;
  default: boolean;
  match: string[];
  note: string | null;
}): TokenRecord {
  const token = tokenFields(fields.token, fields.type, fields.info ? { info: fields.info, at: fields.now } : null);
  return {
    name: fields.name,
    host: fields.host,
    login: token.login,
    type: token.type,
    fingerprint: token.fingerprint,
    scopes: token.scopes,
    expiresAt: token.expiresAt,
    expiryKnown: token.expiryKnown,
    addedAt: fields.now.toISOString(),
    lastVerifiedAt: token.lastVerifiedAt,
    lastUsedAt: null,
    status: token.status,
    default: fields.default,
    match: fields.match,
    note: fields.note,
  };
}
