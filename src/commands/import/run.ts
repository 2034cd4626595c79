import { readFile } from "node:fs/promises";
import { isInteractive } from "../../config.js";
import {
  CheckFailedError,
  GhpatError,
  NetworkError,
  NotFoundError,
  StoreUnavailableError,
  UsageError,
} from "../../errors.js";
import { defaultName, isValidName, keychainAccount, type TokenRecord } from "../../core/record.js";
import { checkTokenFormat, fingerprint } from "../../core/token-format.js";
import { withoutCredentials } from "../../core/git-credentials.js";
import { openVault } from "../../storage/open.js";
import type { Vault } from "../../storage/vault.js";
import { firstExisting, gitCredentialsCandidates, rewriteGitCredentials } from "../../storage/git-credentials-file.js";
import type { TokenInfo } from "../../github/token-info.js";
import { askConfirm } from "../../ui/prompts.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import { newRecord } from "../../core/new-record.js";
import {
  candidateKey,
  candidatesFromGh,
  candidatesFromGitCredentials,
  lineCandidateKey,
  refuseGitCredentialOptionsForGh,
  type Candidate,
  type Skipped,
} from "./sources.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { importSpec } from "./spec.js";
import { counted, plural } from "../../core/plural.js";

export type ImportSource = "git-credentials" | "gh";

export type ImportOptions = OptionsOf<typeof importSpec>;

export type Outcome = "imported" | "already-stored" | "rejected" | "unreachable" | "skipped";

export interface ImportResult {
  where: string;
  host: string | null;
  name: string | null;
  fingerprint: string | null;
  outcome: Outcome;
  detail: string | null;
}

const REMOVAL_FLAGS = "--remove-plaintext (remove the imported lines) or --keep-plaintext (leave the file as it is)";

/** Moves tokens kept elsewhere in plain text (git's credential store, gh) into ghpat. */
export async function runImport(options: ImportOptions, ctx: Context): Promise<ImportResult[]> {
  refuseTokenArgument(options.file);
  if (options.from === "gh") {
    refuseGitCredentialOptionsForGh(options);
    const { candidates, skipped } = await candidatesFromGh(ctx.env);
    const results = await importAll(candidates, skipped, options, ctx);
    return finish(results, options, ctx);
  }

  const file = options.file ?? (await firstExisting(gitCredentialsCandidates(ctx.env)));
  if (file === undefined) {
    throw new NotFoundError(
      `There is no git credentials file (${gitCredentialsCandidates(ctx.env).join(" or ")}).`,
      "Name the file: 'ghpat import --from git-credentials FILE'.",
    );
  }
  // Decided before anything changes: a script gets its usage error, not half an import.
  if (plaintextChoice(options) === undefined && !isInteractive(process.stdin, ctx.env)) {
    throw new UsageError(
      `Say what to do with the plain-text lines in ${file} once their tokens are imported; ghpat prompts only on a terminal outside CI.`,
      `Pass ${REMOVAL_FLAGS}.`,
    );
  }
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    throw new NotFoundError(`Cannot read ${file}: ${(error as Error).message}`, "Check the path and its permissions.");
  }
  const { candidates, skipped, others } = candidatesFromGitCredentials(data);
  if (others > 0) ctx.out.info(`${counted(others, "line")} in ${file} hold no GitHub token; they stay as they are.`);
  const results = await importAll(candidates, skipped, options, ctx);

  // Only the lines of what ghpat now holds: a token on a host, never the same token's lines for another host or protocol.
  const safe = new Set(
    candidates
      .filter((_, i) => ["imported", "already-stored"].includes(results[i]?.outcome ?? ""))
      .map((c) => candidateKey(c.host, c.token)),
  );
  if (safe.size > 0) await removePlaintext(file, safe, options, ctx);
  return finish(results, options, ctx);
}

async function importAll(
  candidates: Candidate[],
  skipped: Skipped[],
  options: ImportOptions,
  ctx: Context,
): Promise<ImportResult[]> {
  const vault = openVault(ctx.env);
  const results: ImportResult[] = [];
  for (const candidate of candidates) results.push(await importOne(vault, candidate, options, ctx));
  for (const skip of skipped) {
    results.push({
      where: skip.where,
      host: null,
      name: null,
      fingerprint: null,
      outcome: "skipped",
      detail: skip.reason,
    });
    ctx.out.warn(`${skip.where}: skipped: ${skip.reason}.`);
  }
  return results;
}

async function importOne(
  vault: Vault,
  candidate: Candidate,
  options: ImportOptions,
  ctx: Context,
): Promise<ImportResult> {
  const { token, host, where } = candidate;
  const base = { where, host, fingerprint: fingerprint(token) };

  const twin = await storedTwin(vault, candidate);
  if (twin) {
    ctx.out.info(`${where}: ${base.fingerprint} for ${host} is already stored as '${twin.name}'.`);
    return { ...base, name: twin.name, outcome: "already-stored", detail: null };
  }

  const format = checkTokenFormat(token);
  let info: TokenInfo | null = null;
  if (options.verify) {
    const { fetchTokenInfo } = await import("../../github/user.js");
    try {
      info = await fetchTokenInfo(host, token, format.type, { timeoutMs: options.timeoutMs, env: ctx.env });
    } catch (error) {
      if (!(error instanceof GhpatError)) throw error;
      const outcome: Outcome = error instanceof NetworkError ? "unreachable" : "rejected";
      ctx.out.warn(
        `${where}: ${base.fingerprint} for ${host} was not imported: ${error.message}${error.hint ? ` ${error.hint}` : ""}`,
      );
      return { ...base, name: null, outcome, detail: error.message };
    }
  }

  const records = await vault.records();
  const name = freeName(
    info
      ? defaultName(info.login, host)
      : candidate.user
        ? defaultName(candidate.user, host)
        : `imported-${token.slice(-4)}${host === "github.com" ? "" : `@${host}`}`,
    records,
  );
  const record = newRecord({
    name,
    host,
    token,
    type: format.type,
    info,
    now: ctx.now(),
    default: false,
    match: candidate.match,
    note: `imported from ${options.from === "gh" ? "gh" : "git credentials"}`,
  });

  const stored = await vault.add(record, token, { replace: false });
  ctx.out.info(
    `${where}: imported '${stored.name}' (${stored.fingerprint}) for ${host}${info ? ` (login ${info.login})` : " (not verified)"}.`,
  );
  return { ...base, name: stored.name, outcome: "imported", detail: null };
}

/** A stored token with the same secret on the same host (fingerprints narrow it down; the secret decides). */
async function storedTwin(vault: Vault, candidate: Candidate): Promise<TokenRecord | undefined> {
  const print = fingerprint(candidate.token);
  for (const record of await vault.records()) {
    if (record.host !== candidate.host || record.fingerprint !== print) continue;
    if ((await vault.storeFor(record).get(keychainAccount(record))) === candidate.token) return record;
  }
  return undefined;
}

/** `octocat`, or `octocat-2`, … when a different token already has the name. */
function freeName(wanted: string, records: readonly TokenRecord[]): string {
  const base = isValidName(wanted) ? wanted : "imported";
  const taken = new Set(records.map((r) => r.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** true: --remove-plaintext; false: --keep-plaintext; undefined: ask on a terminal. */
function plaintextChoice(options: Pick<ImportOptions, "removePlaintext" | "keepPlaintext">): boolean | undefined {
  return options.removePlaintext ? true : options.keepPlaintext ? false : undefined;
}

/** `tokens`: the candidateKey of each token (on its host) whose lines may go. */
async function removePlaintext(
  file: string,
  tokens: ReadonlySet<string>,
  options: ImportOptions,
  ctx: Context,
): Promise<void> {
  let remove = plaintextChoice(options);
  if (remove === undefined) {
    remove = await askConfirm(
      `Remove the lines holding the ${tokens.size} imported ${plural(tokens.size, "token")} from ${file}? Every other line stays exactly as it is.`,
      REMOVAL_FLAGS,
    );
  }
  if (!remove) {
    ctx.out.info(
      `${file} still holds ${plural(tokens.size, "that token", "those tokens")} in plain text. Remove them later with 'ghpat import --from git-credentials --remove-plaintext'.`,
    );
    return;
  }
  let removed = 0;
  try {
    const result = await rewriteGitCredentials(
      file,
      (data) => {
        const rewritten = withoutCredentials(data, (c) => {
          const key = lineCandidateKey(c);
          return key !== null && tokens.has(key);
        });
        removed = rewritten.removed;
        return rewritten.data;
      },
      { backup: options.backup, now: ctx.now() },
    );
    if (result.changed)
      ctx.out.info(
        `Removed ${counted(removed, "line")} from ${file}.${result.backup ? ` The old file is in ${result.backup} (mode 0600): delete it once you are sure.` : ""}`,
      );
  } catch (error) {
    if (error instanceof GhpatError) throw error;
    throw new StoreUnavailableError(
      `The tokens were imported, but ${file} could not be rewritten: ${(error as Error).message}`,
      "Its lines are unchanged. Fix the problem and run the import again with --remove-plaintext.",
    );
  }
}

function finish(results: ImportResult[], options: ImportOptions, ctx: Context): ImportResult[] {
  if (options.json) ctx.out.json(results);
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  if (results.length === 0)
    ctx.out.info(options.from === "gh" ? "gh gave no tokens to import." : "No GitHub tokens were found to import.");
  if (count("unreachable") > 0) {
    throw new NetworkError(
      `${counted(count("unreachable"), "token")} could not be verified, so ${plural(count("unreachable"), "it was", "they were")} not imported.`,
      "Check the connection and run the import again, or pass --no-verify.",
    );
  }
  if (count("rejected") > 0) {
    throw new CheckFailedError(
      `${counted(count("rejected"), "token was", "tokens were")} not imported because GitHub refused ${plural(count("rejected"), "it", "them")}.`,
      "The messages above say why for each. A revoked or expired token is useless: delete it from where it is. One that needs SAML single sign-on can be authorised at the URL given, then imported again.",
    );
  }
  return results;
}

export const run: RunFunction<typeof importSpec> = async (options, ctx) => {
  await runImport(options, ctx);
};
