import type { TokenRecord } from "../record.js";
import { macMatches, macUnderKey } from "../secret-mac.js";

/**
 * Which stored record a found token is, by the keyed hash in the records
 * (never by reading the secret store). Records without a hash under the
 * current key cannot be told: they are counted, and gain one when next
 * verified.
 */
export class StoredTokens {
  private readonly keyed: TokenRecord[];
  readonly unkeyed: number;
  private readonly cache = new Map<string, TokenRecord | null>();

  constructor(
    records: readonly TokenRecord[],
    private readonly key: Buffer | null,
  ) {
    this.keyed = key === null ? [] : records.filter((r) => macUnderKey(r.secretMac, key));
    this.unkeyed = records.length - this.keyed.length;
  }

  identify(token: string): TokenRecord | null {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    const key = this.key;
    const found = key === null ? null : (this.keyed.find((r) => macMatches(r.secretMac as string, key, token)) ?? null);
    this.cache.set(token, found);
    return found;
  }
}
