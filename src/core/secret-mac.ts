/**
 * A keyed hash of a token's secret, kept in its index record so that `ghpat
 * scan` can tell which stored token a finding is without opening the secret
 * store. HMAC-SHA-256 under a random per-install key (storage/scan-key.ts):
 * the index alone (a backup, a dotfiles repository, a pasted bug report)
 * then confirms nothing about any token, not even one an attacker already
 * holds. The record value is `<key id>:<mac>`, so a record keyed under a key
 * that was since replaced is told apart from one that does not match.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Eight hex digits naming the key, derived from it one way. */
export function scanKeyId(key: Buffer): string {
  return createHash("sha256").update("ghpat scan key id\0").update(key).digest("hex").slice(0, 8);
}

/** The value of a record's `secretMac` for this token under this key. */
export function secretMac(key: Buffer, token: string): string {
  return `${scanKeyId(key)}:${createHmac("sha256", key).update(token, "utf8").digest("base64url")}`;
}

/** Whether a record's `secretMac` was computed under this key (else it is missing or stale). */
export function macUnderKey(mac: string | undefined, key: Buffer): boolean {
  return mac !== undefined && mac.startsWith(`${scanKeyId(key)}:`);
}

/** Whether `token` is the secret behind `mac`, in constant time. */
export function macMatches(mac: string, key: Buffer, token: string): boolean {
  const expected = Buffer.from(secretMac(key, token));
  const actual = Buffer.from(mac);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
