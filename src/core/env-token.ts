import type { Env } from "../config.js";
import { asciiLower } from "./ascii.js";

/** github.com and GitHub Enterprise Cloud with data residency (*.ghe.com) share gh's variables. */
export function isGitHubCloud(host: string): boolean {
  return host === "github.com" || host.endsWith(".ghe.com");
}

/** gh's variables for a host's token, in gh's order of precedence: what ghpat reads (envToken) and what exec sets. */
export function tokenVariables(host: string): readonly string[] {
  return isGitHubCloud(asciiLower(host))
    ? ["GH_TOKEN", "GITHUB_TOKEN"]
    : ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"];
}

/** GH_HOST, lower-cased, or undefined when unset or blank. */
function configuredHost(env: Env): string | undefined {
  const host = env.GH_HOST?.trim();
  return host ? asciiLower(host) : undefined;
}

/**
 * Whether the environment's token (docs/design.md section 5) may be used for a
 * host: the one rule behind `git-credential get`, `token` and `exec`.
 *
 * - With GH_HOST set, the environment's token belongs to GH_HOST (as gh asks
 *   of GH_ENTERPRISE_TOKEN). github.com may still have its GH_TOKEN beside
 *   an Enterprise Server's GH_ENTERPRISE_TOKEN, but not when GH_HOST is a
 *   *.ghe.com tenant: then GH_TOKEN and GITHUB_TOKEN are the tenant's (they
 *   are the variables a tenant's token is in, `exec` included), and
 *   github.com gets nothing. No other host gets anything.
 * - Without GH_HOST: github.com, and the hosts ghpat stores tokens for. Never
 *   any host git (or --host) merely names, or GH_ENTERPRISE_TOKEN would go to
 *   whatever server a URL names.
 */
export function envFallbackAllowed(host: string, storedHosts: readonly string[], env: Env): boolean {
  const lower = asciiLower(host);
  const owner = configuredHost(env);
  if (owner !== undefined) {
    if (lower === owner) return true;
    return lower === "github.com" && !owner.endsWith(".ghe.com");
  }
  return lower === "github.com" || storedHosts.some((stored) => asciiLower(stored) === lower);
}

/**
 * The environment's token for a host, used only when nothing stored
 * matches and only where envFallbackAllowed says so.
 */
export function envToken(
  host: string,
  storedHosts: readonly string[],
  env: Env,
): { token: string; variable: string } | undefined {
  if (host === "" || !envFallbackAllowed(host, storedHosts, env)) return undefined;
  for (const variable of tokenVariables(host)) {
    const token = env[variable];
    if (token !== undefined && token !== "") return { token, variable };
  }
  return undefined;
}
