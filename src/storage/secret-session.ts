import {
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyPairKeyObjectResult,
} from "node:crypto";

/**
 * The Secret Service's encrypted transfer ("dh-ietf1024-sha256-aes128-cbc-pkcs7"
 * in the freedesktop Secret Service API): a Diffie-Hellman exchange in the
 * 1024-bit MODP group of RFC 2409 (OpenSSL's "modp2"), HKDF-SHA256 of the
 * shared secret with no salt and no info for a 128-bit key, then AES-128-CBC
 * with PKCS #7 padding and a fresh IV per secret. libsecret negotiates the
 * same, so a secret crosses the bus only encrypted; the "plain" algorithm
 * would put it on the bus in clear, and ghpat never asks for it.
 *
 * The keys are OpenSSL key objects, not a crypto.DiffieHellman: building one
 * of those checks the group's prime for primality first, about 38 ms, where
 * generating a key pair for the named group takes 0.3 ms. Key objects carry
 * public values in SubjectPublicKeyInfo form, hence the few DER lines below.
 */
export const ENCRYPTED_TRANSFER = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

const PRIME_BYTES = 128;
const DER_INTEGER = 0x02;
const DER_BIT_STRING = 0x03;
const DER_SEQUENCE = 0x30;

// Node has generated "dh" key pairs since v15; @types/node lacks the overload.
const generateDhKeyPair = generateKeyPairSync as unknown as (
  type: "dh",
  options: { group: "modp2" },
) => KeyPairKeyObjectResult;

export interface KeyExchange {
  /** Our public value (big-endian, unsigned), to send with OpenSession. */
  readonly publicKey: Buffer;
  /** The AES key, from the Secret Service's public value. */
  sessionKey(servicePublicKey: Buffer): Buffer;
}

export function startKeyExchange(): KeyExchange {
  const { publicKey, privateKey } = generateDhKeyPair("dh", { group: "modp2" });
  const spki = publicKey.export({ format: "der", type: "spki" });
  const outer = readTlv(spki, 0, DER_SEQUENCE);
  const algorithm = readTlv(spki, outer.start, DER_SEQUENCE);
  const bits = readTlv(spki, algorithm.end, DER_BIT_STRING);
  const value = readTlv(spki, bits.start + 1, DER_INTEGER);
  const algorithmIdentifier = spki.subarray(outer.start, algorithm.end);
  return {
    publicKey: unsigned(spki.subarray(value.start, value.end)),
    sessionKey(servicePublicKey) {
      // The service's value in the same group: our own key's algorithm identifier, its integer in place of ours.
      const integer = tlv(DER_INTEGER, signed(servicePublicKey));
      const theirs = tlv(
        DER_SEQUENCE,
        Buffer.concat([algorithmIdentifier, tlv(DER_BIT_STRING, Buffer.concat([Buffer.of(0), integer]))]),
      );
      const shared = diffieHellman({
        privateKey,
        publicKey: createPublicKey({ key: theirs, format: "der", type: "spki" }),
      });
      // The shared value is used at the prime's full width, leading zeros included, as libsecret does.
      const material =
        shared.length < PRIME_BYTES ? Buffer.concat([Buffer.alloc(PRIME_BYTES - shared.length), shared]) : shared;
      return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), Buffer.alloc(0), 16));
    },
  };
}

/** One secret as the Secret Service sends it: parameters (the IV) and the encrypted value. */
export function decryptSecret(key: Buffer, iv: Buffer, value: Buffer): Buffer {
  const decipher = createDecipheriv("aes-128-cbc", key, iv);
  return Buffer.concat([decipher.update(value), decipher.final()]);
}

function readTlv(der: Buffer, at: number, tag: number): { start: number; end: number } {
  if (der[at] !== tag) throw new Error("Unexpected DER in a Diffie-Hellman key.");
  let start = at + 2;
  let length = der[at + 1] ?? 0;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
    start += count;
  }
  if (start + length > der.length) throw new Error("Truncated DER in a Diffie-Hellman key.");
  return { start, end: start + length };
}

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.of(tag, ...length), body]);
}

function unsigned(integer: Buffer): Buffer {
  let i = 0;
  while (i < integer.length - 1 && integer[i] === 0) i++;
  return integer.subarray(i);
}

/** A DER INTEGER's contents for an unsigned big-endian value: a leading zero keeps it positive. */
function signed(value: Buffer): Buffer {
  const bare = unsigned(value);
  return (bare[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), bare]) : bare;
}
