import { makeRecord } from "../helpers/records.js";
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseIndex } from "../../src/storage/index-reader.js";
import { IndexStore, serializeIndex } from "../../src/storage/index-store.js";
import { CorruptIndexError, UsageError } from "../../src/errors.js";

const record = makeRecord;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-index-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("index store", () => {
  it("reads a missing index as empty", async () => {
    expect(await new IndexStore(join(dir, "cfg", "tokens.json")).read()).toEqual({ version: 1, tokens: [] });
  });

  it("writes 0600 in a 0700 directory and reads back what it wrote", async () => {
    const file = join(dir, "cfg", "tokens.json");
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, tokens: [record("a")] }, result: undefined }));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "cfg")).mode & 0o777).toBe(0o700);
    expect((await store.read()).tokens.map((t) => t.name)).toEqual(["a"]);
    expect(() => statSync(`${file}.lock`)).toThrow();
  });

  it("writes records in (host, name) order, one per line, in ASCII, and reads back the same data", async () => {
    const file = join(dir, "tokens.json");
    const store = new IndexStore(file);
    const tokens = [
      record("zeta"),
      record("b", { host: "ghe.example.com", note: "Schlüssel 🔑 \u2028" }),
      record("a"),
      record("c", { host: "ghe.example.com" }),
    ];
    await store.update((index) => ({ index: { ...index, extra: { kept: true }, tokens }, result: undefined }));
    const text = readFileSync(file, "utf8");
    expect([...text].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
    const lines = text.split("\n");
    expect(lines[0]).toBe('{"version":1,"extra":{"kept":true},"tokens":[');
    expect(lines.slice(1, 5).map((line) => JSON.parse(line.replace(/,$/, "")).name)).toEqual(["b", "c", "a", "zeta"]);
    expect(lines.slice(5)).toEqual(["]}", ""]);
    const read = await store.read();
    expect(read.extra).toEqual({ kept: true });
    expect(read.tokens.map((t) => `${t.host}/${t.name}`)).toEqual([
      "ghe.example.com/b",
      "ghe.example.com/c",
      "github.com/a",
      "github.com/zeta",
    ]);
    expect(read.tokens[0]?.note).toBe("Schlüssel 🔑 \u2028");
    expect(read.tokens[0]?.fingerprint).toBe("ghp_…ABCD");
    expect(serializeIndex({ version: 1, tokens: [] })).toBe('{"version":1,"tokens":[]}\n');
  });

  it("keeps fields it does not know", async () => {
    const file = join(dir, "tokens.json");
    writeFileSync(file, JSON.stringify({ version: 1, extra: 1, tokens: [{ ...record("a"), future: "x" }] }));
    const store = new IndexStore(file);
    await store.update((index) => ({ index, result: undefined }));
    const text = JSON.parse(readFileSync(file, "utf8"));
    expect(text.extra).toBe(1);
    expect(text.tokens[0].future).toBe("x");
  });

  it.each([
    ["not JSON", "{not json"],
    ["an unknown version", JSON.stringify({ version: 2, tokens: [] })],
    ["a bad record", JSON.stringify({ version: 1, tokens: [{ name: "a" }] })],
    ["a duplicate name", JSON.stringify({ version: 1, tokens: [record("a"), record("a")] })],
  ])("refuses %s, names the file and never overwrites it", async (_label, content) => {
    const file = join(dir, "tokens.json");
    writeFileSync(file, content);
    const store = new IndexStore(file);
    await expect(store.read()).rejects.toThrow(CorruptIndexError);
    await expect(store.read()).rejects.toThrow(file);
    await expect(store.update((index) => ({ index, result: undefined }))).rejects.toMatchObject({ exitCode: 2 });
    expect(readFileSync(file, "utf8")).toBe(content);
  });

  it("does not write through a symlinked index", async () => {
    const outside = join(dir, "outside.json");
    writeFileSync(outside, JSON.stringify({ version: 1, tokens: [] }));
    mkdirSync(join(dir, "cfg"));
    const file = join(dir, "cfg", "tokens.json");
    symlinkSync(outside, file);
    await expect(
      new IndexStore(file).update((index) => ({ index: { ...index, tokens: [record("a")] }, result: undefined })),
    ).rejects.toThrow(UsageError);
    expect(JSON.parse(readFileSync(outside, "utf8")).tokens).toEqual([]);
  });

  it("abandons the update when the mutation throws", async () => {
    const file = join(dir, "tokens.json");
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, tokens: [record("a")] }, result: undefined }));
    const before = readFileSync(file, "utf8");
    await expect(store.update(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("parses what serialize wrote", async () => {
    expect((await parseIndex(JSON.stringify({ version: 1, tokens: [record("x")] }), "f")).tokens[0]?.name).toBe("x");
  });

  it("validates in full any content it did not write itself", async () => {
    const file = join(dir, "tokens.json");
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, tokens: [record("a")] }, result: undefined }));
    expect((await store.read()).tokens).toHaveLength(1);
    // An in-place edit of the same length: the stat stamp no longer matches, so the schema catches it.
    const text = readFileSync(file, "utf8").replace('"status":"valid"', '"status":"bogus"');
    writeFileSync(file, text);
    await expect(store.read()).rejects.toThrow(CorruptIndexError);
  });
});
