import { describe, expect, it } from "vitest";
import { describeExpiry } from "../../src/commands/shared/describe.js";

const now = new Date("2026-11-26T04:30:00.000Z");
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
const known = (expiresAt: string | null) => ({ expiresAt, expiryKnown: true });

describe("describeExpiry", () => {
  it("counts whole days while a day or more is left", () => {
    expect(describeExpiry(known(at(24 * 37 + 1)), now)).toBe("expires 2027-01-02 (in 37 days)");
    expect(describeExpiry(known(at(24)), now)).toBe("expires 2026-11-27 (in 1 day)");
  });

  it("counts hours on the day itself; tomorrow is a day away, however few hours remain", () => {
    expect(describeExpiry(known(at(23.5)), now)).toBe("expires 2026-11-27 (in 1 day)");
    expect(describeExpiry(known(at(1)), now)).toBe("expires 2026-11-26 (in 1 hour)");
    expect(describeExpiry(known(at(0.25)), now)).toBe("expires 2026-11-26 (in under an hour)");
  });

  it("says expired, never expires, or unknown", () => {
    expect(describeExpiry(known(at(-5)), now)).toBe("expired 2026-11-25");
    expect(describeExpiry(known(at(0)), now)).toBe("expired 2026-11-26");
    expect(describeExpiry(known(null), now)).toBe("never expires");
    expect(describeExpiry({ expiresAt: null, expiryKnown: false }, now)).toBe("expiry unknown");
  });
});
