/**
 * `ghpat git-credential get|store|erase`: git runs this on every fetch, clone
 * and push (docs/design.md section 4). It is on a hot path and must stay lean:
 * no commander, Octokit, undici, inquirer; zod only for an index ghpat did
 * not write itself; the lock and atomic-write modules only when `store` or
 * `erase` actually changes the index.
 *
 * It never prompts, never uses the network and writes nothing to stdout
 * unless it has an answer, which is written in one piece.
 */
import type { Env } from "../../config.js";
import {
  parseCredentialRequest,
  serializeCredentialResponse,
  type CredentialAttributes,
} from "../../core/credential-protocol.js";
import {
  keychainAccount,
  recentlyUsed,
  storeOf,
  type Index,
  type StoreKind,
  type TokenRecord,
} from "../../core/record.js";
import { recordsForRequest, routeCredential } from "../../core/routing.js";
import { secretFitsRecord } from "../../core/slot-owner.js";
import { fingerprint } from "../../core/token-format.js";
import { openIndex, openStoreOfKind } from "../../storage/open-store.js";
import type { SecretStore } from "../../storage/secret-store.js";
import { handledSecrets } from "../../ui/redact.js";
import { nudgeAfterHandingOut } from "../../storage/nudge-state.js";

/** git owns the terminal while it runs its helper (docs/design.md section 4: it never prompts). */
const NEVER_PROMPT = { mayPrompt: false };

export interface CredentialContext {
  env: Env;
  now(): Date;
  /** The request's bytes, or null when it is larger than the protocol allows; throws when standard input cannot be read. */
  readRequest(): Promise<Buffer | null>;
  /** stdout: called at most once. */
  respond(text: string): void;
  /** stderr, for the person watching git. */
  warn(text: string): void;
}

/** Operations git defines that ghpat answers; anything else gets no output and exit 0. */
export async function runGitCredential(operation: string | undefined, ctx: CredentialContext): Promise<void> {
  if (operation !== "get" && operation !== "store" && operation !== "erase") return;
  const attributes = await readAttributes(ctx);
  if (attributes === null) return;
  if (operation === "get") await get(attributes, ctx);
  else await recordOutcome(operation, attributes, ctx);
}

async function readAttributes(ctx: CredentialContext): Promise<CredentialAttributes | null> {
  let input: Buffer | null;
  try {
    input = await ctx.readRequest();
  } catch (error) {
    ctx.warn(`ghpat: could not read the credential request from standard input (${(error as Error).message}).`);
    return null;
  }
  const parsed =
    input === null ? { ok: false as const, reason: "the request is larger than 1 MiB" } : parseCredentialRequest(input);
  if (!parsed.ok) {
    ctx.warn(`ghpat: ignored a malformed credential request (${parsed.reason}).`);
    return null;
  }
  return parsed.attributes;
}

async function get(request: CredentialAttributes, ctx: CredentialContext): Promise<void> {
  // Requests ghpat never answers are settled before any file or keychain is touched.
  if (request.protocol !== "https" || !request.host) return;
  const index = await openIndex(ctx.env).read();
  const route = routeCredential(request, index.tokens, { env: ctx.env, now: ctx.now() });
  if (route.kind === "none") return;
  if (route.kind === "env") {
    answer(ctx, [
      ["username", route.username],
      ["password", route.token],
    ]);
    return;
  }
  const { record } = route;
  const secret = await openStoreOfKind(storeOf(record), ctx.env, NEVER_PROMPT).get(keychainAccount(record));
  if (secret === null) {
    ctx.warn(
      `ghpat: the secret of '${record.name}' is missing from the ${storeOf(record) === "file" ? "file store" : "keychain"}; run 'ghpat doctor'.`,
    );
    return;
  }
  handledSecrets.add(secret);
  if (!secretFitsRecord(record, secret)) {
    // Another index's token in a shared slot (slot-owner.ts): git gets nothing rather than someone else's token.
    const { SlotMismatchError } = await import("../../storage/slot-errors.js");
    throw new SlotMismatchError(record, secret);
  }
  const pairs: Array<[string, string]> = [
    ["username", route.username],
    ["password", secret],
  ];
  if (record.expiryKnown && record.expiresAt !== null) {
    pairs.push(["password_expiry_utc", String(Math.floor(Date.parse(record.expiresAt) / 1000))]);
  }
  answer(ctx, pairs);
  // After the answer, so that git has its credential before ghpat looks at anything else.
  await nudgeAfterHandingOut(record, ctx);
}

function answer(ctx: CredentialContext, pairs: Array<[string, string]>): void {
  const text = serializeCredentialResponse(pairs);
  if (text === null) {
    ctx.warn(
      "ghpat: the token contains a line break or NUL, so it was not given to git. Replace it ('ghpat add NAME --force', or fix GH_TOKEN).",
    );
    return;
  }
  ctx.respond(text);
}

/**
 * The stored token whose secret is `password`, among the host's tokens. The
 * fingerprint (prefix and last four, not secret) narrows the keychain reads
 * to the tokens that can possibly be equal.
 */
async function ownedToken(
  candidates: TokenRecord[],
  password: string,
  storeFor: (kind: StoreKind) => SecretStore,
): Promise<TokenRecord | undefined> {
  const print = fingerprint(password);
  // node:crypto only here: `get`, the common request, never pays for loading it.
  const { sameSecret } = await import("../../core/same-secret.js");
  for (const record of candidates) {
    if (record.fingerprint !== print) continue;
    const secret = await storeFor(storeOf(record)).get(keychainAccount(record));
    if (secret !== null && sameSecret(secret, password)) return record;
  }
  return undefined;
}

/** Thrown inside an index update to leave the file as it is. */
class NothingToWrite extends Error {}

/**
 * `store` (git: the credential worked) records lastUsedAt and clears a
 * `rejected` mark; `erase` (git: it was refused) marks the token rejected.
 * Both only for one of ghpat's own tokens: foreign credentials are never
 * saved, secrets never deleted.
 */
async function recordOutcome(
  operation: "store" | "erase",
  request: CredentialAttributes,
  ctx: CredentialContext,
): Promise<void> {
  const password = request.password;
  if (password === undefined || password === "") return;
  handledSecrets.add(password);
  const store = openIndex(ctx.env);
  const candidates = recordsForRequest(request, (await store.read()).tokens);
  if (candidates === null || candidates.length === 0) return;
  const stores = new Map<StoreKind, SecretStore>();
  const storeFor = (kind: StoreKind): SecretStore => {
    const store = stores.get(kind) ?? openStoreOfKind(kind, ctx.env, NEVER_PROMPT);
    stores.set(kind, store);
    return store;
  };
  const owned = await ownedToken(candidates, password, storeFor);
  if (owned === undefined) return;

  const now = ctx.now();
  const change = operation === "store" ? markUsed(now) : markRejected;
  if (change(owned) === null) return;
  try {
    await store.update((index: Index) => {
      let changed = false;
      const tokens = index.tokens.map((t) => {
        if (t.name !== owned.name || t.host !== owned.host || t.fingerprint !== owned.fingerprint) return t;
        const next = change(t);
        if (next === null) return t;
        changed = true;
        return next;
      });
      if (!changed) throw new NothingToWrite();
      return { index: { ...index, tokens }, result: undefined };
    });
  } catch (error) {
    if (!(error instanceof NothingToWrite)) throw error;
    return;
  }
  // Said once: only the erase that marked the token; a later one finds it rejected already and writes nothing.
  if (operation === "erase") {
    ctx.warn(
      `ghpat: ${owned.host} refused token '${owned.name}'; it will not be offered again until 'ghpat verify ${owned.name}' passes`,
    );
  }
}

/** Used now; a `rejected` mark goes, since git has just seen the token work (typed in by hand, say). */
function markUsed(now: Date): (record: TokenRecord) => TokenRecord | null {
  return (record) => {
    const worksAfterAll = record.status === "rejected";
    if (recentlyUsed(record, now) && !worksAfterAll) return null;
    return { ...record, lastUsedAt: now.toISOString(), ...(worksAfterAll ? { status: "valid" as const } : {}) };
  };
}

/** Revoked and expired say more than rejected; they are left as they are. */
function markRejected(record: TokenRecord): TokenRecord | null {
  return record.status === "valid" || record.status === "unverified" ? { ...record, status: "rejected" } : null;
}
