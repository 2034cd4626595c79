import type { TokenRecord } from "../core/record.js";

/** Where the user revokes or regenerates a token on its host. */
export function settingsUrl(record: Pick<TokenRecord, "host" | "type">): string {
  const page = record.type === "fine-grained" ? "personal-access-tokens" : record.type === "oauth" ? "applications" : "tokens";
  return `https://${record.host}/settings/${page}`;
}
