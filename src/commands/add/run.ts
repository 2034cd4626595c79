import { resolveHost } from "../../config.js";
import { GhpatError, NetworkError, UsageError } from "../../errors.js";
import { defaultName, isValidName, type TokenRecord } from "../../core/record.js";
import { checkTokenFormat, looksLikeToken } from "../../core/token-format.js";
import { isValidMatchPattern } from "../../core/match.js";
import { openVault } from "../../storage/open.js";
import { askSecret } from "../../ui/prompts.js";
import { handledSecrets } from "../../ui/redact.js";
import { tokenFromInput } from "../../ui/stdin.js";
import type { Context } from "../shared/context.js";
import { describeRecord } from "../shared/describe.js";
import { newRecord } from "../shared/new-record.js";

export interface AddOptions {
  name?: string | undefined;
  host?: string | undefined;
  stdin: boolean;
  verify: boolean;
  default: boolean;
  match: string[];
  note?: string | undefined;
  force: boolean;
  timeoutMs?: number | undefined;
}

export function refuseTokenArgument(value: string | undefined): void {
  if (value !== undefined && looksLikeToken(value)) {
    throw new UsageError(
      "That argument looks like a token. Tokens given on the command line end up in shell history and in 'ps'.",
      "Pass it on standard input with --stdin, or run the command on a terminal and paste it at the prompt. Then revoke this one, since it may have been recorded.",
    );
  }
}

export async function readToken(stdin: boolean, ctx: Context, prompt: string): Promise<string> {
  const token = stdin ? tokenFromInput(await ctx.readStdin()) : await askSecret(prompt, "--stdin");
  handledSecrets.add(token);
  return token;
}

/** Offline format check: errors refuse the token unless forced (bad characters never pass). */
export function checkFormatOrThrow(token: string, force: boolean, ctx: Context): ReturnType<typeof checkTokenFormat> {
  const format = checkTokenFormat(token);
  for (const problem of format.problems) {
    if (problem.severity === "warning") ctx.out.warn(problem.message);
    else if (problem.code === "alphabet" || !force) {
      throw new UsageError(problem.message, problem.code === "alphabet" ? undefined : "If you are sure it is right, pass --force.");
    } else ctx.out.warn(`${problem.message} (accepted because of --force)`);
  }
  return format;
}

export async function runAdd(options: AddOptions, ctx: Context): Promise<TokenRecord> {
  refuseTokenArgument(options.name);
  if (options.name !== undefined && !isValidName(options.name)) {
    throw new UsageError(`'${options.name}' is not a usable name.`, "Use letters, digits and . _ @ : + - (up to 100), starting with a letter or digit.");
  }
  for (const pattern of options.match) {
    if (!isValidMatchPattern(pattern)) {
      throw new UsageError(`'${pattern}' is not a match pattern.`, "Use OWNER, OWNER/* or OWNER/REPO.");
    }
  }
  const host = resolveHost(options.host, ctx.env);
  const vault = openVault(ctx.env);

  if (options.name !== undefined && !options.force) {
    if ((await vault.records()).some((t) => t.name === options.name)) {
      throw new UsageError(`A token named '${options.name}' already exists.`, "Choose another name, or pass --force to replace it.");
    }
  }

  const token = await readToken(options.stdin, ctx, `GitHub token for ${host}:`);
  const format = checkFormatOrThrow(token, options.force, ctx);

  let info = null;
  if (options.verify) {
    const { fetchTokenInfo } = await import("../../github/user.js");
    try {
      info = await fetchTokenInfo(host, token, format.type, { timeoutMs: options.timeoutMs, env: ctx.env });
    } catch (error) {
      if (error instanceof NetworkError) {
        throw new NetworkError(`${error.message} Nothing was stored.`, `${error.hint ?? ""} To store the token without checking it, pass --no-verify.`.trim());
      }
      if (error instanceof GhpatError) throw new GhpatError(`${error.message} Nothing was stored.`, { exitCode: error.exitCode, code: error.code, hint: error.hint });
      throw error;
    }
  }

  const name = options.name ?? (info ? defaultName(info.login, host) : undefined);
  if (name === undefined) {
    throw new UsageError("Without verification ghpat cannot learn the login to name the token after.", "Give a name: 'ghpat add NAME --no-verify --stdin'.");
  }
  if (!isValidName(name)) {
    throw new UsageError(`'${name}' is not a usable name.`, "Give a name as the first argument.");
  }

  const record = newRecord({ name, host, token, type: format.type, info, now: ctx.now(), default: options.default, match: options.match, note: options.note ?? null });

  const existing = await vault.records();
  const twin = existing.find((t) => t.host === host && t.fingerprint === record.fingerprint && t.name !== name);
  if (twin) ctx.out.warn(`'${twin.name}' on ${host} has the same fingerprint; this may be the same token stored twice.`);

  const stored = await vault.add(record, token, { replace: options.force });
  ctx.out.info(`Stored '${stored.name}' (${stored.fingerprint}) for ${host}. ${describeRecord(stored, ctx.now())}`);
  return stored;
}
