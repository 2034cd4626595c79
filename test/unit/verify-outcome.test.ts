import { describe, expect, it } from "vitest";
import {
  applyCheck,
  outcomeJson,
  outcomeOf,
  requirementProblems,
  type CheckResult,
  type TokenFacts,
} from "../../src/core/verify-outcome.js";
import type { TokenRecord } from "../../src/core/record.js";
import { makeRecord as record } from "../helpers/records.js";
import { ssoReminderAfterRotate } from "../../src/core/sso.js";

const now = new Date("2026-06-01T12:00:00.000Z");
const rate = { limit: 5000, remaining: 4999, resetAt: "2026-06-01T13:00:00.000Z" };
const facts = (extra: Partial<TokenFacts> = {}): TokenFacts => ({
  login: "octocat",
  scopes: ["repo"],
  expiresAt: "2026-07-01T00:00:00.000Z",
  expiryKnown: true,
  rateLimit: rate,
  ...extra,
});
const NONE = { requireScopes: [], minDays: null };

describe("how a check changes a record", () => {
  it("records what GitHub said on success", () => {
    const before = record("a", { status: "unverified", login: null, scopes: null, expiryKnown: false });
    const after = applyCheck(before, { kind: "ok", facts: facts({ scopes: ["repo", "gist"] }) }, now);
    expect(after).toMatchObject({
      status: "valid",
      login: "octocat",
      scopes: ["repo", "gist"],
      expiresAt: "2026-07-01T00:00:00.000Z",
      expiryKnown: true,
      lastVerifiedAt: now.toISOString(),
    });
  });

  it("keeps a known expiry when GitHub now reports an unusable one", () => {
    const before = record("a", { expiresAt: "2026-09-01T00:00:00.000Z", expiryKnown: true });
    const after = applyCheck(before, { kind: "ok", facts: facts({ expiresAt: null, expiryKnown: false }) }, now);
    expect(after).toMatchObject({ expiresAt: "2026-09-01T00:00:00.000Z", expiryKnown: true });
  });

  it("marks a 401 revoked, or expired once the known expiry has passed", () => {
    const rejected: CheckResult = { kind: "rejected", message: "401" };
    expect(applyCheck(record("a", { expiresAt: "2026-07-01T00:00:00.000Z" }), rejected, now).status).toBe("revoked");
    expect(applyCheck(record("a", { expiresAt: null }), rejected, now).status).toBe("revoked");
    expect(applyCheck(record("a", { expiresAt: "2026-05-01T00:00:00.000Z" }), rejected, now).status).toBe("expired");
    expect(
      applyCheck(record("a", { expiresAt: "2026-05-01T00:00:00.000Z", expiryKnown: false }), rejected, now).status,
    ).toBe("revoked");
  });

  it("keeps what GitHub said about SAML SSO, once seen, for the successor's sake", () => {
    const url = "https://github.com/orgs/acme/sso?authorization_request=abc";
    const asked = applyCheck(record("a"), { kind: "sso-required", url, message: "sso" }, now);
    expect(asked.sso).toEqual({ url });
    expect(asked.status).toBe("valid");
    expect(applyCheck(record("a"), { kind: "sso-required", url: null, message: "sso" }, now).sso).toEqual({
      url: null,
    });
    expect(applyCheck(record("a"), { kind: "ok", facts: facts({ ssoUrl: url }) }, now).sso).toEqual({ url });
    // Authorised since: GET /user no longer carries the header, and the record still remembers.
    expect(applyCheck(asked, { kind: "ok", facts: facts({ ssoUrl: null }) }, now).sso).toEqual({ url });
    expect(applyCheck(asked, { kind: "sso-required", url: null, message: "sso" }, now)).toBe(asked);
    expect(applyCheck(record("a"), { kind: "ok", facts: facts() }, now).sso).toBeUndefined();
  });

  it("never changes a record when GitHub gave no verdict", () => {
    const before = record("a", { status: "valid" });
    for (const result of [
      { kind: "unreachable", rateLimited: false, noAnswer: true, message: "timeout" },
      { kind: "unreachable", rateLimited: true, message: "rate limited" },
      { kind: "forbidden", message: "403" },
      { kind: "no-secret", message: "gone" },
    ] satisfies CheckResult[]) {
      expect(applyCheck(before, result, now)).toBe(before);
    }
  });
});

describe("requirements", () => {
  it("fails missing scopes, naming them and what the token has", () => {
    expect(
      requirementProblems(
        facts({ scopes: ["public_repo"] }),
        { requireScopes: ["repo", "read:org"], minDays: null },
        now,
      ),
    ).toEqual(["missing scopes repo, read:org (it has public_repo)"]);
    expect(
      requirementProblems(
        facts({ scopes: ["repo", "admin:org"] }),
        { requireScopes: ["repo:status", "read:org"], minDays: null },
        now,
      ),
    ).toEqual([]);
  });

  it("fails unknown scopes under --require-scopes and says why", () => {
    const [problem] = requirementProblems(facts({ scopes: null }), { requireScopes: ["repo"], minDays: null }, now);
    expect(problem).toMatch(/^scopes unknown: .*fine-grained/);
    expect(requirementProblems(facts({ scopes: null }), NONE, now)).toEqual([]);
  });

  it("fails a token expiring within --min-days, and one whose expiry is unknown", () => {
    expect(
      requirementProblems(facts({ expiresAt: "2026-06-05T12:00:00.000Z" }), { requireScopes: [], minDays: 7 }, now),
    ).toEqual(["expires 2026-06-05 (in 4 days), within --min-days 7"]);
    expect(
      requirementProblems(facts({ expiresAt: "2026-06-09T12:00:00.000Z" }), { requireScopes: [], minDays: 7 }, now),
    ).toEqual([]);
    expect(requirementProblems(facts({ expiresAt: null }), { requireScopes: [], minDays: 3650 }, now)).toEqual([]);
    expect(
      requirementProblems(facts({ expiresAt: null, expiryKnown: false }), { requireScopes: [], minDays: 1 }, now)[0],
    ).toMatch(/^expiry unknown/);
  });
});

describe("the report line", () => {
  const subject = { ...record("a"), name: "a" };

  it("has exactly the documented JSON fields", () => {
    const result: CheckResult = { kind: "ok", facts: facts() };
    const outcome = outcomeOf(applyCheck(subject, result, now), result, NONE, now);
    expect(Object.keys(outcomeJson(outcome))).toEqual([
      "name",
      "host",
      "ok",
      "status",
      "login",
      "type",
      "scopes",
      "expiresAt",
      "expiryKnown",
      "daysLeft",
      "sso",
      "rateLimit",
      "error",
    ]);
    expect(outcomeJson(outcome)).toEqual({
      name: "a",
      host: "github.com",
      ok: true,
      status: "valid",
      login: "octocat",
      type: "classic",
      scopes: ["repo"],
      expiresAt: "2026-07-01T00:00:00.000Z",
      expiryKnown: true,
      daysLeft: 30,
      sso: null,
      rateLimit: rate,
      error: null,
    });
    expect(outcome.failure).toBeNull();
  });

  it("sorts failures into bad (exit 1) and unreachable (exit 5)", () => {
    const bad: CheckResult = {
      kind: "rejected",
      message: "GitHub rejected the token (401 Bad credentials): it is revoked, expired or wrong.",
    };
    expect(outcomeOf(applyCheck(subject, bad, now), bad, NONE, now)).toMatchObject({
      ok: false,
      status: "revoked",
      failure: "bad",
      error: bad.message,
    });
    const expired = { ...subject, expiresAt: "2026-05-01T00:00:00.000Z" };
    expect(outcomeOf(applyCheck(expired, bad, now), bad, NONE, now)).toMatchObject({
      status: "expired",
      error: "GitHub rejected the token (401): it expired on 2026-05-01.",
    });
    const down: CheckResult = { kind: "unreachable", rateLimited: false, message: "no answer" };
    expect(outcomeOf(applyCheck(subject, down, now), down, NONE, now)).toMatchObject({
      ok: false,
      status: "valid",
      failure: "unreachable",
      rateLimit: null,
    });
    const sso: CheckResult = { kind: "sso-required", url: "https://github.com/orgs/acme/sso", message: "sso" };
    expect(outcomeOf(subject, sso, NONE, now)).toMatchObject({
      ok: false,
      failure: "bad",
      sso: { required: true, url: "https://github.com/orgs/acme/sso" },
    });
  });

  it("fails a token GitHub accepted when it misses a requirement", () => {
    const result: CheckResult = { kind: "ok", facts: facts({ scopes: ["gist"] }) };
    const outcome = outcomeOf(
      applyCheck(subject, result, now),
      result,
      { requireScopes: ["repo"], minDays: null },
      now,
    );
    expect(outcome).toMatchObject({
      ok: false,
      status: "valid",
      failure: "bad",
      error: "Missing scope repo (it has gist)",
    });
  });
});

describe("the SSO reminder after a rotation", () => {
  const previous = (sso: TokenRecord["sso"]) => record("work", { sso });

  it("names the successor's URL first, then the old token's, and always the tokens page", () => {
    const oldUrl = "https://github.com/orgs/acme/sso?authorization_request=old";
    const newUrl = "https://github.com/orgs/acme/sso?authorization_request=new";
    expect(ssoReminderAfterRotate(previous({ url: oldUrl }), newUrl)).toBe(
      `'work' was authorised for an organisation's SAML SSO, which a regenerated or new token loses: authorise it again at ${newUrl} (or under https://github.com/settings/tokens, Configure SSO).`,
    );
    expect(ssoReminderAfterRotate(previous({ url: oldUrl }), null)).toContain(`again at ${oldUrl} (or under`);
    expect(ssoReminderAfterRotate(previous({ url: null }), null)).toBe(
      "'work' was authorised for an organisation's SAML SSO, which a regenerated or new token loses: authorise it again under https://github.com/settings/tokens (Configure SSO).",
    );
    expect(ssoReminderAfterRotate(previous(undefined), newUrl)).toContain(newUrl);
  });

  it("says nothing when SSO never came up", () => {
    expect(ssoReminderAfterRotate(previous(undefined), null)).toBeNull();
  });
});
