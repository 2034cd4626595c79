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
  const page = record.type === "fine-grained" ? "personal-access-tokens" : record.type === "oauth" ? "applications" : "tokens";
  return `https://${record.host}/settings/${page}`;
}

/**
 * Where the user creates a successor. A classic token's page takes the
 * scopes and note to pre-fill (`/settings/tokens/new?scopes=a,b&description=x`);
 * a fine-grained token's permissions are chosen on the page.
 */
export function newTokenUrl(record: Pick<TokenRecord, "host" | "type" | "name" | "scopes">): string {
  if (record.type === "fine-grained") return `https://${record.host}/settings/personal-access-tokens/new`;
  const query = new URLSearchParams();
  if (record.scopes && record.scopes.length > 0) query.set("scopes", record.scopes.join(","));
  query.set("description", record.name);
  return `https://${record.host}/settings/tokens/new?${query.toString().replaceAll("%2C", ",").replaceAll("%3A", ":")}`;
}
