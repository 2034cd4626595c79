import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { secretTool, secretToolLookup } from "./keyring.js";
import { readSecretsFile } from "./secrets-file.js";
import { seedAdded, type AddedEntry } from "./seed.js";
import type { TokenRecord } from "../../src/core/record.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin", "ghpat.js");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** For `token` and `git-credential get`, the two places a token may be printed. */
  secretOnStdout?: boolean;
  /** Only for tests that check a token given as an argument is refused. */
  secretInArgs?: boolean;
  timeoutMs?: number;
  cwd?: string;
  /** Runs the CLI through this command prefix, e.g. `["unshare", ...]`; the prefix must end by exec'ing its arguments. */
  wrap?: string[];
}

export type StoreKind = "keychain" | "file";

export interface SandboxOptions {
  /** The private keyring's environment (from `inject("keyringEnv")`). */
  keyringEnv?: Record<string, string> | null;
  /** The secret store under test: "file" sets GHPAT_STORE=file and GHPAT_PASSPHRASE. Default keychain. */
  store?: StoreKind;
  apiUrl?: string;
  env?: Record<string, string>;
  /**
   * Run every command with GHPAT_DEBUG=1, so that the scans cover stack
   * traces too. Defaults to on; GHPAT_TEST_DEBUG=0 turns it off for a run of
   * the suite, and a single run can pass `env: { GHPAT_DEBUG: undefined }`.
   */
  debug?: boolean;
}

export const DEBUG_BY_DEFAULT = process.env.GHPAT_TEST_DEBUG !== "0";

/** Every file under `dir`, recursively, with its bytes. */
export function filesUnder(dir: string): Array<{ path: string; content: Buffer }> {
  const out: Array<{ path: string; content: Buffer }> = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) {
      // Another process may rename a temporary file away between the listing and the read.
      try {
        out.push({ path, content: readFileSync(path) });
      } catch {
        continue;
      }
    }
  }
  return out;
}

/**
 * One test's world: a temporary config directory and HOME, a unique keychain
 * service on the shared private keyring, and an explicit environment (nothing
 * of the developer's leaks in). Every run is scanned for the canary secrets.
 */
export class Sandbox {
  readonly dir: string;
  readonly home: string;
  readonly configDir: string;
  readonly service: string;
  readonly env: Record<string, string>;
  readonly store: StoreKind;
  /** The file store's passphrase (in env only when store is "file"; pass it yourself otherwise). */
  readonly passphrase: string;
  private readonly keyringEnv: Record<string, string> | null;
  /** Secrets that must appear in no output, file or argument. */
  readonly canaries = new Set<string>();
  /** Files outside the config directory that are scanned too (a repository's .git/config, ...). */
  readonly watched = new Set<string>();

  constructor(options: SandboxOptions = {}) {
    this.store = options.store ?? "keychain";
    this.passphrase = `test passphrase ${randomBytes(9).toString("base64")}`;
    // The passphrase opens every stored token: it is hunted for wherever a token is.
    this.canaries.add(this.passphrase);
    this.keyringEnv = options.keyringEnv ?? null;
    this.dir = mkdtempSync(join(tmpdir(), "ghpat-test-"));
    this.home = join(this.dir, "home");
    mkdirSync(this.home);
    this.configDir = join(this.dir, "config", "ghpat");
    this.service = `ghpat-test-${randomBytes(6).toString("hex")}`;
    this.env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: this.home,
      LANG: "C.UTF-8",
      // Dates and days to expiry are local (src/core/days.ts): every run counts them in one zone.
      TZ: "UTC",
      GHPAT_CONFIG_DIR: this.configDir,
      GHPAT_KEYCHAIN_SERVICE: this.service,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: join(this.home, ".gitconfig"),
      ...(options.keyringEnv ? { DBUS_SESSION_BUS_ADDRESS: options.keyringEnv.DBUS_SESSION_BUS_ADDRESS ?? "" } : {}),
      ...(options.apiUrl ? { GHPAT_API_URL: options.apiUrl } : {}),
      ...(this.store === "file" ? { GHPAT_STORE: "file", GHPAT_PASSPHRASE: this.passphrase } : {}),
      ...((options.debug ?? DEBUG_BY_DEFAULT) ? { GHPAT_DEBUG: "1" } : {}),
      ...options.env,
    };
  }

  /** Registers a secret the scans must never find. */
  canary(token: string): string {
    this.canaries.add(token);
    return token;
  }

  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    if (!options.secretInArgs) {
      for (const arg of args)
        for (const secret of this.canaries) expect(arg.includes(secret), "a test put a secret in argv").toBe(false);
    }
    const env = Object.fromEntries(
      Object.entries({ ...this.env, ...options.env }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    const [command, ...prefix] = [...(options.wrap ?? []), process.execPath];
    const result = await runProcess(command as string, [...prefix, BIN, ...args], {
      env,
      input: options.input,
      timeoutMs: options.timeoutMs ?? 20_000,
      cwd: options.cwd ?? this.dir,
    });
    this.assertNoLeak(result, { stdout: !options.secretOnStdout });
    return result;
  }

  /**
   * Stores tokens as `ghpat add` runs would, in this sandbox's store (or
   * `store`), without spawning them (see seedAdded): for tests of anything
   * but `add`.
   */
  seed(entries: AddedEntry[], options: { store?: StoreKind } = {}): TokenRecord[] {
    return seedAdded(this, entries, { ...options, keyringEnv: this.keyringEnv });
  }

  /** Scans `path` too after every run (e.g. a file a command under test writes outside the config directory). */
  watchFile(path: string): void {
    this.watched.add(path);
  }

  /** Scans the repository's own git config after every run (`git config --local`). */
  watchGitRepo(dir: string): void {
    this.watched.add(join(dir, ".git", "config"));
  }

  /** The git config files a command could write: global (both places), XDG, and every watched file. */
  gitConfigFiles(): string[] {
    const xdg = this.env.XDG_CONFIG_HOME ?? join(this.home, ".config");
    return [
      ...new Set(
        [this.env.GIT_CONFIG_GLOBAL, join(this.home, ".gitconfig"), join(xdg, "git", "config"), ...this.watched].filter(
          (p): p is string => Boolean(p),
        ),
      ),
    ];
  }

  /**
   * Fails the test when a canary shows up on stderr (stack traces included:
   * runs are made with GHPAT_DEBUG=1), stdout (unless allowed), any file
   * under the config directory, or any git config file.
   */
  assertNoLeak(result?: RunResult, scan: { stdout: boolean } = { stdout: true }): void {
    const gitFiles = this.gitConfigFiles().flatMap((path) => {
      try {
        return [{ path, content: readFileSync(path) }];
      } catch {
        return [];
      }
    });
    for (const secret of this.canaries) {
      if (result) {
        expect(result.stderr.includes(secret), `secret leaked on stderr:\n${result.stderr}`).toBe(false);
        if (scan.stdout)
          expect(result.stdout.includes(secret), `secret leaked on stdout:\n${result.stdout}`).toBe(false);
      }
      for (const file of filesUnder(this.configDir)) {
        expect(file.content.includes(secret), `secret leaked into ${file.path}`).toBe(false);
      }
      for (const file of gitFiles) {
        expect(file.content.includes(secret), `secret leaked into ${file.path}`).toBe(false);
      }
    }
  }

  /**
   * Environment overrides under which this sandbox's secret store cannot be
   * opened: no D-Bus for the keychain, no passphrase for the file store.
   */
  lockedEnv(): Record<string, string | undefined> {
    return this.store === "keychain"
      ? { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" }
      : { GHPAT_PASSPHRASE: undefined };
  }

  /** What the real store holds for an account (`host/name`), read without ghpat: secret-tool, or an independent decryption of secrets.enc. */
  storedSecret(account: string, store: StoreKind = this.store): string | null {
    if (store === "keychain") {
      if (!this.keyringEnv) throw new Error("this sandbox has no keyring");
      return secretToolLookup({ env: this.keyringEnv }, this.service, account);
    }
    return readSecretsFile(this.secretsPath(), this.passphrase)?.[account] ?? null;
  }

  /** Every account the real store holds for this sandbox, read without ghpat. */
  storedAccounts(store: StoreKind = this.store): string[] {
    if (store === "keychain") {
      if (!this.keyringEnv) throw new Error("this sandbox has no keyring");
      const search = secretTool({ env: this.keyringEnv }, ["search", "--all", "service", this.service]);
      return search.stderr
        .split("\n")
        .filter((line) => line.startsWith("attribute.account = "))
        .map((line) => line.slice("attribute.account = ".length))
        .sort();
    }
    return Object.keys(readSecretsFile(this.secretsPath(), this.passphrase) ?? {}).sort();
  }

  secretsPath(): string {
    return join(this.configDir, "secrets.enc");
  }

  indexPath(): string {
    return join(this.configDir, "tokens.json");
  }

  readIndexText(): string | null {
    try {
      return readFileSync(this.indexPath(), "utf8");
    } catch {
      return null;
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; input?: string | Buffer | undefined; timeoutMs: number; cwd?: string },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => stdout.push(c));
    child.stderr.on("data", (c: Buffer) => stderr.push(c));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not finish within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}
