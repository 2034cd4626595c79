import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Env } from "../../config.js";
import { findTokens, maskToken } from "../../core/scan/detect.js";
import type { FoundToken } from "../../core/scan/finding.js";
import { quoted } from "../../core/controls.js";
import { fingerprint } from "../../core/token-format.js";
import { displayPath, type FileToScan } from "./files.js";

function homeOf(env: Env): string {
  return env.HOME || process.getBuiltinModule("node:os").homedir();
}

/**
 * The usual places tokens pile up in a home directory: shell and REPL
 * histories, git's plain-text credential store, .netrc, .npmrc, gh's
 * hosts.yml and docker's config.json. Missing ones are simply not there.
 */
export function homeFiles(env: Env): string[] {
  const home = homeOf(env);
  const config = env.XDG_CONFIG_HOME || join(home, ".config");
  const data = env.XDG_DATA_HOME || join(home, ".local", "share");
  return [
    ...(env.HISTFILE ? [env.HISTFILE] : []),
    join(home, ".bash_history"),
    join(home, ".zsh_history"),
    join(home, ".zhistory"),
    join(home, ".sh_history"),
    join(home, ".history"),
    join(data, "fish", "fish_history"),
    join(home, ".python_history"),
    join(home, ".node_repl_history"),
    join(home, ".git-credentials"),
    join(config, "git", "credentials"),
    join(home, ".netrc"),
    join(home, "_netrc"),
    join(home, ".npmrc"),
    join(env.GH_CONFIG_DIR || join(config, "gh"), "hosts.yml"),
    dockerConfig(env),
  ];
}

function dockerConfig(env: Env): string {
  return join(env.DOCKER_CONFIG || join(homeOf(env), ".docker"), "config.json");
}

const ENV_FILE = /^\.env(\..+)?$|\.env$/;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/** Every `.env` file (`.env`, `.env.local`, `prod.env`, ...) under `dir`, ignored or not; no link is followed, .git and node_modules are not entered. */
export async function envFilesUnder(dir: string, out: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isFile() && ENV_FILE.test(entry.name)) out.push(path);
    else if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await envFilesUnder(path, out);
  }
  return out;
}

export async function homeTargets(env: Env, cwd: string): Promise<FileToScan[]> {
  const files = [...new Set([...homeFiles(env), ...(await envFilesUnder(cwd))])];
  return files.map((path) => ({ path, source: "home" as const }));
}

/**
 * Docker keeps registry logins as base64 `user:password` in `auths.*.auth`:
 * a token there is no plain text for the byte search, so each is decoded.
 * The finding points at the value; its excerpt shows neither the base64 nor
 * the token.
 */
export async function dockerAuthTokens(env: Env): Promise<FoundToken[]> {
  const path = dockerConfig(env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const auths = (parsed as { auths?: unknown }).auths;
  if (typeof auths !== "object" || auths === null) return [];
  const out: FoundToken[] = [];
  for (const [registry, entry] of Object.entries(auths as Record<string, unknown>)) {
    const auth = (entry as { auth?: unknown } | null)?.auth;
    if (typeof auth !== "string" || auth.length > 10_000) continue;
    const decoded = Buffer.from(auth, "base64");
    for (const candidate of findTokens(decoded)) {
      const at = text.indexOf(auth);
      const before = at === -1 ? "" : text.slice(0, at);
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      out.push({
        token: candidate.token,
        finding: {
          file: displayPath(path),
          line,
          column,
          kind: candidate.kind,
          fingerprint: fingerprint(candidate.token),
          checksum: candidate.checksum,
          commit: null,
          name: null,
          host: null,
          source: "home",
          excerpt: `"auth" for ${quoted(registry.slice(0, 100))}: base64 of a login whose password is ${maskToken(candidate.token)}`,
        },
      });
    }
  }
  return out;
}
