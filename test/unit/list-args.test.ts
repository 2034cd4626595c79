import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { LIST_FLAGS, parseListArgs } from "../../src/cli/list-args.js";

describe("list's arguments on the fast path", () => {
  it("are exactly the flags commander defines for list, with the same kind of value", () => {
    const list = buildProgram().commands.find((c) => c.name() === "list");
    const defined = Object.fromEntries((list?.options ?? []).map((o) => [o.attributeName(), { type: o.required || o.optional ? "string" : "boolean" }]));
    expect(defined).toEqual(LIST_FLAGS);
    expect(list?.aliases()).toEqual(["ls"]);
  });

  it("takes the plain forms", () => {
    expect(parseListArgs([])).toEqual({ host: undefined, json: false });
    expect(parseListArgs(["--json"])).toEqual({ host: undefined, json: true });
    expect(parseListArgs(["--host", "ghe.example.com", "--json"])).toEqual({ host: "ghe.example.com", json: true });
    expect(parseListArgs(["--host=ghe.example.com"])).toEqual({ host: "ghe.example.com", json: false });
    expect(parseListArgs(["--json", "--"])).toEqual({ host: undefined, json: true });
  });

  it("leaves everything else to the program: help, mistakes, global flags", () => {
    for (const args of [["--help"], ["-h"], ["--bogus"], ["extra"], ["--host"], ["--json=yes"], ["--store", "file"], ["--", "extra"], ["-j"], ["--host", "-x"], ["--", "--json"], ["--no-json"], ["--js"]]) {
      expect(parseListArgs(args), args.join(" ")).toBeNull();
    }
  });
});
