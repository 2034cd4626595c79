import {
  classicLink,
  fineGrainedChecklist,
  fineGrainedLink,
  hasFineGrainedPrefill,
  lifetimeOf,
  type FineGrainedRequest,
} from "./creation-link.js";
import type { TokenRecord } from "./record.js";

/** GitHub's credential revocation API, behind `ghpat revoke`, exists on github.com only. */
export const REVOCABLE_HOST = "github.com";

/**
 * How to revoke a token, to follow "revoke it": `with 'ghpat revoke NAME'` where
 * that command works, on the token's settings page everywhere else (where it refuses).
 */
export function revokeAdvice(token: Pick<TokenRecord, "host" | "name">, url: string): string {
  return token.host === REVOCABLE_HOST ? `with 'ghpat revoke ${token.name}'` : `on its settings page, ${url}`;
}

/** Where the user revokes or regenerates a token on its host. */
export function settingsUrl(record: Pick<TokenRecord, "host" | "type">): string {
  const page =
    record.type === "fine-grained" ? "personal-access-tokens" : record.type === "oauth" ? "applications" : "tokens";
  return `https://${record.host}/settings/${page}`;
}

type SuccessorFields = Pick<TokenRecord, "host" | "type" | "name" | "scopes"> &
  Partial<Pick<TokenRecord, "permissions" | "owner" | "addedAt" | "expiresAt" | "expiryKnown">>;

/** What a fine-grained token's successor is made with: its name, declared owner and permissions, and the old token's lifetime. */
function successorRequest(record: SuccessorFields): FineGrainedRequest {
  const lifetime =
    record.addedAt === undefined || record.expiryKnown === undefined
      ? null
      : lifetimeOf({ addedAt: record.addedAt, expiresAt: record.expiresAt ?? null, expiryKnown: record.expiryKnown });
  return {
    host: record.host,
    name: record.name,
    description: null,
    owner: record.owner ?? null,
    expiresIn: lifetime,
    permissions: record.permissions ?? {},
  };
}

/**
 * Where the user creates a successor, filled in from the record: a classic
 * token's scopes and name (`/settings/tokens/new?scopes=a,b&description=x`);
 * a fine-grained token's name, declared owner and permissions, and the old
 * token's lifetime (creation-link.ts; the plain page on Enterprise Server).
 */
export function newTokenUrl(record: SuccessorFields): string {
  if (record.type === "fine-grained") return fineGrainedLink(successorRequest(record));
  return classicLink({ host: record.host, name: record.name, scopes: record.scopes ?? [] });
}

/** On a host that fills nothing in, what to pick on the page for a fine-grained successor; null where the link does it. */
export function successorChecklist(record: SuccessorFields): string[] | null {
  return record.type === "fine-grained" && !hasFineGrainedPrefill(record.host)
    ? fineGrainedChecklist(successorRequest(record))
    : null;
}
