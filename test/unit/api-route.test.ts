import { describe, expect, it } from "vitest";
import { routeApiToken, type ApiTokenRequest } from "../../src/core/api-route.js";
import type { TokenRecord } from "../../src/core/record.js";
import { NotFoundError, UsageError } from "../../src/errors.js";
import { makeRecord } from "../helpers/records.js";

const NOW = new Date("2026-06-01T00:00:00Z");

function chosen(request: Partial<ApiTokenRequest>, records: TokenRecord[], env: Record<string, string> = {}): string {
  const route = routeApiToken({ host: "github.com", hostGiven: false, ...request }, records, { env, now: NOW });
  return route.kind === "stored" ? `${route.record.name} (${route.via})` : `env:${route.variable}`;
}

describe("routeApiToken", () => {
  const records = [
    makeRecord("personal", { default: true }),
    makeRecord("acme", { match: ["acme"] }),
    makeRecord("acme-app", { match: ["acme/app"] }),
    makeRecord("ghe", { host: "ghe.example.com", default: true }),
  ];

  it("--token NAME wins over every rule", () => {
    expect(chosen({ name: "acme", path: "other/x" }, records)).toBe("acme (name)");
    expect(chosen({ name: "ghe" }, records)).toBe("ghe (name)");
  });

  it("--token NAME for another host than --hostname is a usage error; an unknown name is not found", () => {
    expect(() => chosen({ name: "ghe", host: "github.com", hostGiven: true }, records)).toThrow(UsageError);
    expect(() => chosen({ name: "nope" }, records)).toThrow(NotFoundError);
  });

  it("the endpoint's repository or owner picks the most specific --match, as for git", () => {
    expect(chosen({ path: "acme/app" }, records)).toBe("acme-app (match)");
    expect(chosen({ path: "acme/other" }, records)).toBe("acme (match)");
    expect(chosen({ path: "ACME" }, records)).toBe("acme (match)");
  });

  it("then the host's default, then its only token", () => {
    expect(chosen({ path: "someone/else" }, records)).toBe("personal (default)");
    expect(chosen({}, records)).toBe("personal (default)");
    expect(chosen({ host: "ghe.example.com", hostGiven: true }, records)).toBe("ghe (default)");
    expect(chosen({}, [makeRecord("only")])).toBe("only (only)");
  });

  it("skips expired and revoked tokens", () => {
    const expired = makeRecord("acme-old", { match: ["acme"], expiresAt: "2026-01-01T00:00:00.000Z" });
    expect(chosen({ path: "acme/x" }, [expired, makeRecord("personal", { default: true })])).toBe("personal (default)");
  });

  it("then the environment's token under git-credential's host rules", () => {
    expect(chosen({}, [], { GH_TOKEN: "from-env" })).toBe("env:GH_TOKEN");
    expect(
      chosen(
        { host: "ghe.example.com", hostGiven: true },
        [makeRecord("x", { host: "ghe.example.com", status: "revoked" })],
        { GH_ENTERPRISE_TOKEN: "e" },
      ),
    ).toBe("env:GH_ENTERPRISE_TOKEN");
    // An enterprise token never goes to a host ghpat knows nothing about.
    expect(() => chosen({ host: "unknown.example", hostGiven: true }, [], { GH_ENTERPRISE_TOKEN: "e" })).toThrow(
      NotFoundError,
    );
  });

  it("with no token at all: not found, with a hint to ghpat add", () => {
    let error: unknown;
    try {
      chosen({ host: "ghe.example.com", hostGiven: true }, []);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).hint).toContain("ghpat add --host ghe.example.com");
    expect(() => chosen({}, [makeRecord("a"), makeRecord("b")])).toThrow("None of the 2 tokens");
  });
});
