import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { childEnvironment, type Env } from "../../config.js";
import { NotFoundError, UsageError } from "../../errors.js";
import { normalizeHost } from "../../core/record.js";
import { isValidMatchPattern } from "../../core/match.js";
import { checkTokenFormat } from "../../core/token-format.js";
import { parseGitCredentials, type StoredCredential } from "../../core/git-credentials.js";
import { parseGhHosts } from "../../core/gh-hosts.js";
import { handledSecrets } from "../../ui/redact.js";

/** A token found somewhere else, ready to be imported. */
export interface Candidate {
  token: string;
  host: string;
  /** A login-like name the source gave (URL user name, gh's user), if usable. */
  user: string | null;
  /** Match patterns from per-repository lines (`https://…@host/owner/repo.git`). */
  match: string[];
  /** For messages: "line 3", "gh". */
  where: string;
}

export interface Skipped {
  where: string;
  reason: string;
}

/** User names that stand for "a token" rather than an account. */
const PLACEHOLDER_USERS = new Set([
  "",
  "x-access-token",
  "x-oauth-basic",
  "oauth2",
  "oauth",
  "token",
  "git",
  "pat",
  "personalaccesstoken",
  "username",
]);

function usableUser(user: string | null): string | null {
  if (user === null || PLACEHOLDER_USERS.has(user.toLowerCase())) return null;
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(user) ? user : null;
}

/** A GitHub token by its prefix, with nothing wrong in its format. */
export function isGitHubToken(value: string): boolean {
  const format = checkTokenFormat(value);
  return format.type !== "unknown" && format.problems.every((p) => p.severity === "warning");
}

function matchFromPath(path: string): string[] {
  const repo = path.replace(/\.git$/, "").replace(/\/+$/, "");
  return isValidMatchPattern(repo) && repo.includes("/") ? [repo] : [];
}

/** A candidate's identity: a token on a host. The same token written for two hosts is two candidates. */
export function candidateKey(host: string, token: string): string {
  return `${host}\n${token}`;
}

/** The host a line is stored for, in the form ghpat keeps hosts in; as written when it is not a host ghpat can normalise. */
function lineHost(credential: StoredCredential): string {
  return normalizeHost(credential.host) ?? credential.host;
}

/** The candidate a line of the file belongs to, or null for a line import leaves alone (another kind of secret, or skipped). */
export function lineCandidateKey(credential: StoredCredential): string | null {
  if (!isGitHubToken(credential.password) || unusable(credential) !== null) return null;
  return candidateKey(lineHost(credential), credential.password);
}

/** The GitHub tokens in a git credentials file, one candidate per token and host (the lines of one merge). */
export function candidatesFromGitCredentials(data: Buffer): {
  candidates: Candidate[];
  skipped: Skipped[];
  others: number;
} {
  const byKey = new Map<string, Candidate>();
  const skipped: Skipped[] = [];
  let others = 0;
  for (const credential of parseGitCredentials(data)) {
    if (!isGitHubToken(credential.password)) {
      others++;
      continue;
    }
    handledSecrets.add(credential.password);
    const problem = unusable(credential);
    if (problem) {
      skipped.push({ where: `line ${credential.line}`, reason: problem });
      continue;
    }
    const host = lineHost(credential);
    const key = candidateKey(host, credential.password);
    const existing = byKey.get(key);
    if (existing) {
      existing.where += `, ${credential.line}`;
      for (const m of matchFromPath(credential.path)) if (!existing.match.includes(m)) existing.match.push(m);
      continue;
    }
    byKey.set(key, {
      token: credential.password,
      host,
      user: usableUser(credential.username),
      match: matchFromPath(credential.path),
      where: `line ${credential.line}`,
    });
  }
  return { candidates: [...byKey.values()], skipped, others };
}

function unusable(credential: StoredCredential): string | null {
  if (credential.protocol !== "https")
    return `it is for ${credential.protocol}://, and ghpat serves tokens over https only; left in place`;
  if (normalizeHost(credential.host) === null) return `'${credential.host}' is not a host name; left in place`;
  return null;
}

/** gh's config directory: GH_CONFIG_DIR, else $XDG_CONFIG_HOME/gh, else ~/.config/gh. */
export function ghConfigDir(env: Env): string {
  if (env.GH_CONFIG_DIR) return env.GH_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "gh");
  return join(env.HOME || homedir(), ".config", "gh");
}

const GH_TIMEOUT_MS = 15_000;

function runGh(args: string[], env: Env): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    execFile(
      "gh",
      args,
      {
        env: { ...childEnvironment(env), GH_PROMPT_DISABLED: "1", NO_COLOR: "1" },
        timeout: GH_TIMEOUT_MS,
        maxBuffer: 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new NotFoundError(
              "The gh command is not on PATH.",
              "Install GitHub CLI, or import from git's store with 'ghpat import --from git-credentials'.",
            ),
          );
          return;
        }
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
  });
}

/** One token per host gh knows, from `gh auth token --hostname HOST` (no shell; the token arrives on gh's stdout). */
export async function candidatesFromGh(
  env: Env,
): Promise<{ candidates: Candidate[]; skipped: Skipped[]; hostsFile: string }> {
  const hostsFile = join(ghConfigDir(env), "hosts.yml");
  let text: string;
  try {
    text = await readFile(hostsFile, "utf8");
  } catch {
    throw new NotFoundError(
      `gh has no ${hostsFile}: it is logged in to no host.`,
      "Log in with 'gh auth login', or set GH_CONFIG_DIR to gh's configuration directory.",
    );
  }
  const candidates: Candidate[] = [];
  const skipped: Skipped[] = [];
  for (const { host: rawHost, user } of parseGhHosts(text)) {
    const where = `gh (${rawHost})`;
    const host = normalizeHost(rawHost);
    if (host === null) {
      skipped.push({ where, reason: `'${rawHost}' is not a host name` });
      continue;
    }
    const result = await runGh(["auth", "token", "--hostname", host], env);
    const token = result.stdout.replace(/\r?\n$/, "");
    if (token !== "") handledSecrets.add(token);
    if (result.code !== 0 || token === "") {
      skipped.push({
        where,
        reason: `'gh auth token --hostname ${host}' failed${result.code !== null ? ` (exit ${result.code})` : ""}`,
      });
      continue;
    }
    if (!isGitHubToken(token)) {
      skipped.push({ where, reason: "gh gave something that is not a GitHub token" });
      continue;
    }
    candidates.push({ token, host, user: usableUser(user), match: [], where });
  }
  return { candidates, skipped, hostsFile };
}

export function refuseGitCredentialOptionsForGh(options: {
  file?: string | undefined;
  removePlaintext?: boolean | undefined;
  backup: boolean;
}): void {
  if (options.file !== undefined || options.removePlaintext !== undefined || options.backup) {
    throw new UsageError(
      "A file, --remove-plaintext, --keep-plaintext and --backup go with --from git-credentials only.",
      "gh keeps its own tokens; remove them there with 'gh auth logout' if you want.",
    );
  }
}
