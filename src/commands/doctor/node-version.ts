import { result, type CheckResult } from "./check.js";

/**
 * The Node.js lines ghpat supports and tests, as package.json's `engines`
 * says (`^22.13.0 || >=24`; a unit test holds the two together): the
 * maintained LTS lines 22 and 24 and what came after them. Its dependencies
 * set the floor (content-type, through @octokit/request, needs 22; the
 * @inquirer packages need 22.13 on that line).
 */
export const SUPPORTED_NODE = {
  range: "^22.13.0 || >=24",
  lines: [
    [22, 13, 0],
    [24, 0, 0],
  ],
} as const;

export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version
    .replace(/^v/, "")
    .split(".")
    .map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < minimum.length; i++) {
    const have = parts[i] ?? 0;
    const want = minimum[i] ?? 0;
    if (Number.isNaN(have)) return false;
    if (have !== want) return have > want;
  }
  return true;
}

/** Whether `version` is in SUPPORTED_NODE.range: 22.13 or a later 22, or 24 or later (23 was never a maintained line). */
export function nodeSupported(version: string): boolean {
  const major = Number.parseInt(version.replace(/^v/, ""), 10);
  const [line22, line24] = SUPPORTED_NODE.lines;
  return major === 22 ? versionAtLeast(version, line22) : versionAtLeast(version, line24);
}

/**
 * A Node outside the range warns: ghpat may well run on it, but it is not
 * tested there, and npm warned (EBADENGINE) when it installed ghpat.
 */
export function checkNodeVersion(version: string = process.versions.node): CheckResult {
  if (nodeSupported(version))
    return result("node", "Node.js", "ok", `Node.js ${version} (ghpat supports ${SUPPORTED_NODE.range}).`);
  return result(
    "node",
    "Node.js",
    "warn",
    `Node.js ${version} is not a version ghpat supports (${SUPPORTED_NODE.range}): it is not tested there.`,
    {
      fix: "Install Node.js 24 or 22 (e.g. 'nvm install 24') and run ghpat with it.",
    },
  );
}
