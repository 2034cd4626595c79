import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore, type PassphraseSource } from "../../src/storage/file-store.js";
import { HEADER_LENGTH, type KdfParams } from "../../src/storage/secrets-file-format.js";
import { StoreUnavailableError } from "../../src/errors.js";
import { readSecretsFile } from "../helpers/secrets-file.js";
import { canaryToken } from "../helpers/canary.js";

/** Cheap parameters so that hundreds of fresh derivations stay fast; the header records them. */
const FAST: KdfParams = { logN: 10, r: 8, p: 1 };
const PASSPHRASE = "correct horse battery staple";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-filestore-"));
  file = join(dir, "cfg", "secrets.enc");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function counted(passphrase = PASSPHRASE): PassphraseSource & { calls: string[] } {
  const calls: string[] = [];
  const source = async (purpose: string) => {
    calls.push(purpose);
    return passphrase;
  };
  return Object.assign(source, { calls });
}

function store(passphrase = PASSPHRASE, kdf: KdfParams = FAST): FileStore {
  return new FileStore(file, { passphrase: counted(passphrase), kdf });
}

async function expectUnreadable(operation: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await operation.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the operation should have failed").toBeInstanceOf(StoreUnavailableError);
  expect((error as StoreUnavailableError).exitCode).toBe(4);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(file);
}

describe("file store", () => {
  it("round-trips secrets, 0600, readable by an independent decryption", async () => {
    const a = canaryToken();
    const b = canaryToken();
    const s = store();
    await s.set("github.com/a", a);
    await s.set("github.com/b", b);
    expect(await s.get("github.com/a")).toBe(a);
    expect(await store().get("github.com/b")).toBe(b);
    expect(await s.get("github.com/none")).toBeNull();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "cfg")).mode & 0o777).toBe(0o700);
    expect(readSecretsFile(file, PASSPHRASE)).toEqual({ "github.com/a": a, "github.com/b": b });
    const raw = readFileSync(file);
    expect(raw.includes(a) || raw.includes(b)).toBe(false);
    expect(await s.delete("github.com/a")).toBe(true);
    expect(await s.delete("github.com/a")).toBe(false);
    expect(readSecretsFile(file, PASSPHRASE)).toEqual({ "github.com/b": b });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it("writes nothing when its lock was taken from it meanwhile (a process paused past the stale time)", async () => {
    const first = canaryToken();
    await store().set("h/first", first);
    const before = readFileSync(file);
    // The passphrase is asked while the lock is held: a fresh process (no cached key) loses its lock there.
    const losesItsLock: PassphraseSource = async () => {
      unlinkSync(`${file}.lock`);
      return PASSPHRASE;
    };
    await expectUnreadable(
      new FileStore(file, { passphrase: losesItsLock, kdf: FAST }).set("h/second", canaryToken()),
      /was taken over by another process\. Nothing was written/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readSecretsFile(file, PASSPHRASE)).toEqual({ "h/first": first });
  });

  it("writes the default scrypt parameters (N=2^14, r=8, p=1) into a new file's header", async () => {
    await new FileStore(file, { passphrase: counted() }).set("h/n", canaryToken());
    expect([...readFileSync(file).subarray(8, 13)]).toEqual([1, 1, 14, 8, 1]);
  });

  it("asks for the passphrase once per process and never for a missing file", async () => {
    const source = counted();
    const s = new FileStore(file, { passphrase: source, kdf: FAST });
    expect(await s.get("h/n")).toBeNull();
    expect(await s.delete("h/n")).toBe(false);
    expect(source.calls).toEqual([]);
    expect(existsSync(file)).toBe(false);
    await s.set("h/a", canaryToken());
    await s.set("h/b", canaryToken());
    await s.get("h/a");
    expect(source.calls).toEqual(["create"]);
    const again = counted();
    const reader = new FileStore(file, { passphrase: again, kdf: FAST });
    await reader.get("h/a");
    await reader.get("h/b");
    expect(again.calls).toEqual(["open"]);
  });

  it("uses a random salt per file and a fresh nonce per write", async () => {
    const s = store();
    await s.set("h/a", "ghp_x");
    const first = readFileSync(file);
    await s.set("h/a", "ghp_x");
    const second = readFileSync(file);
    expect(second.subarray(13, 29)).toEqual(first.subarray(13, 29));
    expect(second.subarray(29, 41)).not.toEqual(first.subarray(29, 41));
    const otherFile = join(dir, "other.enc");
    await new FileStore(otherFile, { passphrase: counted(), kdf: FAST }).set("h/a", "ghp_x");
    expect(readFileSync(otherFile).subarray(13, 29)).not.toEqual(first.subarray(13, 29));
  });

  it("keeps both writes of two stores racing on one file (its own lock)", async () => {
    const tokens = Array.from({ length: 6 }, () => canaryToken());
    await Promise.all(tokens.map((t, i) => store().set(`h/${i}`, t)));
    expect(Object.keys(readSecretsFile(file, PASSPHRASE) ?? {}).sort()).toEqual([
      "h/0",
      "h/1",
      "h/2",
      "h/3",
      "h/4",
      "h/5",
    ]);
  });

  describe("refuses what it cannot trust with exit 4 and leaves the file as it was", () => {
    let original: Buffer;
    beforeEach(async () => {
      await store().set("github.com/kept", canaryToken());
      original = readFileSync(file);
    });

    it("a wrong passphrase", async () => {
      await expectUnreadable(store("wrong").get("github.com/kept"), /passphrase does not open/);
      await expectUnreadable(store("wrong").set("github.com/new", canaryToken()), /passphrase does not open/);
      await expectUnreadable(store("wrong").delete("github.com/kept"), /passphrase does not open/);
      expect(readFileSync(file)).toEqual(original);
    });

    it("any single flipped byte: header, salt, nonce, check, ciphertext and tag", async () => {
      expect(original.length).toBeGreaterThan(HEADER_LENGTH + 16);
      for (let offset = 0; offset < original.length; offset++) {
        for (const mask of [0x01, 0x80]) {
          const tampered = Buffer.from(original);
          tampered[offset] = (tampered[offset] ?? 0) ^ mask;
          writeFileSync(file, tampered);
          await expectUnreadable(store().get("github.com/kept"), /cannot be read|passphrase does not open/);
          await expectUnreadable(store().set("github.com/kept", "ghp_new"), /cannot be read|passphrase does not open/);
          expect(readFileSync(file).equals(tampered), `offset ${offset} mask ${mask}: file changed`).toBe(true);
        }
      }
    });

    it("truncation at every length", async () => {
      for (let length = 0; length < original.length; length++) {
        const cut = original.subarray(0, length);
        writeFileSync(file, cut);
        await expectUnreadable(store().get("github.com/kept"), /cannot be read/);
        await expectUnreadable(store().delete("github.com/kept"), /cannot be read/);
        expect(readFileSync(file).equals(cut)).toBe(true);
      }
    });

    it("an unknown format version, named as such", async () => {
      for (const version of [0, 2, 255]) {
        const newer = Buffer.from(original);
        newer[8] = version;
        writeFileSync(file, newer);
        await expectUnreadable(store().get("github.com/kept"), new RegExp(`format version is ${version}`));
        await expectUnreadable(store().set("github.com/kept", "ghp_new"), /format version/);
        expect(readFileSync(file).equals(newer)).toBe(true);
      }
    });

    it("key-derivation parameters that would cost gigabytes, before deriving anything", async () => {
      const greedy = Buffer.from(original);
      greedy[10] = 30;
      writeFileSync(file, greedy);
      const source = counted();
      await expectUnreadable(
        new FileStore(file, { passphrase: source }).get("github.com/kept"),
        /key-derivation parameters/,
      );
      expect(source.calls).toEqual([]);
    });

    it("an empty passphrase", async () => {
      await expectUnreadable(store("").get("github.com/kept"), /empty/);
    });
  });
});
