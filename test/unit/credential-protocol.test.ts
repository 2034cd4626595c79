import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KNOWN_KEYS,
  MAX_INPUT_BYTES,
  MAX_LINE_BYTES,
  parseCredentialRequest,
  serializeCredentialResponse,
} from "../../src/core/credential-protocol.js";

const bytes = (text: string) => Buffer.from(text, "utf8");
const parse = (text: string | Buffer) => parseCredentialRequest(typeof text === "string" ? bytes(text) : text);

function attributes(text: string | Buffer) {
  const result = parse(text);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.attributes;
}

function reason(text: string | Buffer): string {
  const result = parse(text);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.attributes)}`);
  return result.reason;
}

describe("parseCredentialRequest", () => {
  it("reads key=value lines up to the blank line", () => {
    expect(attributes("protocol=https\nhost=github.com\npath=acme/app.git\nusername=octocat\n\n")).toEqual({
      protocol: "https",
      host: "github.com",
      path: "acme/app.git",
      username: "octocat",
    });
  });

  it("accepts EOF without a final LF, and an empty request", () => {
    expect(attributes("protocol=https\nhost=github.com")).toEqual({ protocol: "https", host: "github.com" });
    expect(attributes("")).toEqual({});
    expect(attributes("\n")).toEqual({});
  });

  it("stops at the first blank line and never looks past it", () => {
    expect(attributes("protocol=https\nhost=evil.example\n\nhost=github.com\n")).toEqual({
      protocol: "https",
      host: "evil.example",
    });
    expect(attributes("\nprotocol=https\nhost=github.com\n")).toEqual({});
    // Garbage after the blank line is not parsed at all.
    expect(attributes(Buffer.concat([bytes("protocol=https\n\n"), Buffer.from([0xff, 0x0d, 0x00])]))).toEqual({
      protocol: "https",
    });
  });

  it("splits on LF only: CR, U+2028, U+2029 and U+0085 stay inside the value or reject it", () => {
    expect(reason("protocol=https\r\nhost=github.com\r\n")).toMatch(/carriage return/);
    expect(reason("protocol=https\nhost=evil.example\rhost=github.com\n")).toMatch(/carriage return/);
    expect(reason("protocol=https\nhost=localhost:13337\nusername=\rprotocol=https\rhost=github.com\r\n")).toMatch(
      /carriage return/,
    );
    for (const separator of ["\u2028", "\u2029", "\u0085", "\u000b", "\u000c"]) {
      expect(attributes(`protocol=https\nhost=evil.example${separator}host=github.com\n`)).toEqual({
        protocol: "https",
        host: `evil.example${separator}host=github.com`,
      });
    }
  });

  it("rejects NUL anywhere in a line", () => {
    expect(reason("protocol=https\nhost=github.com\0.evil.example\n")).toMatch(/NUL/);
    expect(reason("protocol=https\0\nhost=github.com\n")).toMatch(/NUL/);
    expect(reason("wwwauth[]=Basic\0\nprotocol=https\n")).toMatch(/NUL/);
  });

  it("rejects a line without '=' and an empty key", () => {
    expect(reason("protocol=https\nhost=github.com\ngarbage\n")).toMatch(/no '='/);
    expect(reason("protocol=https\n=github.com\n")).toMatch(/empty key/);
  });

  it("splits at the first '=' and keeps values exactly, spaces and '=' included", () => {
    expect(attributes("host= github.com \npassword=a=b==\nusername=\n")).toEqual({
      host: " github.com ",
      password: "a=b==",
      username: "",
    });
  });

  it("treats keys case-sensitively, ignoring unknown ones", () => {
    expect(attributes("Protocol=https\nHOST=github.com\nurl=https://github.com/\nquit=1\n")).toEqual({});
  });

  it("rejects duplicate keys, known or not", () => {
    expect(reason("protocol=https\nhost=evil.example\nhost=github.com\n")).toMatch(/'host' appears twice/);
    expect(reason("protocol=http\nprotocol=https\nhost=github.com\n")).toMatch(/twice/);
    expect(reason("host=github.com\nusername=a\nusername=a\n")).toMatch(/twice/);
    expect(reason("foo=1\nfoo=2\n")).toMatch(/twice/);
  });

  it("ignores array keys (wwwauth[], capability[]) even when repeated", () => {
    const text =
      'capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=github.com\nwwwauth[]=Basic realm="GitHub"\nwwwauth[]=Bearer\n';
    expect(attributes(text)).toEqual({ protocol: "https", host: "github.com" });
  });

  it("bounds line length at 65535 bytes and the input at 1 MiB", () => {
    const atLimit = `wwwauth[]=${"a".repeat(MAX_LINE_BYTES - "wwwauth[]=".length)}`;
    expect(attributes(`protocol=https\n${atLimit}\nhost=github.com\n`)).toEqual({
      protocol: "https",
      host: "github.com",
    });
    expect(reason(`protocol=https\n${atLimit}a\nhost=github.com\n`)).toMatch(/longer than 65535/);
    // A last line without LF is measured too.
    expect(reason(`protocol=https\nhost=github.com\n${atLimit}a`)).toMatch(/longer than 65535/);
    const line = `wwwauth[]=${"b".repeat(60_000)}\n`;
    const big = `protocol=https\nhost=github.com\n${line.repeat(Math.ceil(MAX_INPUT_BYTES / line.length))}`;
    expect(big.length).toBeGreaterThan(MAX_INPUT_BYTES);
    expect(reason(big)).toMatch(/larger than/);
    // ...and the limit holds even when the excess comes after the blank line.
    expect(reason(`protocol=https\n\n${"c".repeat(MAX_INPUT_BYTES)}`)).toMatch(/larger than/);
  });

  it("rejects invalid UTF-8 in keys and in the values ghpat uses", () => {
    for (const bad of [[0xff], [0xc0, 0xae], [0xed, 0xa0, 0x80], [0xe2, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      for (const key of KNOWN_KEYS) {
        const input = Buffer.concat([
          bytes(key === "protocol" || key === "host" ? "" : "protocol=https\nhost=github.com\n"),
          bytes(`${key}=`),
          Buffer.from(bad),
          bytes("\n"),
        ]);
        expect(reason(input)).toMatch(/UTF-8/);
      }
      const inKey = Buffer.concat([bytes("protocol=https\nwwwauth"), Buffer.from(bad), bytes("[]=x\n")]);
      expect(reason(inKey)).toMatch(/UTF-8/);
    }
    // Valid multi-byte characters are fine.
    expect(attributes("path=ö/ü.git\n")).toEqual({ path: "ö/ü.git" });
  });

  it("ignores any bytes in the values it drops, as a server's Latin-1 realm in wwwauth[]", () => {
    const realm = Buffer.concat([bytes('wwwauth[]=Basic realm="Z'), Buffer.from([0xfc]), bytes('rich"\n')]);
    expect(attributes(Buffer.concat([bytes("protocol=https\nhost=github.com\n"), realm, realm]))).toEqual({
      protocol: "https",
      host: "github.com",
    });
    expect(
      attributes(Buffer.concat([bytes("protocol=https\nhost=github.com\nurl="), Buffer.from([0xff]), bytes("\n")])),
    ).toEqual({ protocol: "https", host: "github.com" });
    // Their bytes are still checked for what could end a line.
    expect(
      reason(
        Buffer.concat([bytes("protocol=https\nhost=github.com\nwwwauth[]="), Buffer.from([0xfc, 0x0d]), bytes("\n")]),
      ),
    ).toMatch(/carriage return/);
  });

  it("never throws, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
        const result = parseCredentialRequest(input);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });

  it("never accepts a value holding CR, LF or NUL", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("protocol", "host", "path", "username", "password", "wwwauth[]"),
            fc.string({ unit: "binary", maxLength: 30 }),
          ),
          { maxLength: 6 },
        ),
        (pairs) => {
          const text = pairs.map(([k, v]) => `${k}=${v}\n`).join("");
          const result = parse(text);
          if (!result.ok) return;
          for (const value of Object.values(result.attributes)) expect(value).not.toMatch(/[\r\n\0]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("serializeCredentialResponse", () => {
  it("writes key=value lines with LF", () => {
    expect(
      serializeCredentialResponse([
        ["username", "octocat"],
        ["password", "ghp_x"],
        ["password_expiry_utc", "1798761600"],
      ]),
    ).toBe("username=octocat\npassword=ghp_x\npassword_expiry_utc=1798761600\n");
  });

  it("refuses any key or value that could break out of its line", () => {
    for (const value of ["a\nhost=evil", "a\rb", "a\0b", "\n"]) {
      expect(
        serializeCredentialResponse([
          ["username", "ok"],
          ["password", value],
        ]),
      ).toBeNull();
      expect(
        serializeCredentialResponse([
          ["username", value],
          ["password", "ok"],
        ]),
      ).toBeNull();
    }
    expect(serializeCredentialResponse([["pass=word", "x"]])).toBeNull();
    expect(serializeCredentialResponse([["", "x"]])).toBeNull();
  });

  it("round-trips through the parser for every safe value", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }).filter((s) => !/[\r\n\0]/.test(s)),
        fc.string({ unit: "grapheme", maxLength: 60 }).filter((s) => !/[\r\n\0]/.test(s)),
        (username, password) => {
          const text = serializeCredentialResponse([
            ["username", username],
            ["password", password],
          ]);
          expect(text).not.toBeNull();
          expect(attributes(text ?? "")).toEqual({ username, password });
        },
      ),
    );
  });
});
