import { result, type CheckResult } from "./check.js";

export const MINIMUM_NODE = [20, 19, 0] as const;

export function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.replace(/^v/, "").split(".").map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < minimum.length; i++) {
    const have = parts[i] ?? 0;
    const want = minimum[i] ?? 0;
    if (Number.isNaN(have)) return false;
    if (have !== want) return have > want;
  }
  return true;
}

export function checkNodeVersion(version: string = process.versions.node): CheckResult {
  const needed = MINIMUM_NODE.slice(0, 2).join(".");
  if (versionAtLeast(version, MINIMUM_NODE)) return result("node", "Node.js", "ok", `Node.js ${version} (ghpat needs ${needed} or newer).`);
  return result("node", "Node.js", "fail", `Node.js ${version} is older than ${needed}, which ghpat needs.`, {
    fix: `Install Node.js ${needed} or newer (e.g. 'nvm install 22') and run ghpat with it.`,
  });
}
