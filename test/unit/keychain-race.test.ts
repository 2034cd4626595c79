import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import { KeychainStore, type Keytar } from "../../src/storage/keychain-store.js";
import { isClientRaceMessage } from "../../src/storage/keyring-race.js";

/**
 * gnome-keyring's client race (src/storage/keyring-race.ts) cannot be made
 * to happen on demand, so keytar is scripted here: each call takes the next
 * outcome. The real keytar against a real keyring is tested elsewhere.
 */
function scriptedKeytar(outcomes: Array<Error | string | boolean | null | undefined>): { keytar: Keytar; calls: string[] } {
  const calls: string[] = [];
  const next = async (name: string) => {
    calls.push(name);
    const outcome = outcomes.shift();
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return {
    calls,
    keytar: {
      getPassword: async () => (await next("get")) as string | null,
      setPassword: async () => void (await next("set")),
      deletePassword: async () => (await next("delete")) as boolean,
    },
  };
}

const race = new Error("Method SearchItems is not implemented on interface org.freedesktop.Secret.Service");
const noSession = new Error("The session does not exist");
// No bus: should a lock check run, it cannot reach a real keyring.
const env = { DBUS_SESSION_BUS_ADDRESS: "" };

describe("the keychain store and gnome-keyring's client race", () => {
  it("retries a read, a write and a delete that lost the race, once each", async () => {
    const { keytar, calls } = scriptedKeytar([race, "tok", noSession, undefined, race, true]);
    const store = new KeychainStore("svc", env, () => keytar);
    expect(await store.get("github.com/a")).toBe("tok");
    await store.set("github.com/a", "tok");
    expect(await store.delete("github.com/a")).toBe(true);
    expect(calls).toEqual(["get", "get", "set", "set", "delete", "delete"]);
  });

  it("gives up after one retry with exit 4, and never retries other failures", async () => {
    const twice = scriptedKeytar([race, race]);
    await expect(new KeychainStore("svc", env, () => twice.keytar).get("github.com/a")).rejects.toThrow(StoreUnavailableError);
    expect(twice.calls).toEqual(["get", "get"]);

    const other = scriptedKeytar([new Error("Cannot autolaunch D-Bus without X11 $DISPLAY")]);
    await expect(new KeychainStore("svc", env, () => other.keytar).get("github.com/a")).rejects.toThrow(/Could not read from the OS keychain: Cannot autolaunch/);
    expect(other.calls).toEqual(["get"]);
  });

  it("recognises the race in an error and in secret-tool's stderr, and nothing else", () => {
    expect(isClientRaceMessage(race)).toBe(true);
    expect(isClientRaceMessage("secret-tool: The session does not exist\n")).toBe(true);
    expect(isClientRaceMessage("secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY\n")).toBe(false);
    expect(isClientRaceMessage(new Error("Method Frobnicate is not implemented on interface org.example.Other"))).toBe(false);
    expect(isClientRaceMessage(undefined)).toBe(false);
  });
});
