import { lstat, mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { GhpatError, StoreUnavailableError, UsageError } from "../errors.js";
import type { HeldLock } from "./lock.js";
import type { SecretStore } from "./secret-store.js";
import { isErrno } from "./errno.js";
import { judgePermissions, UnsafePermissionsError } from "./file-safety.js";
import {
  DEFAULT_KDF,
  decodeSecrets,
  deriveKeys,
  encodeSecrets,
  newSalt,
  parseHeader,
  seal,
  SecretsFileFormatError,
  unseal,
  type FormatProblem,
  type Header,
  type KdfParams,
  type Keys,
} from "./secrets-file-format.js";

const FILE_MODE = 0o600;
/** How many passphrases a person at the prompt may try on one run. */
export const PASSPHRASE_TRIES = 3;
const DIR_MODE = 0o700;

/** "open" for an existing file; "create" when the first secret starts a new one (a prompt asks twice). */
export type PassphrasePurpose = "open" | "create";
export type PassphraseSource = (purpose: PassphrasePurpose) => Promise<string>;

export interface FileStoreOptions {
  passphrase: PassphraseSource;
  /**
   * After a passphrase that does not open the file: another one (a person at
   * the prompt may have mistyped), or null when there is nobody to ask (it
   * came from the environment). Asked at most PASSPHRASE_TRIES - 1 times.
   */
  askAgain?: (triesLeft: number) => Promise<string | null>;
  /** Parameters for a new file; an existing file keeps the ones in its header. */
  kdf?: KdfParams;
}

interface Opened {
  header: Header;
  keys: Keys;
  secrets: Map<string, string>;
}

const PROBLEM_HINTS: Record<FormatProblem, string> = {
  passphrase:
    "Check the passphrase you gave (--passphrase-fd, GHPAT_PASSPHRASE_FILE, GHPAT_PASSPHRASE, or what you typed). Without the right passphrase the tokens in it cannot be recovered: then move the file aside, add the tokens again and revoke the old ones.",
  version: "It was written by a newer ghpat. Upgrade ghpat to read it; this one will not change it.",
  truncated:
    "It was cut short (a full disk, or a copy that did not finish). Restore it from a backup; ghpat will not change it.",
  "not-ours": "Restore it from a backup; ghpat will not change it.",
  kdf: "The file was altered or damaged. Restore it from a backup; ghpat will not change it.",
  tampered: "The file was altered or damaged after ghpat wrote it. Restore it from a backup; ghpat will not change it.",
  contents: "Restore it from a backup; ghpat will not change it.",
};

/**
 * Secrets in one AES-256-GCM encrypted file (`secrets.enc`, see
 * secrets-file-format.ts), for machines without a keychain.
 *
 * The key is derived once per process and kept in memory only; every read
 * goes back to the file, so a copy is verified against what is on disk.
 * Writes re-read the file under its own lock, re-encrypt it with a fresh
 * nonce and replace it atomically (mode 0600). Anything unreadable is an
 * error (exit 4) and the file is never rewritten.
 */
export class FileStore implements SecretStore {
  readonly kind = "file" as const;
  private passphrase: string | undefined;
  /** Derived keys by salt and parameters: one scrypt per process and file. */
  private readonly keys = new Map<string, Keys>();

  constructor(
    readonly file: string,
    private readonly options: FileStoreOptions,
  ) {}

  async get(account: string): Promise<string | null> {
    const opened = await this.open();
    return opened?.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.modify((secrets) => {
      secrets.set(account, secret);
      return true;
    });
  }

  async delete(account: string): Promise<boolean> {
    return this.modify((secrets) => secrets.delete(account), { createIfMissing: false });
  }

  /** Opens the file with its passphrase, or, when there is no file yet, takes the passphrase to create it with. */
  async ready(): Promise<void> {
    const opened = await this.open();
    if (opened === null) this.passphrase ??= await this.askPassphrase("create");
  }

  /** The file's contents, or null when there is no file yet. */
  private async open(): Promise<Opened | null> {
    const data = await this.readBytes();
    if (data === null) return null;
    for (let tries = 1; ; tries++) {
      try {
        const header = parseHeader(data);
        const keys = await this.keysFor(header.salt, header.kdf, "open");
        return { header, keys, secrets: decodeSecrets(unseal(data, header, keys)) };
      } catch (error) {
        if (!(error instanceof SecretsFileFormatError)) throw error;
        if (
          error.problem === "passphrase" &&
          tries < PASSPHRASE_TRIES &&
          (await this.tryAnotherPassphrase(PASSPHRASE_TRIES - tries))
        )
          continue;
        throw this.unreadable(error);
      }
    }
  }

  /** Takes another passphrase after a wrong one, when someone can give it; false when nobody can. */
  private async tryAnotherPassphrase(triesLeft: number): Promise<boolean> {
    const again = await this.options.askAgain?.(triesLeft);
    if (again === undefined || again === null || again === "") return false;
    this.passphrase = again;
    this.keys.clear();
    return true;
  }

  private unreadable(error: SecretsFileFormatError): StoreUnavailableError {
    const what =
      error.problem === "passphrase"
        ? `The passphrase does not open the file store ${this.file}`
        : `The file store ${this.file} cannot be read: ${error.message}`;
    return new StoreUnavailableError(`${what}.`, PROBLEM_HINTS[error.problem]);
  }

  /**
   * The file's bytes, after the index's owner and mode rules (file-safety.ts):
   * a file others could write may have been swapped for an older copy,
   * which the passphrase would still open.
   */
  private async readBytes(): Promise<Buffer | null> {
    const cannotRead = (error: unknown) =>
      new StoreUnavailableError(
        `Cannot read the file store ${this.file}: ${(error as Error).message}`,
        "Check the file's owner and permissions.",
      );
    let handle: FileHandle;
    try {
      handle = await open(this.file, "r");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw cannotRead(error);
    }
    try {
      const verdict = judgePermissions(await handle.stat(), "file");
      if (verdict.kind === "refuse")
        throw new UnsafePermissionsError(this.file, verdict.reason, "file", "The file store");
      // Best effort, as for the index: a read-only mount stays as it is.
      if (verdict.kind === "tighten") await handle.chmod(verdict.mode).catch(() => undefined);
      return await handle.readFile();
    } catch (error) {
      throw error instanceof GhpatError ? error : cannotRead(error);
    } finally {
      await handle.close();
    }
  }

  private async keysFor(salt: Buffer, kdf: KdfParams, purpose: PassphrasePurpose): Promise<Keys> {
    const id = `${salt.toString("hex")}:${kdf.logN}:${kdf.r}:${kdf.p}`;
    let keys = this.keys.get(id);
    if (!keys) {
      this.passphrase ??= await this.askPassphrase(purpose);
      keys = await deriveKeys(this.passphrase, salt, kdf);
      this.keys.set(id, keys);
    }
    return keys;
  }

  private async askPassphrase(purpose: PassphrasePurpose): Promise<string> {
    const passphrase = await this.options.passphrase(purpose);
    if (passphrase === "")
      throw new StoreUnavailableError(
        `The passphrase of the file store ${this.file} is empty.`,
        "Give a long random passphrase: in a file readable by you alone (GHPAT_PASSPHRASE_FILE), through --passphrase-fd, or in GHPAT_PASSPHRASE.",
      );
    return passphrase;
  }

  /** Read, change and rewrite under the store's lock; `change` returns whether anything changed. */
  private async modify(
    change: (secrets: Map<string, string>) => boolean,
    { createIfMissing = true } = {},
  ): Promise<boolean> {
    await this.prepareDirectory();
    const lock = await this.lock();
    try {
      const opened = await this.open();
      if (!opened && !createIfMissing) return false;
      const secrets = opened?.secrets ?? new Map<string, string>();
      if (!change(secrets)) return false;
      const salt = opened?.header.salt ?? newSalt();
      const kdf = opened?.header.kdf ?? this.options.kdf ?? DEFAULT_KDF;
      const keys = opened?.keys ?? (await this.keysFor(salt, kdf, "create"));
      const sealed = seal(encodeSecrets(secrets), keys, salt, kdf);
      const { confirmLockBeforeWrite } = await import("./lock-errors.js");
      await confirmLockBeforeWrite(lock);
      await this.write(sealed);
      return true;
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  private async prepareDirectory(): Promise<void> {
    const dir = dirname(this.file);
    try {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
    } catch (error) {
      throw new UsageError(
        `Cannot prepare the config directory ${dir}: ${(error as Error).message}`,
        "Make it writable by you, or point GHPAT_CONFIG_DIR at a directory that is.",
      );
    }
  }

  /** The same owner-aware lock as the index (lock.ts), on `secrets.enc.lock`. */
  private async lock(): Promise<HeldLock> {
    const { acquireLock, LockBusyError } = await import("./lock.js");
    try {
      return await acquireLock(`${this.file}.lock`);
    } catch (error) {
      if (error instanceof LockBusyError)
        throw (await import("./lock-errors.js")).lockBusyError(`The file store ${this.file}`, error);
      throw new StoreUnavailableError(
        `Cannot lock the file store ${this.file}: ${(error as Error).message}`,
        "Make the config directory writable by you.",
      );
    }
  }

  private async write(data: Buffer): Promise<void> {
    try {
      if ((await lstat(this.file)).isSymbolicLink()) {
        throw new UsageError(
          `${this.file} is a symbolic link; ghpat will not write through it.`,
          "Replace the link with the file it points to.",
        );
      }
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
    }
    const { writeFileAtomic } = await import("./atomic-file.js");
    try {
      await writeFileAtomic(this.file, data, FILE_MODE);
    } catch (error) {
      if (error instanceof GhpatError) throw error;
      throw new StoreUnavailableError(
        `Cannot write the file store ${this.file}: ${(error as Error).message}`,
        "Make the config directory writable by you; nothing was changed.",
      );
    }
  }
}
