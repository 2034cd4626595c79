/** A private D-Bus session; stop() ends it and removes its directory. */
export interface Bus {
  address: string;
  dir: string;
  stop(): void;
}

export interface Keyring {
  address: string;
  home: string;
  /** The gnome-keyring-daemon's pid, for tests that kill it. */
  pid: number;
  /** Environment for tools (secret-tool, ghpat) that should talk to this keyring. */
  env: Record<string, string>;
  stop(): void;
}

/** Whether dbus-daemon, gnome-keyring-daemon and secret-tool are installed. */
export function haveKeyringTools(): boolean;
export function startBus(): Bus;
/** A gnome-keyring-daemon on its own private bus, unlocked, and proven to store and return a secret. */
export function startKeyring(): Promise<Keyring>;
