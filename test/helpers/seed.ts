import { mkdirSync, writeFileSync } from "node:fs";
import { classifyToken, fingerprint } from "../../src/core/token-format.js";
import type { TokenRecord } from "../../src/core/record.js";
import { secretTool } from "./keyring.js";
import { makeUnverifiedRecord } from "./records.js";
import type { Sandbox } from "./sandbox.js";

export interface SeedEntry extends Partial<Omit<TokenRecord, "fingerprint">> {
  name: string;
  token: string;
}

/**
 * Stores tokens the way ghpat does, without spawning `ghpat add` per token:
 * each secret goes into the real Secret Service with keytar's attributes
 * (secret-tool, on the private keyring), and the index is written by hand,
 * so ghpat reads and validates an index it did not write itself.
 */
export function seedTokens(sb: Sandbox, keyringEnv: Record<string, string>, entries: SeedEntry[]): TokenRecord[] {
  const records = entries.map(({ token, ...fields }): TokenRecord => makeUnverifiedRecord(fields.name, { type: classifyToken(token), ...fields, fingerprint: fingerprint(token) }));
  entries.forEach((entry, i) => {
    const account = `${records[i]?.host}/${entry.name}`;
    const stored = secretTool({ env: keyringEnv }, ["store", `--label=${sb.service} ${account}`, "xdg:schema", "org.freedesktop.Secret.Generic", "service", sb.service, "account", account], entry.token);
    if (stored.status !== 0) throw new Error(`secret-tool store failed: ${stored.stderr}`);
  });
  mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(sb.indexPath(), `${JSON.stringify({ version: 1, tokens: records }, null, 2)}\n`, { mode: 0o600 });
  return records;
}
