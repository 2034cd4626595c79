import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitColumns, renderTable, wrapWords, type TableColumn } from "../../src/ui/table.js";
import { terminalWidth } from "../../src/ui/output.js";

it("pads each column to its widest cell, two spaces apart, with no trailing blanks", () => {
  const table = renderTable(
    ["NAME", "HOST", "NOTE"],
    [
      ["a", "github.com", "x"],
      ["longer-name", "h", ""],
      ["b", "", ""],
    ],
  );
  expect(table.split("\n")).toEqual([
    "NAME         HOST        NOTE",
    "a            github.com  x",
    "longer-name  h",
    "b",
  ]);
});

it("colours cells after padding, and never the header", () => {
  const painted = renderTable(
    ["A", "B"],
    [
      ["x", "yy"],
      ["zzz", "w"],
    ],
    { paint: (row, col, text) => `<${row}.${col}:${text}>` },
  );
  expect(painted.split("\n")).toEqual(["A    B", "<0.0:x  >  <0.1:yy>", "<1.0:zzz>  <1.1:w>"]);
});

it("renders a header alone when there are no rows", () => {
  expect(renderTable(["ONE", "TWO"], [])).toBe("ONE  TWO");
});

it("treats missing cells at the end of a row as empty", () => {
  expect(renderTable(["A", "B", "C"], [["x"], ["y", "z"]]).split("\n")).toEqual(["A  B  C", "x", "y  z"]);
});

it("renders more rows than a function call takes arguments", () => {
  // Math.max(...lengths) overflowed the call stack at about 120,000 rows.
  const rows = Array.from({ length: 200_000 }, (_, i) => [`token-${i}`, "github.com"]);
  const lines = renderTable(["NAME", "HOST"], rows).split("\n");
  expect(lines).toHaveLength(200_001);
  expect(lines[1]).toBe("token-0       github.com");
  expect(lines[200_000]).toBe("token-199999  github.com");
});

describe("fitted to a width (a terminal's)", () => {
  const columns: TableColumn[] = [
    { title: "NAME" },
    { title: "MATCH", truncate: true, drop: "first" },
    { title: "TYPE", drop: 1 },
    { title: "SCOPES", truncate: true },
    { title: "EXPIRY", truncate: 10 },
    { title: "STATUS" },
  ];
  const rows = [
    [
      "work",
      "acme/*, acme-labs/*",
      "fine-grained",
      "repo, read:org, workflow, admin:org",
      "expires 2027-01-01 (in 36 days)",
      "valid",
    ],
    ["ci", "-", "classic", "no scopes", "never expires", "expired"],
  ];
  const whole = renderTable(columns, rows);

  it("prints every cell whole when it fits, or when no width is given (a pipe)", () => {
    expect(renderTable(columns, rows, { maxWidth: 500 })).toBe(whole);
    expect(whole.split("\n")[1]).toBe(
      "work  acme/*, acme-labs/*  fine-grained  repo, read:org, workflow, admin:org  expires 2027-01-01 (in 36 days)  valid",
    );
  });

  it("drops a 'first' column before it cuts anything", () => {
    const width = (whole.split("\n")[1] ?? "").length - 1;
    const lines = renderTable(columns, rows, { maxWidth: width }).split("\n");
    expect(lines[0]).toBe(
      "NAME  TYPE          SCOPES                               EXPIRY                           STATUS",
    );
    expect(lines[1]).toBe(
      "work  fine-grained  repo, read:org, workflow, admin:org  expires 2027-01-01 (in 36 days)  valid",
    );
  });

  it("then cuts the cuttable columns, the widest first, with '…', keeping the fixed ones whole", () => {
    const lines = renderTable(columns, rows, { maxWidth: 70 }).split("\n");
    expect(lines).toEqual([
      "NAME  TYPE          SCOPES                EXPIRY               STATUS",
      "work  fine-grained  repo, read:org, wor…  expires 2027-01-01…  valid",
      "ci    classic       no scopes             never expires        expired",
    ]);
  });

  it("drops a numbered column once cutting to the minimum widths is not enough, and cuts again", () => {
    const lines = renderTable(columns, rows, { maxWidth: 40 }).split("\n");
    expect(lines).toEqual([
      "NAME  SCOPES        EXPIRY       STATUS",
      "work  repo, read:…  expires 20…  valid",
      "ci    no scopes     never expi…  expired",
    ]);
  });

  it("cuts every column as a last resort, so that no line is wider than asked", () => {
    const lines = renderTable(columns, rows, { maxWidth: 30 }).split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines[1]).toMatch(/^work {2}/);
  });

  it("colours a cell after cutting it, with its index among all the columns", () => {
    const painted = renderTable(columns, rows, {
      maxWidth: 40,
      paint: (row, col, text) => (col === 5 ? `<${row}:${text}>` : text),
    });
    expect(painted.split("\n")[1]).toBe("work  repo, read:…  expires 20…  <0:valid>");
  });

  it("never prints a line wider than the width, and shows each cell whole or as its start and '…'", () => {
    const cell = fc.stringMatching(/^[a-z0-9:/*, .-]{0,40}$/);
    const spec: fc.Arbitrary<TableColumn> = fc.record({
      title: fc.stringMatching(/^[A-Z]{1,8}$/),
      truncate: fc.option(fc.oneof(fc.constant(true as const), fc.integer({ min: 1, max: 12 })), { nil: undefined }),
      drop: fc.option(fc.oneof(fc.constant("first" as const), fc.integer({ min: 1, max: 3 })), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(spec, { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { maxLength: 6 }),
        fc.integer({ min: 20, max: 200 }),
        (specs, cells, maxWidth) => {
          const table = renderTable(specs, cells, { maxWidth });
          const layout = fitColumns(
            specs,
            specs.map((c, col) => Math.max(c.title.length, ...cells.map((r) => (r[col] ?? "").length))),
            maxWidth,
          );
          if (layout.shown.length * 3 - 2 <= maxWidth)
            for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(maxWidth);
          const lines = table.split("\n").slice(1);
          cells.forEach((row, r) => {
            const printed = lines[r] ?? "";
            for (const col of layout.shown) {
              const text = row[col] ?? "";
              const width = layout.widths[col] ?? 0;
              const expected =
                text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`.slice(0, width);
              expect(printed).toContain(expected.trimEnd());
            }
          });
        },
      ),
    );
  });
});

it("takes a terminal's width as it says, else $COLUMNS, else 80", () => {
  expect(terminalWidth(120, { COLUMNS: "40" })).toBe(120);
  expect(terminalWidth(0, { COLUMNS: "40" })).toBe(40);
  expect(terminalWidth(undefined, {})).toBe(80);
  expect(terminalWidth(0, { COLUMNS: "wide" })).toBe(80);
});

it("wraps prose at spaces for a terminal, and leaves it on one line for a pipe", () => {
  const text =
    "11 findings for 4 of 4 tokens: 1 revoked, 1 expiring, 1 no-expiry, 2 broad-scopes, 3 stale, 3 unverified.";
  expect(wrapWords(text, undefined)).toBe(text);
  expect(wrapWords(text, 200)).toBe(text);
  const lines = wrapWords(text, 40).split("\n");
  expect(lines).toEqual([
    "11 findings for 4 of 4 tokens: 1",
    "revoked, 1 expiring, 1 no-expiry, 2",
    "broad-scopes, 3 stale, 3 unverified.",
  ]);
  expect(wrapWords("a https://example.com/a/very/long/url b", 10).split("\n")).toEqual([
    "a",
    "https://example.com/a/very/long/url",
    "b",
  ]);
});
