import { createDecipheriv, scryptSync } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * An independent reader of `secrets.enc` (format version 1 as the README and
 * src/storage/secrets-file-format.ts document it), for tests to check what
 * the file store holds the way secret-tool checks the keychain.
 * Returns null when there is no file.
 */
export function readSecretsFile(file: string, passphrase: string): Record<string, string> | null {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return null;
  }
  if (data.subarray(0, 8).toString("latin1") !== "GHPATSEC" || data[8] !== 1 || data[9] !== 1) throw new Error(`${file} is not a version 1 secrets file`);
  const [logN = 0, r = 0, p = 0] = data.subarray(10, 13);
  const salt = data.subarray(13, 29);
  const nonce = data.subarray(29, 41);
  const key = scryptSync(passphrase.normalize("NFC"), salt, 64, { N: 2 ** logN, r, p, maxmem: 512 * 1024 * 1024 }).subarray(0, 32);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(data.subarray(0, 57));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plaintext = Buffer.concat([decipher.update(data.subarray(57, data.length - 16)), decipher.final()]);
  return (JSON.parse(plaintext.toString("utf8")) as { secrets: Record<string, string> }).secrets;
}
