import { describe, expect, it } from "vitest";
import {
  decodeMessage,
  encodeMessage,
  messageLength,
  parseSignature,
  Reader,
  Writer,
  MessageType,
  type DType,
} from "../../src/storage/dbus/wire.js";
import { DBusConnection, sessionBusPaths } from "../../src/storage/dbus/connection.js";
import { SecretServiceClient, itemState, SecretServiceUnavailable } from "../../src/storage/secret-service.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";
import { FakeBus } from "../helpers/fake-bus.js";
import { secretTool } from "../helpers/keyring.js";
import { randomBytes } from "node:crypto";

function one(signature: string): DType {
  const [type] = parseSignature(signature);
  if (!type) throw new Error(`no type in ${signature}`);
  return type;
}

function roundTrip(signature: string, values: unknown[]): unknown[] {
  const writer = new Writer();
  const types = parseSignature(signature);
  types.forEach((t, i) => writer.value(t, values[i]));
  const reader = new Reader(writer.toBuffer(), true);
  return types.map((t) => reader.value(t));
}

describe("D-Bus wire format", () => {
  it("round-trips every type ghpat uses, alignment included", () => {
    const values = [
      7,
      true,
      "héllo",
      "/org/x",
      "a{sv}",
      [
        ["k", "v"],
        ["service", "ghpat"],
      ],
      [1, "s", [2n, 3.5]],
      { signature: "as", value: ["a", "b"] },
      -5,
      65535,
      2n ** 40n,
    ];
    expect(roundTrip("ybsoga{ss}(ys(td))viqx", values)).toEqual([
      7,
      true,
      "héllo",
      "/org/x",
      "a{sv}",
      [
        ["k", "v"],
        ["service", "ghpat"],
      ],
      [1, "s", [2n, 3.5]],
      { signature: "as", value: ["a", "b"] },
      -5,
      65535,
      2n ** 40n,
    ]);
  });

  it("pads an empty array to its element's alignment", () => {
    // u32 length, then padding to 8 for the struct elements, counted outside the length.
    const writer = new Writer();
    writer.value(one("a(tt)"), []);
    expect(writer.toBuffer()).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));
  });

  it("reads big-endian messages too", () => {
    const buffer = Buffer.alloc(8);
    buffer.writeUInt32BE(3, 0);
    buffer.write("abc\0", 4, "latin1");
    expect(new Reader(buffer, false).value(one("s"))).toBe("abc");
  });

  it("refuses malformed signatures and truncated data instead of looping", () => {
    expect(() => parseSignature("a{s")).toThrow();
    expect(() => parseSignature("(s")).toThrow();
    expect(() => parseSignature("z")).toThrow();
    expect(() => new Reader(Buffer.from([9, 0, 0, 0, 65]), true).value(one("s"))).toThrow(/ends early/);
  });

  it("frames a message and decodes its header fields and body", () => {
    const bytes = encodeMessage({
      type: MessageType.methodCall,
      flags: 0,
      serial: 42,
      destination: "org.freedesktop.secrets",
      path: "/org/freedesktop/secrets",
      interface: "org.freedesktop.Secret.Service",
      member: "SearchItems",
      signature: "a{ss}",
      body: [[["service", "ghpat"]]],
    });
    expect(messageLength(bytes.subarray(0, 10))).toBeNull();
    expect(messageLength(Buffer.concat([bytes, Buffer.from([1, 2, 3])]))).toBe(bytes.length);
    const message = decodeMessage(bytes);
    expect(message).toMatchObject({
      type: 1,
      serial: 42,
      member: "SearchItems",
      path: "/org/freedesktop/secrets",
      signature: "a{ss}",
      body: [[["service", "ghpat"]]],
    });
  });

  it("finds the bus socket in the address the way GLib does", () => {
    expect(
      sessionBusPaths({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/tmp/a%20b,guid=1;unix:abstract=/tmp/dbus-x" }),
    ).toEqual(["/tmp/a b", "\0/tmp/dbus-x"]);
    expect(sessionBusPaths({ XDG_RUNTIME_DIR: "/run/user/1" })).toEqual(["/run/user/1/bus"]);
    expect(sessionBusPaths({ DBUS_SESSION_BUS_ADDRESS: "", XDG_RUNTIME_DIR: "/run/user/1" })).toEqual([]);
    expect(sessionBusPaths({ DBUS_SESSION_BUS_ADDRESS: "tcp:host=localhost,port=1" })).toEqual([]);
  });
});

describe("gnome-keyring's client race", () => {
  const notImplemented = {
    error: "org.freedesktop.DBus.Error.UnknownMethod",
    text: "Method SearchItems is not implemented on interface org.freedesktop.Secret.Service",
  };
  const found = { signature: "aoao", body: [["/org/freedesktop/secrets/collection/login/1"], []] };

  it("retries a call refused as an unknown method until the client exists", async () => {
    // gnome-keyring registers a new connection as its client after a round trip to the bus daemon; a call dispatched before that is refused so.
    let searches = 0;
    const bus = await new FakeBus((call) =>
      call.member === "SearchItems" && ++searches <= 3 ? notImplemented : found,
    ).start();
    try {
      expect(await itemState(bus.env, "s", "github.com/a")).toBe("unlocked");
      expect(bus.calls).toEqual(["SearchItems", "SearchItems", "SearchItems", "SearchItems"]);
    } finally {
      await bus.stop();
    }
  });

  it("reports a method that stays unknown after five retries, without looping", async () => {
    const bus = await new FakeBus(() => notImplemented).start();
    try {
      await expect(itemState(bus.env, "s", "github.com/a")).rejects.toThrow(/SearchItems is not implemented/);
      expect(bus.calls).toEqual(Array(6).fill("SearchItems"));
    } finally {
      await bus.stop();
    }
  });
});

describeKeychain("the Secret Service over D-Bus", () => {
  const env = keyringEnv ?? {};

  it("says no bus when there is none, without hanging", async () => {
    await expect(DBusConnection.open({ DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" })).rejects.toThrow(
      /session bus/,
    );
    await expect(itemState({ DBUS_SESSION_BUS_ADDRESS: "" }, "s", "a")).rejects.toBeInstanceOf(
      SecretServiceUnavailable,
    );
  });

  it("lists items with their attributes and tells present from absent, reading no secret", async () => {
    const service = `ghpat-dbus-${randomBytes(4).toString("hex")}`;
    const store = (args: string[]) =>
      expect(secretTool({ env }, ["store", "--label=t", ...args], "s3cret").status).toBe(0);
    // Foreign first: gnome-keyring's "replace" matches a subset of attributes, so a later {service} item would replace ours.
    store(["service", service]);
    store(["service", service, "account", "github.com/a"]);
    try {
      expect(await itemState(env, service, "github.com/a")).toBe("unlocked");
      expect(await itemState(env, service, "github.com/b")).toBe("absent");
      const client = await SecretServiceClient.open(env);
      try {
        const items = await client.items({ service });
        expect(items.map((i) => i.attributes.account ?? null).sort()).toEqual(["github.com/a", null]);
        expect(JSON.stringify(items)).not.toContain("s3cret");
        expect(await client.defaultCollection()).toMatchObject({ locked: false });
      } finally {
        client.close();
      }
    } finally {
      secretTool({ env }, ["clear", "service", service]);
    }
  });
});
