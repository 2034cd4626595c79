import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findTokens, looksBinary, mayHoldToken, maskToken } from "../../src/core/scan/detect.js";
import { macMatches, macUnderKey, scanKeyId, secretMac } from "../../src/core/secret-mac.js";
import { checksumOf, TOKEN_IN_TEXT } from "../../src/core/token-format.js";
import { canaryFineGrained, canaryInstallationJwt, canaryToken } from "../helpers/canary.js";

/** A ghp_ token whose last character is changed, so that its CRC-32 no longer matches. */
function lookAlike(token: string): string {
  const last = token.at(-1) === "A" ? "B" : "A";
  return `${token.slice(0, -1)}${last}`;
}

describe("findTokens", () => {
  it("finds every kind, with its offset and checksum state", () => {
    const classic = canaryToken("ghp_");
    const oauth = canaryToken("gho_");
    const user = canaryToken("ghu_");
    const refresh = canaryToken("ghr_");
    const fine = canaryFineGrained();
    const jwt = canaryInstallationJwt();
    const install = `ghs_${"a1B2".repeat(9)}`;
    const text = `a=${classic}\n"${oauth}" ${user},${refresh}\nTOKEN=${fine}\nx ${jwt}.\n${install}`;
    const found = findTokens(Buffer.from(text));
    expect(found.map((c) => [c.token, c.kind, c.checksum])).toEqual([
      [classic, "classic", "valid"],
      [oauth, "oauth", "valid"],
      [user, "user-to-server", "valid"],
      [refresh, "refresh", "valid"],
      [fine, "fine-grained", "none"],
      [jwt, "installation", "none"],
      [install, "installation", "none"],
    ]);
    for (const c of found) expect(text.indexOf(c.token)).toBe(c.offset);
  });

  it("marks a checksum-failing look-alike invalid", () => {
    const fake = lookAlike(canaryToken());
    expect(findTokens(Buffer.from(`k: ${fake}`))).toEqual([
      { token: fake, offset: 3, kind: "classic", checksum: "invalid" },
    ]);
  });

  it("takes no token out of a longer word or a run of the wrong length", () => {
    const token = canaryToken();
    expect(findTokens(Buffer.from(`x${token}`))).toEqual([]);
    expect(findTokens(Buffer.from(`${token}Z`))).toEqual([]);
    expect(findTokens(Buffer.from(`${token}_`))).toEqual([]);
    expect(findTokens(Buffer.from(token.slice(0, -1)))).toEqual([]);
    expect(findTokens(Buffer.from(`github_pat_${"a".repeat(82)}`))).toEqual([]);
    expect(findTokens(Buffer.from(`ghs_${"a".repeat(35)}`))).toEqual([]);
    expect(findTokens(Buffer.from("ghp_ ghx_ gh gho_short github_pat_"))).toEqual([]);
  });

  it("finds a token at the very end of the buffer and between punctuation", () => {
    const token = canaryToken();
    expect(findTokens(Buffer.from(token)).map((c) => c.token)).toEqual([token]);
    expect(findTokens(Buffer.from(`https://${token}@github.com/x`)).map((c) => c.token)).toEqual([token]);
  });

  it("agrees with a regular expression on random text with tokens in it", () => {
    const pattern =
      /(?<![A-Za-z0-9])(?:gh[pour]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.constant("gh"),
            fc.constant("ghp_"),
            fc.constantFrom(canaryToken(), canaryFineGrained(), lookAlike(canaryToken())),
          ),
          { maxLength: 12 },
        ),
        (parts) => {
          const text = parts.join("");
          const expected = [...text.matchAll(pattern)].map((m) => m[0]);
          const found = findTokens(Buffer.from(text, "latin1"))
            .filter((c) => c.kind !== "installation")
            .map((c) => c.token);
          expect(found).toEqual(expected);
        },
      ),
    );
  });

  it("checks the checksum GitHub computes", () => {
    const body = "a".repeat(30);
    const [good] = findTokens(Buffer.from(`ghp_${body}${checksumOf(body)}`));
    expect(good?.checksum).toBe("valid");
  });
});

describe("the cheap tests", () => {
  it("mayHoldToken says no only when no prefix is there", () => {
    expect(mayHoldToken(Buffer.from("light high night gh"))).toBe(false);
    expect(mayHoldToken(Buffer.from(`x ${canaryToken()}`))).toBe(true);
    expect(mayHoldToken(Buffer.from("see github_pat_"))).toBe(true);
  });

  it("looksBinary goes by a NUL byte", () => {
    expect(looksBinary(Buffer.from([0x41, 0x00, 0x42]))).toBe(true);
    expect(looksBinary(Buffer.from("text\n"))).toBe(false);
  });

  it("maskToken keeps the prefix and last four, and the result is no token", () => {
    const token = canaryToken();
    const masked = maskToken(token);
    expect(masked).toBe(`ghp_********${token.slice(-4)}`);
    expect(new RegExp(TOKEN_IN_TEXT).test(masked)).toBe(false);
    expect(maskToken(canaryFineGrained()).startsWith("github_pat_********")).toBe(true);
  });
});

describe("secretMac", () => {
  it("names its key and matches only its own token", () => {
    const key = Buffer.alloc(32, 7);
    const other = Buffer.alloc(32, 8);
    const token = canaryToken();
    const mac = secretMac(key, token);
    expect(mac.startsWith(`${scanKeyId(key)}:`)).toBe(true);
    expect(mac).not.toContain(token);
    expect(mac).not.toContain(token.slice(4, 20));
    expect(macUnderKey(mac, key)).toBe(true);
    expect(macUnderKey(mac, other)).toBe(false);
    expect(macUnderKey(undefined, key)).toBe(false);
    expect(macMatches(mac, key, token)).toBe(true);
    expect(macMatches(mac, key, canaryToken())).toBe(false);
    expect(macMatches(mac, other, token)).toBe(false);
    expect(macMatches("short", key, token)).toBe(false);
  });
});
