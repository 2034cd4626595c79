/**
 * Property-based tests of the credential path (issue 7): whatever bytes git
 * (or something pretending to be git) sends, the parser never throws and a
 * token is only ever routed to the exact host it is stored for.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_INPUT_BYTES,
  MAX_LINE_BYTES,
  parseCredentialRequest,
  serializeCredentialResponse,
} from "../../src/core/credential-protocol.js";
import { makeRecord } from "../helpers/records.js";
import { routeCredential } from "../../src/core/routing.js";

const STORED_HOST = "github.com";

const stored = makeRecord("octocat", { host: STORED_HOST, default: true });

/** Pieces that make random input look like real, hostile and broken requests. */
const fragment = fc.oneof(
  fc.constantFrom(
    "protocol=https\n",
    "protocol=http\n",
    "host=github.com\n",
    "host=GitHub.COM\n",
    "host=github.com.evil.example\n",
    "host=evilgithub.com\n",
    "host=api.github.com\n",
    "host=github.com:443\n",
    "host=github.com#@evil.example\n",
    "host=evil.example\n",
    "host=github.com\r\n",
    "host=github.com\u2028evil.example\n",
    "host=\u212Aithub.com\n",
    "host=\n",
    "username=octocat\n",
    "path=octocat/hello.git\n",
    'wwwauth[]=Basic realm="GitHub"\n',
    "capability[]=authtype\n",
    "\n",
    "\r",
    "\0",
    "=",
    "\u0085",
  ),
  fc.string({ unit: "binary", maxLength: 20 }),
);

const requestBytes = fc.oneof(
  fc.array(fragment, { maxLength: 12 }).map((parts) => Buffer.from(parts.join(""), "utf8")),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
);

describe("credential protocol properties", () => {
  it("never answers with a stored token for any host but the stored one, whatever the bytes", () => {
    fc.assert(
      fc.property(requestBytes, (input) => {
        const parsed = parseCredentialRequest(input);
        if (!parsed.ok) return;
        const route = routeCredential(parsed.attributes, [stored], { env: {}, now: new Date("2026-06-01T00:00:00Z") });
        if (route.kind !== "stored") return;
        expect(parsed.attributes.protocol).toBe("https");
        expect(parsed.attributes.host?.replace(/[A-Z]/g, (c) => c.toLowerCase())).toBe(STORED_HOST);
      }),
      { numRuns: 3000 },
    );
  });

  it("round-trips every request made of safe values through serialize and parse", () => {
    const safe = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s));
    const request = fc.record(
      { protocol: safe, host: safe, path: safe, username: safe, password: safe },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (attributes) => {
        const text = serializeCredentialResponse(Object.entries(attributes));
        expect(text).not.toBeNull();
        const parsed = parseCredentialRequest(Buffer.from(text ?? "", "utf8"));
        expect(parsed).toEqual({ ok: true, attributes });
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on up to 1 MiB of pathological input, and refuses what breaks the limits", () => {
    const cases: Array<[string, Buffer, boolean]> = [
      ["1 MiB of '='", Buffer.alloc(MAX_INPUT_BYTES, "="), false],
      ["1 MiB of CR", Buffer.alloc(MAX_INPUT_BYTES, "\r"), false],
      ["1 MiB of NUL", Buffer.alloc(MAX_INPUT_BYTES, 0), false],
      ["1 MiB of 0xFF (invalid UTF-8)", Buffer.alloc(MAX_INPUT_BYTES, 0xff), false],
      ["one line one byte over the limit", Buffer.from(`host=${"a".repeat(MAX_LINE_BYTES - 4)}\n`), false],
      ["one line at the limit", Buffer.from(`host=${"a".repeat(MAX_LINE_BYTES - 5)}\n`), true],
      [
        "input one byte over 1 MiB, blank line early",
        Buffer.concat([Buffer.from("protocol=https\n"), Buffer.alloc(MAX_INPUT_BYTES - 14, "\n")]),
        false,
      ],
      ["100,000 short unknown array lines", Buffer.from("wwwauth[]=x\n".repeat(87_000)), true],
      ["a million U+2028", Buffer.from("\u2028".repeat(340_000)), false],
    ];
    for (const [label, input, acceptable] of cases) {
      const result = parseCredentialRequest(input);
      expect(typeof result.ok, label).toBe("boolean");
      if (!acceptable) expect(result.ok, label).toBe(false);
    }
    expect(parseCredentialRequest(Buffer.alloc(MAX_INPUT_BYTES + 1, "\n")).ok).toBe(false);
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_INPUT_BYTES - 16, max: MAX_INPUT_BYTES + 16 }),
        fc.constantFrom("a", "\n", "=", "\r", "\u00e9"),
        (size, filler) => {
          const input = Buffer.alloc(size, filler);
          const result = parseCredentialRequest(input);
          if (size > MAX_INPUT_BYTES) expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 20 },
    );
  });
});
