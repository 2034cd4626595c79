import type { TokenRecord } from "../record.js";
import { macUnderKey, secretMac } from "../secret-mac.js";

/**
 * Which stored record a found token is, by the keyed hash in the records
 * (never by reading the secret store): one HMAC per distinct token found,
 * looked up among the records'. Records without a hash under the current
 * key cannot be told: they are counted, and gain one when next verified.
 */
export class StoredTokens {
  private readonly byMac = new Map<string, TokenRecord>();
  readonly unkeyed: number;
  private readonly cache = new Map<string, TokenRecord | null>();

  constructor(
    records: readonly TokenRecord[],
    private readonly key: Buffer | null,
  ) {
    let keyed = 0;
    if (key !== null) {
      for (const record of records) {
        if (!macUnderKey(record.secretMac, key)) continue;
        keyed++;
        this.byMac.set(record.secretMac as string, record);
      }
    }
    this.unkeyed = records.length - keyed;
  }

  identify(token: string): TokenRecord | null {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    const found = this.key === null ? null : (this.byMac.get(secretMac(this.key, token)) ?? null);
    this.cache.set(token, found);
    return found;
  }
}
