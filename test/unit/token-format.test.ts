import { describe, expect, it } from "vitest";
import {
  checksumOf,
  checkTokenFormat,
  classifyToken,
  fingerprint,
  looksLikeToken,
} from "../../src/core/token-format.js";
import { canaryFineGrained, canaryInstallationJwt, canaryToken } from "../helpers/canary.js";

const PUBLIC_EXAMPLES = ["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", "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"];
const errors = (token: string) =>
  checkTokenFormat(token)
    .problems.filter((p) => p.severity === "error")
    .map((p) => p.code);

describe("token format", () => {
  it.each(PUBLIC_EXAMPLES)("accepts the public revoked example %s", (token) => {
    expect(checkTokenFormat(token)).toEqual({ type: "classic", prefix: "ghp_", problems: [] });
  });

  it("refuses a token shorter than any GitHub issues or longer than any could be", () => {
    expect(errors("ghp_abc")).toEqual(["length"]);
    expect(errors(`ghp_${"a".repeat(4996)}`)).toEqual(["length"]);
    expect(errors(canaryInstallationJwt())).toEqual([]);
  });

  it("computes the base-62 checksum of the 30 body characters", () => {
    expect(checksumOf("M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq")).toBe("11T4V4");
    expect(checksumOf("HEEjXavM6wKtyhAUwDblMznMEhWyTt")).toBe("4XwY6f");
  });

  it("rejects the first example with its last character changed", () => {
    const [first] = PUBLIC_EXAMPLES as [string];
    for (const replacement of ["5", "3", "a", "Z"]) {
      expect(errors(first.slice(0, -1) + replacement)).toEqual(["checksum"]);
    }
  });

  it("rejects every single-character change of the body", () => {
    const [first] = PUBLIC_EXAMPLES as [string];
    for (let i = 4; i < first.length; i++) {
      const changed = first.slice(0, i) + (first[i] === "A" ? "B" : "A") + first.slice(i + 1);
      expect(errors(changed), `position ${i}`).toEqual(["checksum"]);
    }
  });

  it("rejects a swap of two adjacent body characters", () => {
    const [first] = PUBLIC_EXAMPLES as [string];
    const swapped = first.slice(0, 5) + first[6] + first[5] + first.slice(7);
    expect(errors(swapped)).toEqual(["checksum"]);
  });

  it.each(["ghp_", "gho_", "ghu_", "ghr_"] as const)("checks the checksum of %s tokens", (prefix) => {
    const token = canaryToken(prefix);
    expect(errors(token)).toEqual([]);
    expect(errors(token.slice(0, -1) + (token.endsWith("0") ? "1" : "0"))).toEqual(["checksum"]);
  });

  it("only warns about checksummed prefixes of other lengths", () => {
    const long = `ghr_${"a".repeat(76)}`;
    expect(checkTokenFormat(long).problems).toEqual([expect.objectContaining({ code: "shape", severity: "warning" })]);
  });

  it("checks the shape of fine-grained tokens", () => {
    const token = canaryFineGrained();
    expect(token).toHaveLength(93);
    expect(checkTokenFormat(token)).toEqual({ type: "fine-grained", prefix: "github_pat_", problems: [] });
    expect(errors(token.slice(0, -1))).toEqual(["shape"]);
    expect(errors(token.replace(/_(?=[^_]*$)/, "x"))).toEqual(["shape"]);
  });

  it("accepts installation tokens of any length by prefix", () => {
    expect(checkTokenFormat(`ghs_${"x".repeat(36)}`).problems).toEqual([]);
    expect(checkTokenFormat(`ghs_${"x".repeat(300)}`).problems).toEqual([]);
  });

  it("accepts installation tokens in the JWT-style format, with dots and dashes, and only those", () => {
    const jwt = canaryInstallationJwt();
    expect(jwt).toMatch(/\./);
    expect(checkTokenFormat(jwt)).toEqual({ type: "installation", prefix: "ghs_", problems: [] });
    expect(fingerprint(jwt)).toBe(`ghs_…${jwt.slice(-4)}`);
    expect(looksLikeToken(jwt)).toBe(true);
    expect(errors(`${jwt} `)).toEqual(["alphabet"]);
    expect(errors(jwt.replace(".", "/"))).toEqual(["alphabet"]);
    // Dots and dashes belong to installation tokens alone.
    expect(errors(`ghp_${"a".repeat(20)}.${"b".repeat(15)}`)).toEqual(["alphabet"]);
    expect(errors(`gho_${"a".repeat(20)}-${"b".repeat(15)}`)).toEqual(["alphabet"]);
  });

  it("accepts legacy 40-hex tokens with a warning", () => {
    expect(checkTokenFormat("0123456789abcdef0123456789abcdef01234567").problems).toEqual([
      expect.objectContaining({ code: "legacy", severity: "warning" }),
    ]);
  });

  it("refuses unknown prefixes and characters no token has", () => {
    expect(errors("xyz_abcdefghijklmnopqrstuvwxyz0123456789")).toEqual(["prefix"]);
    expect(errors(`${PUBLIC_EXAMPLES[0]} `)).toEqual(["alphabet"]);
    expect(errors(`${PUBLIC_EXAMPLES[0]}\r`)).toEqual(["alphabet"]);
    expect(errors("ghp_abc\u2028def")).toEqual(["alphabet"]);
  });

  it("classifies by prefix", () => {
    expect(["ghp_x", "github_pat_x", "gho_x", "ghu_x", "ghs_x", "ghr_x", "zzz"].map(classifyToken)).toEqual([
      "classic",
      "fine-grained",
      "oauth",
      "user-to-server",
      "installation",
      "refresh",
      "unknown",
    ]);
  });

  it("fingerprints as prefix and last four", () => {
    expect(fingerprint(PUBLIC_EXAMPLES[0] as string)).toBe("ghp_…T4V4");
    const fine = canaryFineGrained();
    expect(fingerprint(fine)).toBe(`github_pat_…${fine.slice(-4)}`);
    expect(fingerprint("ghp_short")).toBe("ghp_…");
  });

  it("knows a token-looking argument", () => {
    expect(looksLikeToken(PUBLIC_EXAMPLES[0] as string)).toBe(true);
    expect(looksLikeToken(canaryFineGrained())).toBe(true);
    expect(looksLikeToken("0123456789abcdef0123456789abcdef01234567")).toBe(true);
    expect(looksLikeToken("work")).toBe(false);
    expect(looksLikeToken("octocat@ghe.example.com")).toBe(false);
  });
});
