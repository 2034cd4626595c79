import { createRequire } from "node:module";
import { StoreUnavailableError } from "../errors.js";
import type { SecretStore } from "./secret-store.js";

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** keytar is a CommonJS native addon; it is loaded on first use only. */
function loadKeytar(): Keytar {
  const require = createRequire(import.meta.url);
  try {
    return require("@github/keytar") as Keytar;
  } catch (error) {
    throw new StoreUnavailableError(
      `The OS keychain library could not be loaded: ${(error as Error).message}`,
      unavailableHint(),
    );
  }
}

function unavailableHint(): string {
  if (process.platform === "linux") {
    return "ghpat needs a Secret Service (gnome-keyring or KeePassXC) on a D-Bus session. On a desktop, log in graphically or run 'gnome-keyring-daemon --unlock --components=secrets' inside 'dbus-run-session'. On a server or in CI, use the encrypted file store: GHPAT_STORE=file with GHPAT_PASSPHRASE.";
  }
  if (process.platform === "darwin") return "Unlock your login keychain (Keychain Access) and try again, or use GHPAT_STORE=file.";
  return "Check that Windows Credential Manager is available, or use GHPAT_STORE=file.";
}

/**
 * The OS keychain through @github/keytar. keytar's findCredentials is never
 * called: it crashes the process when the Secret Service holds an item with
 * our service attribute but no account attribute.
 */
export class KeychainStore implements SecretStore {
  readonly kind = "keychain" as const;
  private keytar: Keytar | undefined;

  constructor(readonly service: string) {}

  private lib(): Keytar {
    this.keytar ??= loadKeytar();
    return this.keytar;
  }

  async get(account: string): Promise<string | null> {
    return this.call("read from", () => this.lib().getPassword(this.service, account));
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call("write to", () => this.lib().setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.call("delete from", () => this.lib().deletePassword(this.service, account));
  }

  /** Every keychain failure is "store unavailable" (exit 4): keytar reports no finer kinds. */
  private async call<T>(verb: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`Could not ${verb} the OS keychain: ${detail}`, unavailableHint());
    }
  }
}
