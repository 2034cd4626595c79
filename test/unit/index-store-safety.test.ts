import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IndexStore } from "../../src/storage/index-store.js";
import { UnsafePermissionsError } from "../../src/storage/file-safety.js";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ghpat-index-safety-"));
  file = join(dir, "cfg", "tokens.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("index store safety", () => {
  it("writes nothing when the update returns the index unchanged", async () => {
    const store = new IndexStore(file);
    expect(await store.update((index) => ({ index, result: 42 }))).toBe(42);
    expect(readdirSync(join(dir, "cfg"))).toEqual([]);
  });

  it("refuses an index others can write, on read and on update, and leaves it as it was", async () => {
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, note: "x" }, result: undefined }));
    chmodSync(file, 0o664);
    await expect(store.read()).rejects.toBeInstanceOf(UnsafePermissionsError);
    await expect(
      store.update((index) => ({ index: { ...index, note: "y" }, result: undefined })),
    ).rejects.toMatchObject({ exitCode: 2, code: "EPERMS" });
    expect(statSync(file).mode & 0o777).toBe(0o664);
  });

  it("tightens an index others can only read", async () => {
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, note: "x" }, result: undefined }));
    chmodSync(file, 0o644);
    await store.read();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("sweeps a dead writer's temporary file on the next update", async () => {
    const store = new IndexStore(file);
    await store.update((index) => ({ index: { ...index, note: "x" }, result: undefined }));
    writeFileSync(`${file}.tmp-999999999-0123456789ab`, "{");
    await store.update((index) => ({ index: { ...index, note: "y" }, result: undefined }));
    expect(readdirSync(join(dir, "cfg")).sort()).toEqual(["tokens.json", "tokens.json.validated"]);
  });
});
