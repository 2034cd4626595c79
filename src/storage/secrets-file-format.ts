import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * The bytes of `secrets.enc`, format version 1:
 *
 *   offset  size  field
 *        0     8  magic "GHPATSEC"
 *        8     1  format version (1)
 *        9     1  KDF id (1 = scrypt)
 *       10     1  log2(N) of scrypt
 *       11     1  r of scrypt
 *       12     1  p of scrypt
 *       13    16  salt (random, one per file)
 *       29    12  AES-GCM nonce (random, new on every write)
 *       41    16  passphrase check: HMAC-SHA256(check key, CHECK_LABEL), first 16 bytes
 *       57     …  AES-256-GCM ciphertext of the JSON {"secrets": {account: token}}
 *   end-16    16  GCM tag
 *
 * scrypt(passphrase, salt) gives 64 bytes: the first 32 are the AES key, the
 * last 32 the check key. The whole 57-byte header is the additional
 * authenticated data, so changing any byte of the file fails decryption.
 * The check only lets ghpat tell "wrong passphrase" from "altered file"; it
 * confirms a guess no better than the GCM tag already does.
 */
export const MAGIC = Buffer.from("GHPATSEC", "ascii");
export const FORMAT_VERSION = 1;
const KDF_SCRYPT = 1;
const SALT_LENGTH = 16;
const NONCE_LENGTH = 12;
const CHECK_LENGTH = 16;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
export const HEADER_LENGTH = MAGIC.length + 5 + SALT_LENGTH + NONCE_LENGTH + CHECK_LENGTH;
const CHECK_LABEL = "ghpat secrets.enc passphrase check";

export interface KdfParams {
  logN: number;
  r: number;
  p: number;
}

/**
 * N = 2^14, r = 8, p = 1: 16 MiB and about 50 ms per derivation on the
 * machine the README quotes. Every read of the store pays one derivation
 * (git-credential get, token), so this is the trade-off between the cost of
 * an offline guess and the delay added to every git fetch.
 */
export const DEFAULT_KDF: KdfParams = { logN: 14, r: 8, p: 1 };

/**
 * What a header may ask for. A tampered header must not make ghpat spend
 * gigabytes or minutes before the tag check can reject it.
 */
const MAX_KDF_MEMORY = 256 * 1024 * 1024;
function acceptableKdf({ logN, r, p }: KdfParams): boolean {
  return logN >= 10 && logN <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 4 && 128 * 2 ** logN * r <= MAX_KDF_MEMORY;
}

export type FormatProblem = "truncated" | "not-ours" | "version" | "kdf" | "passphrase" | "tampered" | "contents";

export class SecretsFileFormatError extends Error {
  constructor(
    readonly problem: FormatProblem,
    detail: string,
  ) {
    super(detail);
  }
}

export interface Header {
  kdf: KdfParams;
  salt: Buffer;
  nonce: Buffer;
  check: Buffer;
  /** The raw header bytes: the additional authenticated data. */
  bytes: Buffer;
}

export interface Keys {
  encryption: Buffer;
  check: Buffer;
}

/** Reads and sanity-checks the header; says which kind of problem the file has. */
export function parseHeader(data: Buffer): Header {
  if (data.length >= MAGIC.length && !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SecretsFileFormatError("not-ours", "it does not start like a ghpat secrets file");
  }
  if (data.length < MAGIC.length + 1)
    throw new SecretsFileFormatError("truncated", `it is only ${data.length} bytes long`);
  const version = data[MAGIC.length];
  if (version !== FORMAT_VERSION) {
    throw new SecretsFileFormatError(
      "version",
      `its format version is ${version}, and this ghpat reads version ${FORMAT_VERSION}`,
    );
  }
  if (data.length < HEADER_LENGTH + TAG_LENGTH)
    throw new SecretsFileFormatError("truncated", `it is only ${data.length} bytes long`);
  let at = MAGIC.length + 1;
  const kdfId = data[at++];
  const kdf = { logN: data[at++] ?? 0, r: data[at++] ?? 0, p: data[at++] ?? 0 };
  if (kdfId !== KDF_SCRYPT || !acceptableKdf(kdf)) {
    throw new SecretsFileFormatError(
      "kdf",
      `its key-derivation parameters (id ${kdfId}, log2 N ${kdf.logN}, r ${kdf.r}, p ${kdf.p}) are not ones ghpat writes`,
    );
  }
  const salt = data.subarray(at, (at += SALT_LENGTH));
  const nonce = data.subarray(at, (at += NONCE_LENGTH));
  const check = data.subarray(at, (at += CHECK_LENGTH));
  return { kdf, salt, nonce, check, bytes: data.subarray(0, HEADER_LENGTH) };
}

export async function deriveKeys(passphrase: string, salt: Buffer, kdf: KdfParams): Promise<Keys> {
  const N = 2 ** kdf.logN;
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase.normalize("NFC"),
      salt,
      2 * KEY_LENGTH,
      { N, r: kdf.r, p: kdf.p, maxmem: 128 * N * kdf.r * 2 + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
  return { encryption: derived.subarray(0, KEY_LENGTH), check: derived.subarray(KEY_LENGTH) };
}

function checkValue(keys: Keys): Buffer {
  return createHmac("sha256", keys.check).update(CHECK_LABEL).digest().subarray(0, CHECK_LENGTH);
}

/** Whether these keys are the passphrase's for this header. */
export function keysMatch(header: Header, keys: Keys): boolean {
  return timingSafeEqual(checkValue(keys), header.check);
}

/** Encrypts `plaintext` under a fresh nonce; `salt` and `kdf` are the file's. */
export function seal(plaintext: Buffer, keys: Keys, salt: Buffer, kdf: KdfParams): Buffer {
  const nonce = randomBytes(NONCE_LENGTH);
  const header = Buffer.concat([
    MAGIC,
    Buffer.from([FORMAT_VERSION, KDF_SCRYPT, kdf.logN, kdf.r, kdf.p]),
    salt,
    nonce,
    checkValue(keys),
  ]);
  const cipher = createCipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** Decrypts a whole file whose header parsed and whose keys match; any altered byte fails. */
export function unseal(data: Buffer, header: Header, keys: Keys): Buffer {
  if (!keysMatch(header, keys)) throw new SecretsFileFormatError("passphrase", "the passphrase does not open it");
  const decipher = createDecipheriv("aes-256-gcm", keys.encryption, header.nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(header.bytes);
  decipher.setAuthTag(data.subarray(data.length - TAG_LENGTH));
  try {
    return Buffer.concat([decipher.update(data.subarray(HEADER_LENGTH, data.length - TAG_LENGTH)), decipher.final()]);
  } catch {
    throw new SecretsFileFormatError("tampered", "its contents fail authentication");
  }
}

export function newSalt(): Buffer {
  return randomBytes(SALT_LENGTH);
}

export function encodeSecrets(secrets: ReadonlyMap<string, string>): Buffer {
  return Buffer.from(JSON.stringify({ secrets: Object.fromEntries(secrets) }), "utf8");
}

export function decodeSecrets(plaintext: Buffer): Map<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(plaintext.toString("utf8"));
  } catch {
    throw new SecretsFileFormatError("contents", "its decrypted contents are not JSON");
  }
  const secrets = typeof data === "object" && data !== null && "secrets" in data ? data.secrets : undefined;
  if (typeof secrets !== "object" || secrets === null || Array.isArray(secrets)) {
    throw new SecretsFileFormatError("contents", "its decrypted contents have no secrets map");
  }
  const map = new Map<string, string>();
  for (const [account, secret] of Object.entries(secrets)) {
    if (typeof secret !== "string") throw new SecretsFileFormatError("contents", "a secret in it is not a string");
    map.set(account, secret);
  }
  return map;
}
