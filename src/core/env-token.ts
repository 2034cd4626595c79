import type { Env } from "../config.js";

/** github.com and GitHub Enterprise Cloud with data residency (*.ghe.com) share gh's variables. */
export function isGitHubCloud(host: string): boolean {
  return host === "github.com" || host.endsWith(".ghe.com");
}

/** The token from the environment for a host (DESIGN.md section 2), used only when nothing stored matches. */
export function envToken(host: string, env: Env): { token: string; variable: string } | undefined {
  const names = isGitHubCloud(host) ? ["GH_TOKEN", "GITHUB_TOKEN"] : ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"];
  for (const variable of names) {
    const token = env[variable];
    if (token !== undefined && token !== "") return { token, variable };
  }
  return undefined;
}
