import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { isValidName, keychainAccount, storeOf, type Index, type TokenRecord } from "../../core/record.js";
import { freeName, rebasedRecord, reconcile, recoveredRecord } from "../../core/reconcile.js";
import { secretFitsRecord } from "../../core/slot-owner.js";
import { fingerprint } from "../../core/token-format.js";
import type { IndexStore } from "../../storage/index-store.js";
import type { SecretStore, StoreInventory } from "../../storage/secret-store.js";
import { withoutRecord } from "../../storage/vault.js";
import { handledSecrets } from "../../ui/redact.js";
import { settingsUrl } from "../../core/settings-url.js";
import type { CheckResult, DoctorContext } from "./check.js";
import { Findings } from "./findings.js";
import { counted, plural } from "../../core/plural.js";

interface Survey {
  recordsWithoutSecret: TokenRecord[];
  secretsWithoutRecord: Array<{ account: string; host: string; name: string; secret: string }>;
  /** Slots that hold a token their record does not describe: another index's on a shared service, or one put there outside ghpat. Never adopted. */
  mismatched: Array<{ record: TokenRecord; secret: string }>;
  /** Slots that hold the successor a rotation announced (pendingFingerprint) and was killed before recording: provably the record's own. */
  interrupted: Array<{ record: TokenRecord; secret: string }>;
  /** Old slots of renames (`renamedFrom`) that still hold the renamed record's own secret: provably leftovers. */
  leftovers: Array<{ record: TokenRecord; account: string }>;
  /** Records whose secret lives in this store. */
  inStore: number;
  unknownAccounts: string[];
  /** Items the listing shows under ghpat's service and an account, which the keychain library cannot read (made by another tool). */
  unreadable: string[];
  foreign: StoreInventory["foreign"];
  /** False when the store cannot list its items here: secrets without a record cannot be found. */
  listed: boolean;
  /** Records whose secret lives in the other store, which this run does not open: never judged, never dropped. */
  elsewhere: TokenRecord[];
}

async function secretOf(store: SecretStore, account: string): Promise<string | null> {
  const secret = await store.get(account);
  if (secret !== null) handledSecrets.add(secret);
  return secret;
}

/** Compares the index with what the store holds. Reads secrets only to compare fingerprints; never shows one. */
async function survey(index: Index, store: SecretStore): Promise<Survey> {
  const inventory = store.inventory ? await store.inventory() : null;
  const out: Survey = {
    recordsWithoutSecret: [],
    secretsWithoutRecord: [],
    mismatched: [],
    interrupted: [],
    leftovers: [],
    inStore: 0,
    unknownAccounts: [],
    unreadable: [],
    foreign: inventory?.foreign ?? [],
    listed: inventory !== null,
    elsewhere: [],
  };
  const held = inventory ? new Set(inventory.accounts) : null;
  if (inventory) {
    const disagreement = reconcile(index.tokens, inventory.accounts);
    out.unknownAccounts = disagreement.unknownAccounts;
    for (const orphan of disagreement.secretsWithoutRecord) {
      const secret = await secretOf(store, orphan.account);
      if (secret !== null) out.secretsWithoutRecord.push({ ...orphan, secret });
      else out.unreadable.push(orphan.account);
    }
  }
  for (const record of index.tokens) {
    if (storeOf(record) !== store.kind) {
      out.elsewhere.push(record);
      continue;
    }
    out.inStore++;
    const account = keychainAccount(record);
    const secret = held && !held.has(account) ? null : await secretOf(store, account);
    if (secret === null && held?.has(account)) out.unreadable.push(account);
    else if (secret === null) out.recordsWithoutSecret.push(record);
    else if (fingerprint(secret) === record.fingerprint) continue;
    else if (secretFitsRecord(record, secret)) out.interrupted.push({ record, secret });
    else out.mismatched.push({ record, secret });
  }
  // The old slot a renamed record announces (renamedFrom), holding that record's own secret, is no orphan but its copy.
  // Read directly, so that a store that cannot list its items (the file store) finds it too.
  for (const record of index.tokens) {
    const old = record.renamedFrom;
    if (old === undefined || storeOf(record) !== store.kind || !isValidName(old)) continue;
    if (index.tokens.some((t) => t.host === record.host && t.name === old)) continue;
    const account = keychainAccount({ host: record.host, name: old });
    const orphan = out.secretsWithoutRecord.find((o) => o.account === account);
    const secret = orphan ? orphan.secret : held && !held.has(account) ? null : await secretOf(store, account);
    if (secret === null || !secretFitsRecord(record, secret)) continue;
    out.leftovers.push({ record, account });
    out.secretsWithoutRecord = out.secretsWithoutRecord.filter((o) => o.account !== account);
  }
  return out;
}

function isClean(s: Survey): boolean {
  return (
    s.recordsWithoutSecret.length === 0 &&
    s.secretsWithoutRecord.length === 0 &&
    s.mismatched.length === 0 &&
    s.interrupted.length === 0 &&
    s.leftovers.length === 0
  );
}

/**
 * Not one record's secret is in the store: it is not these records' store
 * (another GHPAT_KEYCHAIN_SERVICE, another keyring), and the secrets it does
 * hold are not theirs either. --fix then changes nothing.
 */
function wrongStore(s: Survey): boolean {
  return s.inStore > 0 && s.recordsWithoutSecret.length === s.inStore;
}

/** What --fix withholds, and why; null when it may repair everything it can. */
function withheld(s: Survey, yes: boolean): "wrong-store" | "many-drops" | null {
  if (yes) return null;
  if (wrongStore(s)) return "wrong-store";
  return s.recordsWithoutSecret.length > 1 ? "many-drops" : null;
}

/**
 * The repaired index. Secrets are only ever added (a recovered secret whose
 * name is taken is copied to a free one). A recovered secret becomes a plain
 * record, never a default; a slot holding another token is never adopted;
 * records are dropped only as `drop` allows.
 */
async function repair(
  index: Index,
  s: Survey,
  store: SecretStore,
  now: Date,
  repaired: string[],
  drop: boolean,
): Promise<{ index: Index; copied: string[] }> {
  let tokens = index.tokens;
  if (drop) {
    for (const record of s.recordsWithoutSecret) {
      tokens = withoutRecord(tokens, record);
      repaired.push(
        `dropped the record '${record.name}' (${record.fingerprint}, ${record.host}): its secret was gone. If the token may still be valid, revoke it at ${settingsUrl(record)}`,
      );
    }
  }
  for (const { record, secret } of s.interrupted) {
    tokens = tokens.map((t) => {
      if (t.name !== record.name) return t;
      const rebased = rebasedRecord(t, secret);
      delete rebased.pendingFingerprint;
      return rebased;
    });
    repaired.push(
      `'${record.name}' now describes the token an interrupted rotation stored (${fingerprint(secret)}, was ${record.fingerprint}), as unverified: run 'ghpat verify ${record.name}'`,
    );
  }
  for (const { record, account } of s.leftovers) {
    // Deleted before the index says so: killed in between, the mark is left over a slot already empty, which is harmless.
    await store.delete(account);
    tokens = tokens.map((t) => {
      if (t.name !== record.name) return t;
      const settled = { ...t };
      delete settled.renamedFrom;
      return settled;
    });
    repaired.push(
      `emptied ${account}, the old slot of '${record.name}' that an interrupted rename had left holding its token`,
    );
  }
  const taken = new Set(tokens.map((t) => t.name));
  const copied: string[] = [];
  for (const orphan of s.secretsWithoutRecord) {
    const name = freeName(orphan.name, orphan.host, taken);
    if (name !== orphan.name) {
      const account = `${orphan.host}/${name}`;
      await store.set(account, orphan.secret);
      if ((await store.get(account)) !== orphan.secret)
        throw new Error(`The copy of ${orphan.account} to ${account} did not read back; nothing was changed.`);
      copied.push(orphan.account);
    }
    // Never a default: a recovered secret may be another index's token (a shared keychain service), and a default is what git gets unasked.
    tokens = [...tokens, recoveredRecord(orphan.host, name, orphan.secret, now, false)];
    taken.add(name);
    repaired.push(
      `re-created the record '${name}' (${fingerprint(orphan.secret)}, ${orphan.host}) for a secret that had none, as unverified${name !== orphan.name ? ` (its own name was taken; the secret was copied to ${orphan.host}/${name})` : ""}`,
    );
  }
  return { index: { ...index, tokens }, copied };
}

function storeLabel(store: SecretStore): string {
  return store.kind === "keychain" ? "keychain" : "file store";
}

/** Says what --fix left undone and how to have it done. */
function reportWithheld(f: Findings, s: Survey, held: "wrong-store" | "many-drops" | null, store: SecretStore): void {
  if (held === "wrong-store") {
    const where =
      store.kind === "keychain" ? "under this keychain service (GHPAT_KEYCHAIN_SERVICE)" : "in this file store";
    f.problem(
      "fail",
      `Not one of the ${s.inStore} record${s.inStore === 1 ? "'s" : "s'"} secrets is ${where}: this looks like the wrong store, not ${s.inStore === 1 ? "a lost secret" : "lost secrets"}. --fix changed nothing: it dropped no record and adopted no secret.`,
      store.kind === "keychain"
        ? "Run ghpat with the GHPAT_KEYCHAIN_SERVICE (and keyring) that holds these tokens. If the secrets really are gone, 'ghpat doctor --fix --yes' drops the records."
        : "Check GHPAT_CONFIG_DIR and GHPAT_STORE. If the secrets really are gone, 'ghpat doctor --fix --yes' drops the records.",
    );
  } else if (held === "many-drops") {
    const n = s.recordsWithoutSecret.length;
    f.problem(
      "fail",
      `${n} records have no secret in the store: ${s.recordsWithoutSecret.map((r) => `'${r.name}' (${r.fingerprint}, ${r.host})`).join(", ")}. --fix drops more than one record only with --yes.`,
      "Check GHPAT_KEYCHAIN_SERVICE and GHPAT_STORE first; if the secrets really are gone, run 'ghpat doctor --fix --yes'.",
    );
  }
}

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Records without a secret, secrets without a record, and records that
 * describe another token than the one stored. Runs under the index lock, so
 * a concurrent add or remove is never mistaken for an inconsistency.
 */
export async function checkOrphans(
  indexStore: IndexStore,
  store: SecretStore | null,
  d: DoctorContext,
  ready: { store: boolean; index: boolean },
): Promise<CheckResult> {
  const title = "orphans";
  const f = new Findings();
  if (!store || !ready.store || !ready.index) {
    f.problem(
      "warn",
      `Not checked: the ${ready.store ? "index" : "secret store"} cannot be used (see above).`,
      `Fix the ${ready.store ? "index" : "secret store"} first.`,
    );
    return f.toResult("orphans", title, "");
  }

  let found: Survey;
  let copied: string[] = [];
  if (d.fix) {
    const outcome = await indexStore.update(async (index) => {
      const s = await survey(index, store);
      const held = withheld(s, d.yes ?? false);
      if (isClean(s) || held === "wrong-store") return { index, result: { s, copied: [] as string[], held } };
      const before = f.repaired.length;
      const fixed = await repair(index, s, store, d.ctx.now(), f.repaired, held === null);
      // Nothing repairable (a slot holding another token is only reported): the index is left as it is.
      return { index: f.repaired.length === before ? index : fixed.index, result: { s, copied: fixed.copied, held } };
    });
    found = outcome.s;
    copied = outcome.copied;
    reportWithheld(f, found, outcome.held, store);
    // Only once the new records are written: the original of each copied secret.
    for (const account of copied) await store.delete(account);
  } else if (await writable(indexStore.dir)) {
    found = await indexStore.update(async (index) => ({ index, result: await survey(index, store) }));
  } else {
    found = await survey(await indexStore.read(), store);
    f.note("Checked without the index lock (the config directory is not writable).");
  }

  const data = {
    recordsWithoutSecret: found.recordsWithoutSecret.map((r) => ({
      name: r.name,
      host: r.host,
      fingerprint: r.fingerprint,
    })),
    secretsWithoutRecord: found.secretsWithoutRecord.map((o) => o.account),
    fingerprintMismatch: found.mismatched.map((m) => ({
      name: m.record.name,
      recorded: m.record.fingerprint,
      stored: fingerprint(m.secret),
    })),
    renameLeftovers: found.leftovers.map((x) => ({ name: x.record.name, account: x.account })),
    interruptedRotations: found.interrupted.map((m) => ({
      name: m.record.name,
      recorded: m.record.fingerprint,
      stored: fingerprint(m.secret),
    })),
    unknownAccounts: found.unknownAccounts,
    unreadable: found.unreadable,
    foreignItems: found.foreign,
    notChecked: found.elsewhere.map((r) => ({ name: r.name, host: r.host, store: storeOf(r) })),
  };

  if (!d.fix) {
    const n = found.recordsWithoutSecret.length;
    if (n > 0) {
      f.problem(
        "fail",
        `${counted(n, "record has", "records have")} no secret in the store: ${found.recordsWithoutSecret.map((r) => `'${r.name}' (${r.fingerprint}, ${r.host})`).join(", ")}.`,
        wrongStore(found)
          ? "Not one record's secret is in this store: check GHPAT_KEYCHAIN_SERVICE and GHPAT_STORE before anything else; 'ghpat doctor --fix' will not drop them without --yes."
          : n > 1
            ? "If the secrets really are gone, 'ghpat doctor --fix --yes' drops them (revoke them on GitHub if they may still be valid); or store them again with 'ghpat add NAME --force'."
            : "Run 'ghpat doctor --fix' to drop it (revoke it on GitHub if it may still be valid), or store it again with 'ghpat add NAME --force'.",
      );
    }
    const r = found.interrupted.length;
    if (r > 0) {
      f.problem(
        "fail",
        `${counted(r, "rotation was", "rotations were")} interrupted after storing the new token: ${found.interrupted.map((x) => `'${x.record.name}' says ${x.record.fingerprint}, the store holds its successor ${fingerprint(x.secret)}`).join("; ")}.`,
        "Run 'ghpat doctor --fix' to describe the stored token (as unverified), then 'ghpat verify', or finish with 'ghpat rotate NAME'.",
      );
    }
    const o = found.secretsWithoutRecord.length;
    if (o > 0) {
      f.problem(
        "fail",
        `${counted(o, "secret has", "secrets have")} no record: ${found.secretsWithoutRecord.map((x) => x.account).join(", ")}.`,
        "Run 'ghpat doctor --fix' to re-create their records as unverified; no secret is deleted.",
      );
      f.note(
        "If another ghpat config directory uses the same keychain service (GHPAT_KEYCHAIN_SERVICE), these may be its tokens.",
      );
    }
  }
  if (!d.fix && found.leftovers.length > 0) {
    f.problem(
      "warn",
      `${counted(found.leftovers.length, "old slot")} of a rename still ${plural(found.leftovers.length, "holds", "hold")} the token: ${found.leftovers.map((x) => `${x.account} ('${x.record.name}' now)`).join(", ")}.`,
      "Run 'ghpat doctor --fix' to empty it; the token under its new name is unaffected.",
    );
  }
  const m = found.mismatched.length;
  if (m > 0) {
    f.problem(
      "fail",
      `${m} slot${m === 1 ? " holds" : "s hold"} another token than ${m === 1 ? "its record describes" : "their records describe"}: ${found.mismatched.map((x) => `the ${storeLabel(store)} item for '${x.record.name}' holds ${fingerprint(x.secret)}, the record says ${x.record.fingerprint}`).join("; ")}. ghpat neither uses ${m === 1 ? "it" : "them"} nor adopts ${m === 1 ? "it" : "them"}.`,
      `Another ghpat config directory may use the same keychain service: give each its own GHPAT_KEYCHAIN_SERVICE. If the item is yours, 'ghpat remove NAME' drops the record (leaving the item alone) and the token can be added under another name.`,
    );
  }
  if (found.foreign.length > 0) {
    f.problem(
      "warn",
      `${counted(found.foreign.length, "item")} in the store ${plural(found.foreign.length, "carries", "carry")} ghpat's service name but no account, so ghpat did not make ${plural(found.foreign.length, "it", "them")}: ${found.foreign.map((x) => `'${x.label}'`).join(", ")}. ghpat ignores and never touches ${plural(found.foreign.length, "it", "them")}.`,
      "If you do not need it, delete it in 'Passwords and Keys' (seahorse).",
    );
  }
  if (found.unknownAccounts.length > 0) {
    f.problem(
      "warn",
      `Accounts under ghpat's service that ghpat cannot have written: ${found.unknownAccounts.join(", ")}. ghpat leaves them alone.`,
      "If you do not need them, delete them in 'Passwords and Keys' (seahorse).",
    );
  }
  if (found.unreadable.length > 0) {
    f.problem(
      "warn",
      `Items under ghpat's service that the keychain library cannot read (made by another tool?): ${found.unreadable.join(", ")}. ghpat leaves them alone.`,
      "Delete them in 'Passwords and Keys' (seahorse) and store the tokens again with 'ghpat add NAME --force'.",
    );
  }
  if (!found.listed) f.note("This store cannot list its items here, so secrets without a record cannot be found.");
  if (found.elsewhere.length > 0) {
    const other = storeOf(found.elsewhere[0] as TokenRecord);
    f.note(
      `Not checked: ${found.elsewhere.length} ${plural(found.elsewhere.length, "record keeps its", "records keep their")} secret in the ${other === "file" ? "file store" : "keychain"} (${found.elsewhere.map((r) => `'${r.name}'`).join(", ")}), which this run did not open. Run 'GHPAT_STORE=${other} ghpat doctor' to check ${plural(found.elsewhere.length, "it", "them")}.`,
    );
  }
  const agree = `The index and the store agree: every record has its secret${found.listed ? " and every secret its record" : ""}.`;
  return f.toResult("orphans", title, agree, data);
}
