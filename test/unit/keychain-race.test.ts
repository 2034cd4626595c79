import { describe, expect, it, vi } from "vitest";
import { StoreUnavailableError } from "../../src/errors.js";
import { KeychainStore, type Keytar } from "../../src/storage/keychain-store.js";
import { isClientRaceMessage } from "../../src/storage/keyring-race.js";

/**
 * gnome-keyring's client race (src/storage/keyring-race.ts) cannot be made
 * to happen on demand, so keytar is scripted here: each call takes the next
 * outcome. The real keytar against a real keyring is tested elsewhere.
 */
function scriptedKeytar(outcomes: Array<Error | string | boolean | null | undefined>): {
  keytar: Keytar;
  calls: string[];
} {
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
  it("retries a read, a write and a delete that lost the race until they win", async () => {
    const { keytar, calls } = scriptedKeytar([
      race,
      "tok",
      noSession,
      noSession,
      undefined,
      race,
      race,
      race,
      race,
      race,
      true,
    ]);
    const store = new KeychainStore("svc", env, () => keytar);
    expect(await store.get("github.com/a")).toBe("tok");
    await store.set("github.com/a", "tok");
    expect(await store.delete("github.com/a")).toBe(true);
    expect(calls).toEqual(["get", "get", "set", "set", "set", ...Array(6).fill("delete")]);
  });

  it("waits 30 ms, then twice as long each time, and gives up with exit 4 after five retries", async () => {
    vi.useFakeTimers();
    try {
      const always = scriptedKeytar(Array(7).fill(race));
      const outcome = new KeychainStore("svc", env, () => always.keytar).get("github.com/a").then(
        () => "resolved",
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(0);
      const callsAt: number[] = [];
      for (const pause of [30, 60, 120, 240, 480]) {
        callsAt.push(always.calls.length);
        await vi.advanceTimersByTimeAsync(pause - 1);
        expect(always.calls.length, `still waiting ${pause} ms`).toBe(callsAt.at(-1));
        await vi.advanceTimersByTimeAsync(1);
      }
      expect(callsAt).toEqual([1, 2, 3, 4, 5]);
      expect(await outcome).toBeInstanceOf(StoreUnavailableError);
      expect(always.calls).toEqual(Array(6).fill("get"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("never retries other failures", async () => {
    const other = scriptedKeytar([new Error("Cannot autolaunch D-Bus without X11 $DISPLAY")]);
    await expect(new KeychainStore("svc", env, () => other.keytar).get("github.com/a")).rejects.toThrow(
      /Could not read from the OS keychain: Cannot autolaunch/,
    );
    expect(other.calls).toEqual(["get"]);
  });

  it("recognises the race in an error and in secret-tool's stderr, and nothing else", () => {
    expect(isClientRaceMessage(race)).toBe(true);
    expect(isClientRaceMessage("secret-tool: The session does not exist\n")).toBe(true);
    expect(isClientRaceMessage("secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY\n")).toBe(false);
    expect(isClientRaceMessage(new Error("Method Frobnicate is not implemented on interface org.example.Other"))).toBe(
      false,
    );
    expect(isClientRaceMessage(undefined)).toBe(false);
  });
});
