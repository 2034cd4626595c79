import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** What dist/ is built from: a change in any of these makes the build stale. */
export const BUILD_INPUTS = ["src", "bin", "scripts/build.mjs", "scripts/api-types.mjs", "package.json"];
export const BUILD_OUTPUT = "dist";
export const BUILD_COMMAND = "npm run build";

/** Every file under `path` (or `path` itself), with its modification time; a missing path gives nothing. */
function filesWithTimes(path: string): Array<{ path: string; mtimeMs: number }> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [{ path, mtimeMs: stat.mtimeMs }];
  return readdirSync(path).flatMap((entry) => filesWithTimes(join(path, entry)));
}

/**
 * The newest input that is newer than the oldest file of the build, or
 * "no build" when there is none; null when the build is up to date. The
 * build deletes dist/ and writes every file anew, so its oldest file says
 * when it ran.
 */
export function staleBuildReason(root: string): string | null {
  const outputs = filesWithTimes(join(root, BUILD_OUTPUT));
  if (outputs.length === 0) return `there is no ${BUILD_OUTPUT}/`;
  const builtAt = Math.min(...outputs.map((file) => file.mtimeMs));
  const newer = BUILD_INPUTS.flatMap((input) => filesWithTimes(join(root, input))).filter(
    (file) => file.mtimeMs > builtAt,
  );
  if (newer.length === 0) return null;
  const newest = newer.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  const others = newer.length > 1 ? ` and ${newer.length - 1} other file${newer.length > 2 ? "s" : ""}` : "";
  return `${relative(root, newest.path)}${others} changed after the last build`;
}

/**
 * The end-to-end tests run the built CLI, so a change in src/ would pass
 * them until someone rebuilt. Rebuilds when the build is stale (esbuild
 * takes a second or two), and fails with the command to run when that
 * rebuild fails. Costs a few milliseconds of stat calls when it is fresh.
 */
export function ensureFreshBuild(
  root: string,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  const reason = staleBuildReason(root);
  if (reason === null) return;
  log(`The build is stale (${reason}): running '${BUILD_COMMAND}' before the tests.`);
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 120_000,
  });
  if (build.status !== 0) {
    throw new Error(
      `The tests run ${BUILD_OUTPUT}/, which is out of date (${reason}), and rebuilding it failed. Run '${BUILD_COMMAND}', fix what it reports, then run the tests again.`,
    );
  }
  const after = staleBuildReason(root);
  if (after !== null)
    throw new Error(
      `${BUILD_OUTPUT}/ is still out of date after '${BUILD_COMMAND}' (${after}): is that file dated in the future?`,
    );
}
