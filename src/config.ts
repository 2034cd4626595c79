import { join } from "node:path";
import { UsageError } from "./errors.js";
import { normalizeHost, type StoreKind } from "./core/record.js";

export type { StoreKind };
export type Env = Readonly<Record<string, string | undefined>>;

/** Variables no program ghpat starts may see: the file store's passphrase, and the descriptor --passphrase-fd named. */
const NEVER_INHERITED = new Set(["GHPAT_PASSPHRASE", "GHPAT_PASSPHRASE_FD"]);

/**
 * The environment for every program ghpat runs (the command of `exec`, gh,
 * git, doctor's git): everything but the file store's passphrase, which
 * opens every stored token and is ghpat's alone. Every spawn and execFile in
 * src/ passes its result (test/unit/child-environment.test.ts holds them to it).
 * GHPAT_PASSPHRASE_FILE is passed on: it names a file, not the secret, and a
 * ghpat run by the child (git's credential helper) can then open the store.
 */
export function childEnvironment(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && !NEVER_INHERITED.has(key)) out[key] = value;
  return out;
}

export const DEFAULT_HOST = "github.com";
export const DEFAULT_KEYCHAIN_SERVICE = "ghpat";

export function configDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.GHPAT_CONFIG_DIR) return env.GHPAT_CONFIG_DIR;
  if (platform === "win32" && env.APPDATA) return join(env.APPDATA, "ghpat");
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "ghpat");
  // HOME is what os.homedir() returns first; node:os loads only without it.
  return join(env.HOME || process.getBuiltinModule("node:os").homedir(), ".config", "ghpat");
}

export function indexPath(env: Env = process.env): string {
  return join(configDir(env), "tokens.json");
}

/** The encrypted file store of GHPAT_STORE=file. */
export function secretsFilePath(env: Env = process.env): string {
  return join(configDir(env), "secrets.enc");
}

export function storeKind(env: Env = process.env, flag?: string): StoreKind {
  // Empty means unset, as for every other variable (a CI variable that expands to nothing).
  const value = flag ?? (env.GHPAT_STORE || "keychain");
  if (value === "keychain" || value === "file") return value;
  throw new UsageError(
    `Unknown secret store '${value}'.`,
    "Use GHPAT_STORE=keychain (the default) or GHPAT_STORE=file.",
  );
}

export function keychainService(env: Env = process.env): string {
  return env.GHPAT_KEYCHAIN_SERVICE || DEFAULT_KEYCHAIN_SERVICE;
}

/** The host a command works on: the flag, else GH_HOST, else github.com. */
export function resolveHost(flag: string | undefined, env: Env = process.env): string {
  const raw = flag ?? (env.GH_HOST || DEFAULT_HOST);
  const host = normalizeHost(raw);
  if (host === null) {
    throw new UsageError(
      `'${raw}' is not a host name.`,
      "Give a host such as github.com, example.ghe.com or ghe.example.com:8443.",
    );
  }
  return host;
}

/** The REST API base for a host (docs/design.md section 5); GHPAT_API_URL overrides every host. */
export function apiBaseUrl(host: string, env: Env = process.env): string {
  if (env.GHPAT_API_URL) return env.GHPAT_API_URL.replace(/\/+$/, "");
  if (host === "github.com") return "https://api.github.com";
  if (host.endsWith(".ghe.com")) return `https://api.${host}`;
  return `https://${host}/api/v3`;
}

export function isInteractive(stream: { isTTY?: boolean } = process.stdin, env: Env = process.env): boolean {
  return stream.isTTY === true && !isCI(env);
}

export function isCI(env: Env = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

export const DEFAULT_API_TIMEOUT_MS = 10_000;

/** Per-attempt API timeout: the `--timeout` flag (already in ms), else GHPAT_TIMEOUT (seconds), else 10 s. */
export function apiTimeoutMs(flagMs: number | undefined, env: Env = process.env): number {
  if (flagMs !== undefined) return flagMs;
  const raw = env.GHPAT_TIMEOUT;
  if (raw === undefined || raw.trim() === "") return DEFAULT_API_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      `GHPAT_TIMEOUT='${raw}' is not a number of seconds.`,
      "Set it to a number greater than 0, e.g. GHPAT_TIMEOUT=10, or unset it.",
    );
  }
  return Math.round(seconds * 1000);
}
