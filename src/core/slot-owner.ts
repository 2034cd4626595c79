import type { TokenRecord } from "./record.js";
import { fingerprint } from "./token-format.js";

/**
 * Whether a secret read from a record's slot is the record's own token.
 *
 * A slot is only `<service>` + `<host>/<name>`: two config directories with
 * the same keychain service share it, and nothing in the slot says which
 * index wrote it. The record's fingerprint (prefix and last four) is what
 * ties the two: a secret of another fingerprint is another index's token, or
 * one put there outside ghpat, and is never handed out, replaced or deleted
 * in this record's name. The one other secret a record owns is the successor
 * a rotation announced (`pendingFingerprint`) and stored before it was
 * killed. A fingerprint compare costs no crypto, so even git's credential
 * path makes it on every read.
 */
export function secretFitsRecord(
  record: Pick<TokenRecord, "fingerprint" | "pendingFingerprint">,
  secret: string,
): boolean {
  const print = fingerprint(secret);
  return (
    print === record.fingerprint || (record.pendingFingerprint !== undefined && print === record.pendingFingerprint)
  );
}
