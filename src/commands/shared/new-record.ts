import type { TokenRecord, TokenType } from "../../core/record.js";
import { fingerprint } from "../../core/token-format.js";
import type { TokenInfo } from "../../github/token-info.js";

/** The record of a token about to be stored: what GET /user said (or nothing, unverified), and the user's choices. */
export function newRecord(fields: {
  name: string;
  host: string;
  token: string;
  type: TokenType;
  info: TokenInfo | null;
  now: Date;
  default: boolean;
  match: string[];
  note: string | null;
}): TokenRecord {
  const { info } = fields;
  const now = fields.now.toISOString();
  return {
    name: fields.name,
    host: fields.host,
    login: info?.login ?? null,
    type: fields.type,
    fingerprint: fingerprint(fields.token),
    scopes: info?.scopes ?? null,
    expiresAt: info?.expiresAt ?? null,
    expiryKnown: info?.expiryKnown ?? false,
    addedAt: now,
    lastVerifiedAt: info ? now : null,
    lastUsedAt: null,
    status: info ? "valid" : "unverified",
    default: fields.default,
    match: fields.match,
    note: fields.note,
  };
}
