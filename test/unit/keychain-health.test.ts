import { afterEach, describe, expect, it } from "vitest";
import { KeychainStore, type Keytar } from "../../src/storage/keychain-store.js";
import { FakeBus, type FakeAnswer } from "../helpers/fake-bus.js";
import type { Message } from "../../src/storage/dbus/wire.js";

/** A Secret Service whose default keyring is `login`, locked or not, holding no items. */
function secretService(locked: boolean): (call: Message) => FakeAnswer {
  return (call) => {
    if (call.member === "ReadAlias") return { signature: "o", body: ["/org/freedesktop/secrets/collection/login"] };
    if (call.member === "Get") {
      const [, property] = call.body as [string, string];
      return property === "Locked"
        ? { signature: "v", body: [{ signature: "b", value: locked }] }
        : { signature: "v", body: [{ signature: "s", value: "Login" }] };
    }
    if (call.member === "SearchItems") return { signature: "aoao", body: [[], []] };
    return { error: "org.freedesktop.DBus.Error.UnknownMethod", text: `no ${call.member}` };
  };
}

function probeKeytar(): { keytar: Keytar; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    keytar: {
      getPassword: async (_service, account) => {
        reads.push(account);
        return null;
      },
      setPassword: async () => undefined,
      deletePassword: async () => false,
    },
  };
}

describe.runIf(process.platform === "linux")("the keychain store's health check (doctor)", () => {
  let bus: FakeBus | undefined;
  afterEach(async () => {
    await bus?.stop();
    bus = undefined;
  });

  it("asks about the default keyring, then reads one probe through keytar, and asks nothing more", async () => {
    bus = await new FakeBus(secretService(false)).start();
    const { keytar, reads } = probeKeytar();
    const health = await new KeychainStore("svc", bus.env, () => keytar).health();
    expect(health).toMatchObject({ state: "ok" });
    expect(reads).toEqual([`ghpat-doctor-probe/${process.pid}`]);
    // The probe's miss is expected: no item search (a lock check on a fresh connection) follows it.
    expect(bus.calls).toEqual(["ReadAlias", "Get", "Get"]);
  });

  it("reports a locked default keyring without touching keytar", async () => {
    bus = await new FakeBus(secretService(true)).start();
    const { keytar, reads } = probeKeytar();
    const health = await new KeychainStore("svc", bus.env, () => keytar).health();
    expect(health).toMatchObject({ state: "locked", detail: expect.stringContaining("'Login' is locked") });
    expect(reads).toEqual([]);
  });
});
