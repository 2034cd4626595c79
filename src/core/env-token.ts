import type { Env } from "../config.js";
import { asciiLower } from "./ascii.js";

/** github.com and GitHub Enterprise Cloud with data residency (*.ghe.com) share gh's variables. */
export function isGitHubCloud(host: string): boolean {
  return host === "github.com" || host.endsWith(".ghe.com");
}

/** gh's variables for a host's token, in gh's order of precedence: what ghpat reads (envToken) and what exec sets. */
export function tokenVariables(host: string): readonly string[] {
  return isGitHubCloud(asciiLower(host)) ? ["GH_TOKEN", "GITHUB_TOKEN"] : ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"];
}

/**
 * The token from the environment for a host (DESIGN.md section 2), used only
 * when nothing stored matches. With GH_HOST set, the environment's token
 * belongs to GH_HOST (as gh asks of GH_ENTERPRISE_TOKEN), and to no other
 * host but github.com: a token meant for one enterprise server, or one
 * *.ghe.com tenant, never reaches another.
 */
export function envToken(host: string, env: Env): { token: string; variable: string } | undefined {
  const lower = asciiLower(host);
  const owner = env.GH_HOST?.trim();
  if (owner && lower !== "github.com" && asciiLower(owner) !== lower) return undefined;
  for (const variable of tokenVariables(lower)) {
    const token = env[variable];
    if (token !== undefined && token !== "") return { token, variable };
  }
  return undefined;
}
