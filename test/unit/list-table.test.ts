/**
 * list's table: its cells, and how it fits a terminal through the one table
 * printer (src/ui/table.ts), coloured or not, whatever the records hold.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIST_HEADER, listRow, renderListTable } from "../../src/commands/list/table.js";
import { describeExpiry } from "../../src/commands/shared/describe.js";
import {
  currentStatus,
  TOKEN_STATUSES,
  TOKEN_TYPES,
  type TokenRecord,
  type TokenStatus,
} from "../../src/core/record.js";
import { renderTable } from "../../src/ui/table.js";
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
    expiresAt: fc.option(
      fc.integer({ min: -400, max: 400 }).map((days) => new Date(now.getTime() + days * day + 3_600_000).toISOString()),
    ),
    expiryKnown: fc.boolean(),
    status: fc.constantFrom(...TOKEN_STATUSES),
    default: fc.boolean(),
    match: fc.array(fc.constantFrom("acme", "acme/*", "octo-org/tools", "a-very-long-organisation-name/*"), {
      maxLength: 3,
    }),
  })
  .map((fields) => makeRecord(fields.name, fields));

const tag = (status: TokenStatus, text: string) => `<${status}:${text}>`;

describe("list's table", () => {
  it("is piped whole: exactly what renderTable prints for the same rows, with no width", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        expect(renderListTable(records, now)).toBe(
          `${renderTable(
            [...LIST_HEADER],
            records.map((r) => [...listRow(r, now)]),
          )}\n`,
        );
      }),
    );
  });

  it("fits 80 columns: no line wider, NAME, HOST, TOKEN and STATUS whole, MATCH gone first, cut cells ending in '…'", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const lines = renderListTable(records, now, { maxWidth: 80 }).split("\n").slice(0, -1);
        // NAME is as wide as "  NAME" or the widest "* name". The fixed
        // columns alone fit 80 (names up to 31 characters here).
        const nameWidth = Math.max(4, ...records.map((r) => r.name.length));
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
        expect(lines[0]).not.toContain("MATCH");
        records.forEach((r, i) => {
          const line = lines[i + 1] as string;
          expect(line.startsWith(`${r.default ? "*" : " "} ${r.name.padEnd(nameWidth)}  ${r.host}`)).toBe(true);
          expect(line).toContain(`  ${r.fingerprint}  `);
          expect(line.endsWith(`  ${currentStatus(r, now)}`)).toBe(true);
        });
      }),
    );
  });

  it("shows each record's match patterns in MATCH, and colours only the status, after fitting", () => {
    const records = [
      makeRecord("work", {
        match: ["acme/*", "octo-org/tools"],
        scopes: ["repo", "read:org", "workflow", "admin:org"],
      }),
      makeRecord("home", { status: "revoked" }),
    ];
    const whole = renderListTable(records, now, { paintStatus: tag }).split("\n");
    expect(whole).toEqual([
      "  NAME  HOST        MATCH                   LOGIN    TYPE     TOKEN      SCOPES                               EXPIRY         STATUS",
      "  work  github.com  acme/*, octo-org/tools  octocat  classic  ghp_…ABCD  repo, read:org, workflow, admin:org  never expires  <valid:valid>",
      "  home  github.com  -                       octocat  classic  ghp_…ABCD  repo                                 never expires  <revoked:revoked>",
      "",
    ]);
    // 80 columns: MATCH goes, and SCOPES gives what the rest leave (the status counted as printed, uncoloured).
    const fitted = renderListTable(records, now, { maxWidth: 80, paintStatus: tag }).split("\n");
    expect(fitted).toEqual([
      "  NAME  HOST        LOGIN    TYPE     TOKEN      SCOPES   EXPIRY         STATUS",
      "  work  github.com  octocat  classic  ghp_…ABCD  repo, …  never expires  <valid:valid>",
      "  home  github.com  octocat  classic  ghp_…ABCD  repo     never expires  <revoked:revoked>",
      "",
    ]);
  });

  it("keeps the expiry's date when it can, then leaves out TYPE, LOGIN and SCOPES, and cuts NAME and HOST last of all", () => {
    const record = (name: string, host: string) =>
      makeRecord(name, {
        host,
        login: "someone-with-a-long-login",
        scopes: ["repo", "read:org", "workflow"],
        expiresAt: new Date(now.getTime() + 36 * day).toISOString(),
        match: ["acme/*"],
      });
    expect(renderListTable([record("work", "ghe.example.com")], now, { maxWidth: 80 }).split("\n")).toEqual([
      "  NAME  HOST             LOGIN    TOKEN      SCOPES  EXPIRY               STATUS",
      "  work  ghe.example.com  someon…  ghp_…ABCD  repo,…  expires 2027-01-01…  valid",
      "",
    ]);
    expect(
      renderListTable([record("a-rather-long-token-name", "ghe.example.com")], now, { maxWidth: 80 }).split("\n"),
    ).toEqual([
      "  NAME                      HOST             TOKEN      EXPIRY            STATUS",
      "  a-rather-long-token-name  ghe.example.com  ghp_…ABCD  expires 2027-01…  valid",
      "",
    ]);
    const huge = renderListTable([record("n".repeat(60), "h".repeat(40))], now, { maxWidth: 80 }).split("\n");
    for (const line of huge) expect(line.length).toBeLessThanOrEqual(80);
    expect(huge[1]).toMatch(/^ {2}n+… {2}h+… {2}/);
  });

  it("shows the same expiry and status as describeExpiry and currentStatus, which it shares one date parse between", () => {
    fc.assert(
      fc.property(
        record,
        fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -3 * day, max: 3 * day })),
        (base, msLeft) => {
          const r =
            base.expiresAt === null ? base : { ...base, expiresAt: new Date(now.getTime() + msLeft).toISOString() };
          const row = listRow(r, now);
          expect([row[7], row[8]]).toEqual([describeExpiry(r, now), currentStatus(r, now)]);
        },
      ),
    );
  });

  it("lists a token whose expiry has passed as expired, whatever its last check said", () => {
    const lapsed = { expiresAt: new Date(now.getTime() - day).toISOString() };
    const lines = renderListTable(
      [makeRecord("a", { ...lapsed, status: "valid" }), makeRecord("b", { ...lapsed, status: "revoked" })],
      now,
      { paintStatus: tag },
    ).split("\n");
    expect(lines[1]).toMatch(/expired 2026-11-25 {2}<expired:expired>$/);
    expect(lines[2]).toMatch(/expired 2026-11-25 {2}<revoked:revoked>$/);
  });

  it("pads every column to its widest cell, two spaces apart, header included", () => {
    const records = [
      makeRecord("a-much-longer-name", { default: true, login: null, scopes: [] }),
      makeRecord("b", { host: "ghe.example.com", scopes: null, expiryKnown: false, status: "unverified" }),
    ];
    expect(renderListTable(records, now).split("\n")).toEqual([
      "  NAME                HOST             MATCH  LOGIN    TYPE     TOKEN      SCOPES          EXPIRY          STATUS",
      "* a-much-longer-name  github.com       -      -        classic  ghp_…ABCD  no scopes       never expires   valid",
      "  b                   ghe.example.com  -      octocat  classic  ghp_…ABCD  scopes unknown  expiry unknown  unverified",
      "",
    ]);
  });
});
