/**
 * Where secrets live. Accounts are `<host>/<name>` (DESIGN.md section 2);
 * the value is the token and nothing else.
 */
export interface SecretStore {
  readonly kind: "keychain" | "file";
  /** The secret, or null when the store has none for this account. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}
