/**
 * Where secrets live. Accounts are `<host>/<name>` (docs/design.md section 3);
 * the value is the token and nothing else.
 */
export interface SecretStore {
  readonly kind: "keychain" | "file";
  /** The secret, or null when the store has none for this account. A locked or unreachable store throws (exit 4), never answers null. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted; false when there was nothing. A locked store throws. */
  delete(account: string): Promise<boolean>;
  /**
   * Throws (exit 4, saying what to do) unless a secret can be stored now; for
   * the file store this takes its passphrase, asked for as any write would.
   * Called before a command asks for a token, so that none is pasted in vain.
   */
  ready?(): Promise<void>;
  /** Whether the store can be reached and used now (doctor). */
  health?(): Promise<StoreHealth>;
  /** What the store holds under ghpat's name, without reading a secret (doctor); null when it cannot be listed here. */
  inventory?(): Promise<StoreInventory | null>;
}

export interface StoreHealth {
  state: "ok" | "locked" | "unavailable";
  /** One line for people: what was found. */
  detail: string;
  /** One line for people: what to do, when the state is not ok. */
  hint?: string | undefined;
}

export interface StoreInventory {
  /** Accounts of the items that carry ghpat's service and an account. */
  accounts: string[];
  /** Items with ghpat's service but no account attribute: not made by ghpat, never touched. */
  foreign: Array<{ label: string; id: string }>;
}
