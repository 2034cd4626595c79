import { mkdirSync, writeFileSync } from "node:fs";
import { classifyToken, fingerprint } from "../../src/core/token-format.js";
import { defaultName, keychainAccount, type StoreKind, type TokenRecord } from "../../src/core/record.js";
import { parseScopes, readExpiry } from "../../src/github/token-info.js";
import { serializeIndex } from "../../src/storage/index-store.js";
import { secretMac } from "../../src/core/secret-mac.js";
import { scanKey } from "../../src/storage/scan-key.js";
import { withDefault } from "../../src/storage/vault.js";
import type { FakeGitHub, FakeToken } from "./fake-github.js";
import { secretTool } from "./keyring.js";
import { makeUnverifiedRecord } from "./records.js";
import { readSecretsFile, writeSecretsFile } from "./secrets-file.js";
import type { Sandbox } from "./sandbox.js";

export interface SeedEntry extends Partial<Omit<TokenRecord, "fingerprint">> {
  name: string;
  token: string;
}

/** Puts a secret into the real Secret Service with keytar's attributes (secret-tool, on the private keyring). */
function storeInKeychain(sb: Sandbox, keyringEnv: Record<string, string>, account: string, token: string): void {
  const stored = secretTool(
    { env: keyringEnv },
    [
      "store",
      `--label=${sb.service} ${account}`,
      "xdg:schema",
      "org.freedesktop.Secret.Generic",
      "service",
      sb.service,
      "account",
      account,
    ],
    token,
  );
  if (stored.status !== 0) throw new Error(`secret-tool store failed: ${stored.stderr}`);
}

/**
 * Stores tokens the way ghpat does, without spawning `ghpat add` per token:
 * each secret goes into the real Secret Service with keytar's attributes
 * (secret-tool, on the private keyring), and the index is written by hand,
 * so ghpat reads and validates an index it did not write itself.
 */
export function seedTokens(sb: Sandbox, keyringEnv: Record<string, string>, entries: SeedEntry[]): TokenRecord[] {
  const records = entries.map(({ token, ...fields }): TokenRecord =>
    makeUnverifiedRecord(fields.name, { type: classifyToken(token), ...fields, fingerprint: fingerprint(token) }),
  );
  entries.forEach((entry, i) => storeInKeychain(sb, keyringEnv, `${records[i]?.host}/${entry.name}`, entry.token));
  mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(sb.indexPath(), `${JSON.stringify({ version: 1, tokens: records }, null, 2)}\n`, { mode: 0o600 });
  return records;
}

/** A token to seed as `ghpat add` leaves it; `verified` is what the fake API says of it, as `add` without --no-verify would have asked. */
export interface AddedEntry extends SeedEntry {
  verified?: FakeToken;
}

/** The fields `add` takes from `GET /user`: the same parsing of the same headers the fake API would send. */
function verifiedFields(info: FakeToken, token: string, now: string): Partial<TokenRecord> {
  if (info.ssoUrl) throw new Error("a token that needs SSO is not stored by add: run add itself");
  const scopesHeader = info.scopes === null ? undefined : (info.scopes ?? []).join(", ");
  const expiry = readExpiry({
    ...(info.expiration === undefined ? {} : { "github-authentication-token-expiration": info.expiration }),
    date: new Date(now).toUTCString(),
  });
  return {
    login: info.login,
    scopes: parseScopes(scopesHeader, classifyToken(token)),
    ...expiry,
    lastVerifiedAt: now,
    status: "valid",
  };
}

/**
 * What a series of `ghpat add` runs leaves in the sandbox's own store
 * (keychain or file, or `store`), without spawning one: the secret in the
 * real store (secret-tool; an independently encrypted secrets.enc), and the
 * records added to the index in ghpat's own layout, with the store named,
 * `addedAt` now, and the first token of a host its default. A record is
 * unverified unless the entry says what the API verified (or gives the
 * fields itself). For tests where `add` is not what is under test.
 */
export function seedAdded(
  sb: Sandbox,
  entries: AddedEntry[],
  options: { store?: StoreKind; keyringEnv: Record<string, string> | null },
): TokenRecord[] {
  const store = options.store ?? sb.store;
  const now = new Date().toISOString();
  const index = JSON.parse(sb.readIndexText() ?? '{"version":1,"tokens":[]}') as { version: 1; tokens: TokenRecord[] };
  const added: TokenRecord[] = [];
  // add keys each record's secret under the install's scan key (made on first use).
  mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  const key = scanKey(sb.configDir);
  for (const { token, verified, ...fields } of entries) {
    if (index.tokens.some((t) => t.name === fields.name))
      throw new Error(`a token named '${fields.name}' is already seeded`);
    const host = fields.host ?? "github.com";
    const hasDefault = index.tokens.some((t) => t.host === host && t.default);
    const record: TokenRecord = {
      ...makeUnverifiedRecord(fields.name, {
        type: classifyToken(token),
        addedAt: now,
        ...(verified ? verifiedFields(verified, token, now) : {}),
        ...fields,
        fingerprint: fingerprint(token),
      }),
      store,
      secretMac: secretMac(key, token),
    };
    record.default = fields.default === true || !hasDefault;
    index.tokens = record.default ? withDefault([...index.tokens, record], record) : [...index.tokens, record];
    added.push(record);
    if (store === "keychain") {
      if (!options.keyringEnv) throw new Error("this sandbox has no keyring to seed");
      storeInKeychain(sb, options.keyringEnv, keychainAccount(record), token);
    } else {
      writeSecretsFile(sb.secretsPath(), sb.passphrase, {
        ...readSecretsFile(sb.secretsPath(), sb.passphrase),
        [keychainAccount(record)]: token,
      });
    }
  }
  mkdirSync(sb.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(sb.indexPath(), serializeIndex(index), { mode: 0o600 });
  return added;
}

/**
 * What `ghpat add --stdin` leaves for a token the fake API knows: the API
 * learns the token, and the record has what `add` would have learnt from it
 * (login, scopes, expiry), named after the login unless `fields` names it.
 */
export function seedVerified(
  sb: Sandbox,
  api: FakeGitHub,
  token: string,
  info: FakeToken,
  fields: Partial<Omit<AddedEntry, "token" | "verified">> = {},
): TokenRecord {
  api.addToken(token, info);
  const [record] = sb.seed([
    {
      name: defaultName(info.login, typeof fields.host === "string" ? fields.host : "github.com"),
      ...fields,
      token,
      verified: info,
    },
  ]);
  if (!record) throw new Error("nothing was seeded");
  return record;
}
