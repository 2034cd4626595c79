import { createCipheriv, getDiffieHellman, hkdfSync, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { KeychainLockedError, KeychainStore, type Keytar } from "../../src/storage/keychain-store.js";
import type { Message, Variant } from "../../src/storage/dbus/wire.js";
import { decryptSecret, ENCRYPTED_TRANSFER, startKeyExchange } from "../../src/storage/secret-session.js";
import { FakeBus, type FakeAnswer } from "../helpers/fake-bus.js";

/** The Secret Service's half of the exchange, as gnome-keyring computes it, with Node's own DiffieHellman. */
const service = getDiffieHellman("modp2");
service.generateKeys();

function serviceKey(clientPublicKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", service.computeSecret(clientPublicKey), Buffer.alloc(0), Buffer.alloc(0), 16));
}

function encrypt(key: Buffer, plain: Buffer): { iv: Buffer; value: Buffer } {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-128-cbc", key, iv);
  return { iv, value: Buffer.concat([cipher.update(plain), cipher.final()]) };
}

describe("the Secret Service's encrypted transfer", () => {
  it("derives the key the service derives, and decrypts what it sends", () => {
    const exchange = startKeyExchange();
    const key = serviceKey(exchange.publicKey);
    expect(exchange.sessionKey(service.getPublicKey())).toEqual(key);
    const { iv, value } = encrypt(key, Buffer.from("ghp_secret"));
    expect(value.includes(Buffer.from("ghp_secret"))).toBe(false);
    expect(decryptSecret(exchange.sessionKey(service.getPublicKey()), iv, value).toString()).toBe("ghp_secret");
  });

  it("agrees on the key when the shared secret starts with a zero byte (about one exchange in 256)", () => {
    let tries = 0;
    for (;;) {
      tries++;
      const exchange = startKeyExchange();
      const shared = service.computeSecret(exchange.publicKey);
      if (shared[0] !== 0) {
        if (tries > 4000) throw new Error("no shared secret with a leading zero in 4,000 exchanges");
        continue;
      }
      expect(exchange.sessionKey(service.getPublicKey())).toEqual(serviceKey(exchange.publicKey));
      return;
    }
  });

  it("refuses a public value outside the group instead of deriving a key from it", () => {
    const exchange = startKeyExchange();
    expect(() => exchange.sessionKey(Buffer.of(1))).toThrow();
  });
});

interface Item {
  path: string;
  locked: boolean;
  secret: string;
  contentType?: string;
}

/** A Secret Service on a scripted bus: one collection's items, DH sessions as gnome-keyring offers them (or not). */
function secretService(items: Item[], options: { encrypted?: boolean } = {}) {
  const algorithms: string[] = [];
  const searches: Array<Record<string, string>> = [];
  let key: Buffer | undefined;
  const answer = (call: Message): FakeAnswer => {
    if (call.member === "OpenSession") {
      const [algorithm, input] = call.body as [string, Variant];
      algorithms.push(algorithm);
      if (algorithm !== ENCRYPTED_TRANSFER || options.encrypted === false)
        return { error: "org.freedesktop.DBus.Error.NotSupported", text: "Algorithm not supported" };
      key = serviceKey(input.value as Buffer);
      return { signature: "vo", body: [{ signature: "ay", value: service.getPublicKey() }, "/session/1"] };
    }
    if (call.member === "SearchItems") {
      searches.push(Object.fromEntries(call.body[0] as Array<[string, string]>));
      return {
        signature: "aoao",
        body: [items.filter((i) => !i.locked).map((i) => i.path), items.filter((i) => i.locked).map((i) => i.path)],
      };
    }
    if (call.member === "GetSecret") {
      const item = items.find((i) => i.path === call.path);
      if (!item || !key) return { error: "org.freedesktop.Secret.Error.NoSuchObject", text: "no such item" };
      const { iv, value } = encrypt(key, Buffer.from(item.secret));
      return { signature: "(oayays)", body: [["/session/1", iv, value, item.contentType ?? "text/plain"]] };
    }
    return { error: "org.freedesktop.DBus.Error.UnknownMethod", text: `no ${call.member}` };
  };
  return { answer, algorithms, searches };
}

function keytarThatAnswers(secret: string | null): { keytar: Keytar; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    keytar: {
      getPassword: async (_service, account) => {
        reads.push(account);
        return secret;
      },
      setPassword: async () => undefined,
      deletePassword: async () => false,
    },
  };
}

describe.runIf(process.platform === "linux")("the keychain store's read over D-Bus", () => {
  let bus: FakeBus | undefined;
  afterEach(async () => {
    await bus?.stop();
    bus = undefined;
  });

  async function storeOn(fake: ReturnType<typeof secretService>, keytar: Keytar, env: Record<string, string> = {}) {
    bus = await new FakeBus(fake.answer).start();
    return new KeychainStore("svc", { ...bus.env, ...env }, () => keytar);
  }

  it("reads an unlocked item over one encrypted session, searching as keytar does, without loading keytar", async () => {
    const fake = secretService([{ path: "/item/1", locked: false, secret: "ghp_fromthebus" }]);
    const { keytar, reads } = keytarThatAnswers("from keytar");
    const store = await storeOn(fake, keytar);
    expect(await store.get("github.com/work")).toBe("ghp_fromthebus");
    expect(reads).toEqual([]);
    expect(fake.algorithms).toEqual([ENCRYPTED_TRANSFER]);
    expect(fake.searches).toEqual([
      { service: "svc", account: "github.com/work", "xdg:schema": "org.freedesktop.Secret.Generic" },
    ]);
    expect([...(bus?.calls ?? [])].sort()).toEqual(["GetSecret", "OpenSession", "SearchItems"]);
  });

  it("answers 'no secret' for a missing item, and reads nothing", async () => {
    const fake = secretService([]);
    const { keytar, reads } = keytarThatAnswers("from keytar");
    const store = await storeOn(fake, keytar);
    expect(await store.get("github.com/work")).toBeNull();
    expect(reads).toEqual([]);
    expect(bus?.calls).not.toContain("GetSecret");
  });

  it("calls a locked item locked where no display could show the unlock prompt, and leaves it to keytar where one could", async () => {
    const locked = [{ path: "/item/1", locked: true, secret: "ghp_locked" }];
    const headless = keytarThatAnswers("from keytar");
    await expect((await storeOn(secretService(locked), headless.keytar)).get("github.com/work")).rejects.toBeInstanceOf(
      KeychainLockedError,
    );
    expect(headless.reads).toEqual([]);
    await bus?.stop();
    bus = undefined;
    const desktop = keytarThatAnswers("unlocked by the prompt");
    const store = await storeOn(secretService(locked), desktop.keytar, { DISPLAY: ":0" });
    expect(await store.get("github.com/work")).toBe("unlocked by the prompt");
    expect(desktop.reads).toEqual(["github.com/work"]);
  });

  it("never asks for the plain transfer: a service without the encrypted one is left to keytar", async () => {
    const fake = secretService([{ path: "/item/1", locked: false, secret: "ghp_fromthebus" }], { encrypted: false });
    const { keytar, reads } = keytarThatAnswers("from keytar");
    const store = await storeOn(fake, keytar);
    expect(await store.get("github.com/work")).toBe("from keytar");
    expect(reads).toEqual(["github.com/work"]);
    expect(fake.algorithms).toEqual([ENCRYPTED_TRANSFER]);
    expect(bus?.calls).not.toContain("GetSecret");
  });

  it("leaves to keytar a secret that libsecret would not call a password", async () => {
    for (const item of [
      { path: "/item/1", locked: false, secret: "ghp_x", contentType: "application/x-binary" },
      { path: "/item/1", locked: false, secret: "ghp\u0000x" },
    ]) {
      const { keytar, reads } = keytarThatAnswers("from keytar");
      const store = await storeOn(secretService([item]), keytar);
      expect(await store.get("github.com/work")).toBe("from keytar");
      expect(reads).toEqual(["github.com/work"]);
      await bus?.stop();
      bus = undefined;
    }
  });
});
