import type { TokenRecord } from "./record.js";

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
