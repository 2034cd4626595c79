import { describe, expect, it } from "vitest";
import { requestFromUrl } from "../../src/commands/which/run.js";
import { isBroken, standingOf } from "../../src/core/standing.js";
import { bestPattern } from "../../src/core/routing.js";

const DAY_MS = 86_400_000;
const now = new Date("2026-12-04T00:00:00Z");
const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();

describe("a token's standing (status)", () => {
  it("is its current status, with expiring for a live token within the window", () => {
    expect(standingOf({ status: "valid", expiresAt: inDays(30) }, now, 14)).toBe("valid");
    expect(standingOf({ status: "valid", expiresAt: null }, now, 14)).toBe("valid");
    expect(standingOf({ status: "valid", expiresAt: inDays(3) }, now, 14)).toBe("expiring");
    expect(standingOf({ status: "unverified", expiresAt: inDays(3) }, now, 14)).toBe("expiring");
    expect(standingOf({ status: "unverified", expiresAt: null }, now, 14)).toBe("unverified");
    expect(standingOf({ status: "valid", expiresAt: inDays(-1) }, now, 14)).toBe("expired");
    expect(standingOf({ status: "rejected", expiresAt: inDays(3) }, now, 14)).toBe("rejected");
    expect(standingOf({ status: "revoked", expiresAt: null }, now, 14)).toBe("revoked");
    expect(["expired", "revoked", "rejected"].every((s) => isBroken(s as never))).toBe(true);
    expect(["valid", "expiring", "unverified"].some((s) => isBroken(s as never))).toBe(false);
  });
});

describe("which: the request git builds from a URL", () => {
  it("takes protocol, host with its port, the path without its slash, and the user", () => {
    expect(requestFromUrl("https://github.com/acme/app.git").request).toEqual({
      protocol: "https",
      host: "github.com",
      path: "acme/app.git",
      username: undefined,
    });
    expect(requestFromUrl("https://Me@GHE.example.com:8443/team/tool").request).toEqual({
      protocol: "https",
      host: "ghe.example.com:8443",
      path: "team/tool",
      username: "Me",
    });
    expect(requestFromUrl("https://github.com:443/").request).toEqual({
      protocol: "https",
      host: "github.com",
      path: undefined,
      username: undefined,
    });
    expect(requestFromUrl("github.com/acme/a%20b").request).toMatchObject({ protocol: "https", path: "acme/a b" });
    expect(requestFromUrl("http://github.com/x").request.protocol).toBe("http");
  });

  it("refuses SSH remotes and a password in the URL", () => {
    expect(() => requestFromUrl("git@github.com:acme/app.git")).toThrow(/not an HTTPS URL/);
    expect(() => requestFromUrl("ssh://git@github.com/acme/app.git")).toThrow(/not an HTTPS URL/);
    expect(() => requestFromUrl("https://user:secret@github.com/acme")).toThrow(/holds a password/);
  });

  it("names the pattern routing chose by: the most specific", () => {
    expect(bestPattern({ match: ["acme", "acme/*", "acme/app"] }, "acme/app.git")).toBe("acme/app");
    expect(bestPattern({ match: ["acme", "acme/*"] }, "acme/tool.git")).toBe("acme/*");
    expect(bestPattern({ match: ["acme"] }, "globex/x")).toBeNull();
    expect(bestPattern({ match: ["acme"] }, undefined)).toBeNull();
    expect(bestPattern({ match: ["acme"] }, "acme/../evil/x.git")).toBeNull();
  });
});
