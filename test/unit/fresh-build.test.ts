import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureFreshBuild, staleBuildReason } from "../helpers/fresh-build.js";

/** A project in a temporary directory: src/, a build script standing in for esbuild, and dist/ when built. */
let root: string;
const lines: string[] = [];

function write(path: string, text: string, mtime?: Date): void {
  const file = join(root, path);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  if (mtime) utimesSync(file, mtime, mtime);
}

const anHourAgo = new Date(Date.now() - 3_600_000);
const twoHoursAgo = new Date(Date.now() - 7_200_000);
const BUILD_SCRIPT =
  'import { mkdirSync, writeFileSync } from "node:fs"; mkdirSync("dist/cli", { recursive: true }); writeFileSync("dist/cli/main.cjs", "built"); writeFileSync("dist/api.js", "built");';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "ghpat-fresh-build-"));
  lines.length = 0;
  write("src/main.ts", "export {};", twoHoursAgo);
  write("src/core/record.ts", "export {};", twoHoursAgo);
  write("scripts/build.mjs", BUILD_SCRIPT, twoHoursAgo);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the check that dist/ is built from the current sources", () => {
  it("says there is no build when dist/ is missing", () => {
    expect(staleBuildReason(root)).toBe("there is no dist/");
  });

  it("passes a build newer than every source", () => {
    write("dist/cli/main.cjs", "built", anHourAgo);
    write("dist/api.js", "built", anHourAgo);
    expect(staleBuildReason(root)).toBeNull();
  });

  it("names the newest source changed since the build, and how many others", () => {
    write("dist/cli/main.cjs", "built", anHourAgo);
    write("src/main.ts", "export const changed = 1;", new Date(Date.now() - 60_000));
    write("src/core/record.ts", "export const changed = 2;");
    expect(staleBuildReason(root)).toBe("src/core/record.ts and 1 other file changed after the last build");
  });

  it("dates the build by its oldest file, so a build that stopped half-way counts as stale", () => {
    write("dist/api.js", "left from an earlier build", twoHoursAgo);
    write("dist/cli/main.cjs", "built", new Date());
    write("src/main.ts", "export {};", anHourAgo);
    expect(staleBuildReason(root)).toBe("src/main.ts changed after the last build");
  });

  it("counts the build script and bin/ as sources", () => {
    write("dist/cli/main.cjs", "built", anHourAgo);
    write("bin/ghpat.js", "changed");
    expect(staleBuildReason(root)).toBe("bin/ghpat.js changed after the last build");
  });

  it("does nothing, not even run the build, when the build is fresh", () => {
    write("dist/cli/main.cjs", "built", anHourAgo);
    write("scripts/build.mjs", 'throw new Error("the build ran")', twoHoursAgo);
    ensureFreshBuild(root, (line) => lines.push(line));
    expect(lines).toEqual([]);
  });

  it("rebuilds a stale build and says why", () => {
    write("dist/cli/main.cjs", "old", twoHoursAgo);
    write("src/main.ts", "export const changed = 1;", anHourAgo);
    ensureFreshBuild(root, (line) => lines.push(line));
    expect(lines).toEqual([
      "The build is stale (src/main.ts changed after the last build): running 'npm run build' before the tests.",
    ]);
    expect(staleBuildReason(root)).toBeNull();
  });

  it("fails with the command to run when the rebuild fails", () => {
    write("scripts/build.mjs", "process.exit(1)");
    expect(() => ensureFreshBuild(root, () => undefined)).toThrow(/there is no dist\/.*Run 'npm run build'/);
  });
});
