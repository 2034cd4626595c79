import type { Env } from "../config.js";
import { StoreUnavailableError } from "../errors.js";
import { isClientRaceMessage, retryAfterClientRace } from "./keyring-race.js";
import type { SecretStore, StoreHealth, StoreInventory } from "./secret-store.js";

export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** keytar is a CommonJS native addon, shipped in dist/vendor/keytar (scripts/build.mjs); it is loaded on first use only. */
function loadKeytar(): Keytar {
  // node:module only here, where keytar is loaded: Linux reads (git's path) never need it.
  const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);
  try {
    return require("#keytar") as Keytar;
  } catch (error) {
    throw new StoreUnavailableError(
      `The OS keychain library could not be loaded: ${(error as Error).message}`,
      unavailableHint(),
    );
  }
}

/** The schema attribute libsecret adds to keytar's items and to its searches for them. */
const KEYTAR_SCHEMA = { "xdg:schema": "org.freedesktop.Secret.Generic" };

/** An X11 or Wayland display to show a prompt on. */
function hasDisplay(env: Env): boolean {
  return Boolean(env.DISPLAY) || Boolean(env.WAYLAND_DISPLAY);
}

function unavailableHint(): string {
  if (process.platform === "linux") {
    return `ghpat needs a Secret Service (gnome-keyring or KeePassXC) on a D-Bus session. On a desktop, log in graphically; over SSH, start one inside 'dbus-run-session -- $SHELL' with: ${UNLOCK_RECIPE}. On a server or in CI, use the encrypted file store: GHPAT_STORE=file with GHPAT_PASSPHRASE.`;
  }
  if (process.platform === "darwin")
    return "Unlock your login keychain (Keychain Access) and try again, or use GHPAT_STORE=file.";
  return "Check that Windows Credential Manager is available, or use GHPAT_STORE=file.";
}

/**
 * Unlocks (or starts) gnome-keyring from a shell, over SSH too: the password
 * is read without echo and given without a trailing newline, which would
 * otherwise become part of it.
 */
export const UNLOCK_RECIPE = `read -rs pw; printf %s "$pw" | gnome-keyring-daemon --replace --unlock --components=secrets; unset pw`;

const LOCKED_HINT = `Unlock it and try again: on a desktop, log in or unlock the keyring in 'Passwords and Keys' (seahorse); over SSH or without a display, type your login password after: ${UNLOCK_RECIPE}. ghpat changed nothing.`;

/** Exit 4 like any unavailable store, told apart so that doctor can say "locked". */
export class KeychainLockedError extends StoreUnavailableError {
  override name = "KeychainLockedError";
  constructor() {
    super("The OS keychain is locked.", LOCKED_HINT);
  }
}

/**
 * The OS keychain through @github/keytar. keytar's findCredentials is never
 * called: it crashes the process when the Secret Service holds an item with
 * our service attribute but no account attribute.
 *
 * On Linux keytar answers "no secret" alike for a missing item and for a
 * locked one (and "nothing deleted" alike too). Only then, ghpat asks the
 * Secret Service over D-Bus which it is, so that a locked keychain is exit 4
 * and never mistaken for a deleted secret, or let a record go while its
 * secret stays behind. Reads on Linux go over D-Bus first (readOverDBus).
 */
export class KeychainStore implements SecretStore {
  readonly kind = "keychain" as const;
  private keytar: Keytar | undefined;

  constructor(
    readonly service: string,
    private readonly env: Env = process.env,
    private readonly load: () => Keytar = loadKeytar,
  ) {}

  private lib(): Keytar {
    this.keytar ??= this.load();
    return this.keytar;
  }

  async get(account: string): Promise<string | null> {
    const read = await this.readOverDBus(account);
    if (read?.state === "found") return read.secret;
    if (read?.state === "absent") return null;
    if (read?.state === "locked" && !hasDisplay(this.env)) throw new KeychainLockedError();
    const secret = await this.call("read from", () => this.lib().getPassword(this.service, account));
    if (secret === null) await this.refuseIfLocked(account);
    return secret;
  }

  async set(account: string, secret: string): Promise<void> {
    if (await this.lockedWithoutDisplay()) throw new KeychainLockedError();
    try {
      await this.call("write to", () => this.lib().setPassword(this.service, account, secret));
    } catch (error) {
      if ((await this.collectionState()) === "locked") throw new KeychainLockedError();
      throw error;
    }
  }

  async delete(account: string): Promise<boolean> {
    if (await this.lockedWithoutDisplay(account)) throw new KeychainLockedError();
    const deleted = await this.call("delete from", () => this.lib().deletePassword(this.service, account));
    if (!deleted) await this.refuseIfLocked(account);
    return deleted;
  }

  /** Every keychain failure is "store unavailable" (exit 4): keytar reports no finer kinds. Each operation is idempotent, so gnome-keyring's client race is retried. */
  private async call<T>(verb: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await retryAfterClientRace(operation, isClientRaceMessage);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`Could not ${verb} the OS keychain: ${detail}`, unavailableHint());
    }
  }

  /**
   * On Linux, the read keytar would make, over ghpat's own D-Bus connection
   * (secret-service.ts lookupSecret): one connection instead of two (the
   * lock check and libsecret's), and no native library to load, on git's
   * every fetch. Anything else is keytar's to answer: a locked item where a
   * display can show the unlock prompt, a Secret Service that offers no
   * encrypted transfer, any failure (which keytar then reports as before).
   */
  private async readOverDBus(account: string) {
    if (process.platform !== "linux") return null;
    try {
      const { lookupSecret } = await import("./secret-service.js");
      return await lookupSecret(this.env, { service: this.service, account, ...KEYTAR_SCHEMA });
    } catch {
      return null;
    }
  }

  /**
   * Whether the item (or, without an account, the default keyring new items
   * go to) is locked, asked over D-Bus only where there is no display: there
   * keytar's read or write of a locked item would have gnome-keyring start
   * its graphical unlock prompt, which cannot open and prints Gtk errors.
   * Anything unclear is left to keytar, which reports it as before.
   */
  private async lockedWithoutDisplay(account?: string): Promise<boolean> {
    if (process.platform !== "linux" || hasDisplay(this.env)) return false;
    try {
      const { itemState, withSecretService } = await import("./secret-service.js");
      if (account !== undefined) return (await itemState(this.env, this.service, account)) === "locked";
      return (await withSecretService(this.env, (client) => client.defaultCollection()))?.locked === true;
    } catch {
      return false;
    }
  }

  private async refuseIfLocked(account: string): Promise<void> {
    if (process.platform !== "linux") return;
    const { itemState, SecretServiceUnavailable } = await import("./secret-service.js");
    let state;
    try {
      state = await itemState(this.env, this.service, account);
    } catch (error) {
      if (error instanceof SecretServiceUnavailable)
        throw new StoreUnavailableError(`The OS keychain stopped answering: ${error.message}`, unavailableHint());
      throw new StoreUnavailableError(
        `Could not ask the OS keychain about '${account}': ${(error as Error).message}`,
        unavailableHint(),
      );
    }
    if (state === "locked") throw new KeychainLockedError();
  }

  private async collectionState(): Promise<"locked" | "unlocked" | "unknown"> {
    if (process.platform !== "linux") return "unknown";
    try {
      const { withSecretService } = await import("./secret-service.js");
      const collection = await withSecretService(this.env, (client) => client.defaultCollection());
      return collection === null ? "unknown" : collection.locked ? "locked" : "unlocked";
    } catch {
      return "unknown";
    }
  }

  async ready(): Promise<void> {
    const health = await this.health();
    if (health.state === "locked") throw new KeychainLockedError();
    if (health.state === "unavailable")
      throw new StoreUnavailableError(`${health.detail} Nothing was asked for or stored.`, health.hint);
  }

  async health(): Promise<StoreHealth> {
    if (process.platform === "linux") {
      const { withSecretService, SecretServiceUnavailable } = await import("./secret-service.js");
      try {
        const collection = await withSecretService(this.env, (client) => client.defaultCollection());
        if (collection === null) {
          return {
            state: "unavailable",
            detail: "The Secret Service has no default keyring to store secrets in.",
            hint: "Create one in 'Passwords and Keys' (seahorse), or use GHPAT_STORE=file.",
          };
        }
        if (collection.locked)
          return {
            state: "locked",
            detail: `The Secret Service answers, but its default keyring '${collection.label}' is locked.`,
            hint: LOCKED_HINT,
          };
      } catch (error) {
        if (error instanceof SecretServiceUnavailable)
          return { state: "unavailable", detail: error.message, hint: unavailableHint() };
        return {
          state: "unavailable",
          detail: `The Secret Service answered strangely: ${(error as Error).message}`,
          hint: unavailableHint(),
        };
      }
    }
    try {
      // A read of an account that never exists proves the native library loads and talks to the keychain.
      // Not through get(): its lock check, on a miss, would open one more connection to learn what the check above already did.
      await this.call("read from", () => this.lib().getPassword(this.service, `ghpat-doctor-probe/${process.pid}`));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return {
        state: error instanceof KeychainLockedError ? "locked" : "unavailable",
        detail: error.message,
        hint: error.hint,
      };
    }
    return {
      state: "ok",
      detail:
        process.platform === "linux"
          ? `Secret Service on the session bus, default keyring unlocked (service '${this.service}').`
          : `OS keychain reachable (service '${this.service}').`,
    };
  }

  async inventory(): Promise<StoreInventory | null> {
    if (process.platform !== "linux") return null;
    const { withSecretService, SecretServiceUnavailable } = await import("./secret-service.js");
    try {
      const items = await withSecretService(this.env, (client) => client.items({ service: this.service }));
      const accounts: string[] = [];
      const foreign: StoreInventory["foreign"] = [];
      for (const item of items) {
        const account = item.attributes.account;
        if (account === undefined) foreign.push({ label: item.label, id: item.path });
        else accounts.push(account);
      }
      return { accounts, foreign };
    } catch (error) {
      if (error instanceof SecretServiceUnavailable) throw new StoreUnavailableError(error.message, unavailableHint());
      throw error;
    }
  }
}
