/**
 * list's table is written out column by column for speed (list-table.ts);
 * renderTable, the generic layout every other table uses, is the reference
 * it must match, coloured or not, whatever the records hold.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIST_HEADER, listRow, renderListTable } from "../../src/commands/list/table.js";
import { describeExpiry } from "../../src/commands/shared/describe.js";
import { currentStatus, TOKEN_STATUSES, TOKEN_TYPES, type TokenRecord, type TokenStatus } from "../../src/core/record.js";
import { renderTable } from "../../src/ui/output.js";
import { makeRecord } from "../helpers/records.js";

const now = new Date("2026-11-26T04:30:00.000Z");
const day = 86_400_000;

const record: fc.Arbitrary<TokenRecord> = fc
  .record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/),
    host: fc.constantFrom("github.com", "ghe.example.com", "a.ghe.com:8443"),
    login: fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/)),
    type: fc.constantFrom(...TOKEN_TYPES),
    fingerprint: fc.stringMatching(/^gh[pousr]_…[A-Za-z0-9]{4}$/),
    scopes: fc.option(fc.array(fc.constantFrom("repo", "read:org", "workflow", "admin:org", "gist"), { maxLength: 5 })),
    expiresAt: fc.option(fc.integer({ min: -400, max: 400 }).map((days) => new Date(now.getTime() + days * day + 3_600_000).toISOString())),
    expiryKnown: fc.boolean(),
    status: fc.constantFrom(...TOKEN_STATUSES),
    default: fc.boolean(),
  })
  .map((fields) => makeRecord(fields.name, fields));

const tag = (status: TokenStatus) => `<${status}>`;

describe("list's table", () => {
  it("is exactly what renderTable prints for the same rows", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        expect(renderListTable(records, now)).toBe(`${renderTable([...LIST_HEADER], records.map((r) => [...listRow(r, now)]))}\n`);
      }),
    );
  });

  it("colours only the status, after padding, as renderTable would", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const expected = renderTable([...LIST_HEADER], records.map((r) => [...listRow(r, now)]), (_row, col, text) => (col === 7 ? tag(text as TokenStatus) : text));
        expect(renderListTable(records, now, tag)).toBe(`${expected}\n`);
      }),
    );
  });

  it("shows the same expiry and status as describeExpiry and currentStatus, which it shares one date parse between", () => {
    fc.assert(
      fc.property(record, fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -3 * day, max: 3 * day })), (base, msLeft) => {
        const r = base.expiresAt === null ? base : { ...base, expiresAt: new Date(now.getTime() + msLeft).toISOString() };
        const row = listRow(r, now);
        expect([row[6], row[7]]).toEqual([describeExpiry(r, now), currentStatus(r, now)]);
      }),
    );
  });

  it("lists a token whose expiry has passed as expired, whatever its last check said", () => {
    const lapsed = { expiresAt: new Date(now.getTime() - day).toISOString() };
    const lines = renderListTable([makeRecord("a", { ...lapsed, status: "valid" }), makeRecord("b", { ...lapsed, status: "revoked" })], now, tag).split("\n");
    expect(lines[1]).toMatch(/expired 2026-11-25 {2}<expired>$/);
    expect(lines[2]).toMatch(/expired 2026-11-25 {2}<revoked>$/);
  });

  it("pads every column to its widest cell, two spaces apart, header included", () => {
    const records = [makeRecord("a-much-longer-name", { default: true, login: null, scopes: [] }), makeRecord("b", { host: "ghe.example.com", scopes: null, expiryKnown: false, status: "unverified" })];
    expect(renderListTable(records, now).split("\n")).toEqual([
      "  NAME                HOST             LOGIN    TYPE     TOKEN      SCOPES          EXPIRY          STATUS",
      "* a-much-longer-name  github.com       -        classic  ghp_…ABCD  no scopes       never expires   valid",
      "  b                   ghe.example.com  octocat  classic  ghp_…ABCD  scopes unknown  expiry unknown  unverified",
      "",
    ]);
  });
});
