import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Derived keys by passphrase and salt: scrypt costs ~50 ms, and a test seeds one file several times. */
const derivedKeys = new Map<string, Buffer>();

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Buffer {
  const id = `${logN}:${r}:${p}:${salt.toString("hex")}:${passphrase}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = scryptSync(passphrase.normalize("NFC"), salt, 64, { N: 2 ** logN, r, p, maxmem: 512 * 1024 * 1024 });
    derivedKeys.set(id, key);
  }
  return key;
}

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
  if (data.subarray(0, 8).toString("latin1") !== "GHPATSEC" || data[8] !== 1 || data[9] !== 1)
    throw new Error(`${file} is not a version 1 secrets file`);
  const [logN = 0, r = 0, p = 0] = data.subarray(10, 13);
  const salt = data.subarray(13, 29);
  const nonce = data.subarray(29, 41);
  const key = deriveKey(passphrase, Buffer.from(salt), logN, r, p).subarray(0, 32);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(data.subarray(0, 57));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plaintext = Buffer.concat([decipher.update(data.subarray(57, data.length - 16)), decipher.final()]);
  return (JSON.parse(plaintext.toString("utf8")) as { secrets: Record<string, string> }).secrets;
}

/**
 * Writes `secrets.enc` (format version 1, as the README documents it) the
 * way ghpat would, independently of ghpat's code: for tests to seed the file
 * store without spawning `ghpat add`. An existing file keeps its salt and
 * KDF parameters, as ghpat keeps them; a new one gets ghpat's defaults.
 */
export function writeSecretsFile(file: string, passphrase: string, secrets: Record<string, string>): void {
  let header: { logN: number; r: number; p: number; salt: Buffer } = { logN: 14, r: 8, p: 1, salt: randomBytes(16) };
  try {
    const existing = readFileSync(file);
    const [logN = 0, r = 0, p = 0] = existing.subarray(10, 13);
    header = { logN, r, p, salt: Buffer.from(existing.subarray(13, 29)) };
  } catch {
    // No file yet: a new salt.
  }
  const derived = deriveKey(passphrase, header.salt, header.logN, header.r, header.p);
  const check = createHmac("sha256", derived.subarray(32))
    .update("ghpat secrets.enc passphrase check")
    .digest()
    .subarray(0, 16);
  const nonce = randomBytes(12);
  const head = Buffer.concat([
    Buffer.from("GHPATSEC", "latin1"),
    Buffer.from([1, 1, header.logN, header.r, header.p]),
    header.salt,
    nonce,
    check,
  ]);
  const cipher = createCipheriv("aes-256-gcm", derived.subarray(0, 32), nonce);
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(JSON.stringify({ secrets }), "utf8"), cipher.final()]);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, Buffer.concat([head, body, cipher.getAuthTag()]), { mode: 0o600 });
}
