import { expect, it } from "vitest";
import { renderTable } from "../../src/ui/output.js";

it("pads each column to its widest cell, two spaces apart, with no trailing blanks", () => {
  const table = renderTable(["NAME", "HOST", "NOTE"], [["a", "github.com", "x"], ["longer-name", "h", ""], ["b", "", ""]]);
  expect(table.split("\n")).toEqual(["NAME         HOST        NOTE", "a            github.com  x", "longer-name  h", "b"]);
});

it("colours cells after padding, and never the header", () => {
  const painted = renderTable(["A", "B"], [["x", "yy"], ["zzz", "w"]], (row, col, text) => `<${row}.${col}:${text}>`);
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
