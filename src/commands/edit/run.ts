import { UsageError } from "../../errors.js";
import { isValidMatchPattern } from "../../core/match.js";
import { isValidName, type TokenRecord } from "../../core/record.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { editSpec } from "./spec.js";

export type EditOptions = OptionsOf<typeof editSpec>;

/** Patterns compare as git's owners and repositories do: ignoring ASCII case. */
function samePattern(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** What the flags do to a record; throws when one of them cannot apply to it. */
function changes(options: EditOptions): (record: TokenRecord) => TokenRecord {
  return (record) => {
    let match = [...record.match];
    for (const pattern of options.removeMatch) {
      if (!match.some((p) => samePattern(p, pattern))) {
        throw new UsageError(
          `'${record.name}' has no --match pattern '${pattern}'; nothing was changed.`,
          record.match.length ? `Its patterns: ${record.match.join(", ")}.` : "It has none.",
        );
      }
      match = match.filter((p) => !samePattern(p, pattern));
    }
    for (const pattern of options.addMatch) if (!match.some((p) => samePattern(p, pattern))) match.push(pattern);
    const note = options.note === undefined ? record.note : options.note === "" ? null : options.note;
    return { ...record, match, note, default: options.default || record.default };
  };
}

/**
 * Edits a record without its secret being given again. A rename moves the
 * secret to the new name's slot (Vault.rename: the new slot first, then the
 * index, then the old slot goes), so that a failure leaves the old name whole.
 */
export async function runEdit(options: EditOptions, ctx: Context): Promise<TokenRecord> {
  refuseTokenArgument(options.name);
  const rename = options.rename !== undefined && options.rename !== options.name ? options.rename : undefined;
  if (
    rename === undefined &&
    options.addMatch.length === 0 &&
    options.removeMatch.length === 0 &&
    options.note === undefined &&
    !options.default
  ) {
    throw new UsageError("Nothing to change.", "Give --name NEW, --add-match, --remove-match, --note or --default.");
  }
  if (rename !== undefined && !isValidName(rename)) {
    throw new UsageError(
      `'${rename}' is not a usable name.`,
      "Use letters, digits and . _ @ : + - (up to 100), starting with a letter or digit.",
    );
  }
  for (const pattern of [...options.addMatch, ...options.removeMatch]) {
    if (!isValidMatchPattern(pattern))
      throw new UsageError(`'${pattern}' is not a match pattern.`, "Use OWNER, OWNER/* or OWNER/REPO.");
  }
  const vault = openVault(ctx.env);
  const change = changes(options);
  let record: TokenRecord;
  if (rename === undefined) {
    record = await vault.editRecord(options.name, change);
  } else {
    const { renamed, leftover } = await vault.rename(options.name, rename, change);
    record = renamed;
    if (leftover !== null)
      ctx.out.warn(
        `The old slot ${leftover} could not be emptied; 'ghpat doctor' reports it, and the token under its new name is unaffected.`,
      );
  }
  const said: string[] = [];
  if (rename !== undefined) said.push(`renamed '${options.name}' to '${record.name}'`);
  if (options.addMatch.length || options.removeMatch.length)
    said.push(record.match.length ? `--match ${record.match.join(", ")}` : "no --match patterns");
  if (options.note !== undefined) said.push(record.note === null ? "no note" : "note set");
  if (options.default) said.push(`default for ${record.host}`);
  ctx.out.info(`'${record.name}' (${record.fingerprint}, ${record.host}): ${said.join("; ")}.`);
  return record;
}

export const run: RunFunction<typeof editSpec> = runEdit;
