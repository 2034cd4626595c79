/**
 * ghpat as a library: `import { getToken, listTokens, verifyToken } from "ghpat"`.
 *
 * The same rules as the CLI: nothing here prompts, prints or exits. Every
 * failure is a GhpatError with a stable `code` and the `exitCode` the CLI
 * would use; no message ever contains a token. The public types live in
 * src/api/contract.ts; each function here is typed by its declaration there.
 */
import type * as Contract from "./api/contract.js";
import type { Env } from "./config.js";
import type { Context } from "./commands/shared/context.js";
import { UsageError } from "./errors.js";

export {
  ExitCode,
  GhpatError,
  UsageError,
  CheckFailedError,
  NotFoundError,
  StoreUnavailableError,
  NetworkError,
  InterruptedError,
  CorruptIndexError,
  isGhpatError,
} from "./errors.js";
export { TokenRejectedError, SsoRequiredError, TokenForbiddenError } from "./github/api-errors.js";
export { UnsafePermissionsError } from "./storage/file-safety.js";
export type {
  ApiOptions,
  ListTokensOptions,
  GetTokenOptions,
  VerifyTokenOptions,
  TokenVerification,
  Env,
  TokenRecord,
  TokenType,
  TokenStatus,
  RateLimit,
  Permissions,
  PermissionLevel,
} from "./api/contract.js";

/** A command's context that hands back what it would print, and prints nothing. */
function silentContext(env: Env | undefined): { ctx: Context; printed: { data: string[]; json: unknown[] } } {
  const printed = { data: [] as string[], json: [] as unknown[] };
  const ctx: Context = {
    env: env ?? process.env,
    out: {
      data: (text) => void printed.data.push(text),
      json: (value) => void printed.json.push(value),
      info: () => undefined,
      warn: () => undefined,
      colors: false,
      columns: undefined,
      paint: (_style, text) => text,
    },
    readStdin: () => Promise.reject(new UsageError("The ghpat library never reads standard input.")),
    now: () => new Date(),
    argv: [],
    self: { node: process.execPath, script: process.argv[1] ?? "ghpat" },
  };
  return { ctx, printed };
}

export const listTokens: typeof Contract.listTokens = async (options = {}) => {
  const { runList } = await import("./commands/list/run.js");
  const { ctx, printed } = silentContext(options.env);
  await runList({ host: options.host, json: true }, ctx);
  return (printed.json[0] ?? []) as Awaited<ReturnType<typeof Contract.listTokens>>;
};

export const getToken: typeof Contract.getToken = async (nameOrOptions) => {
  const options: Contract.GetTokenOptions =
    typeof nameOrOptions === "string" ? { name: nameOrOptions } : (nameOrOptions ?? {});
  const { runToken } = await import("./commands/token/run.js");
  const { ctx, printed } = silentContext(options.env);
  await runToken({ name: options.name, host: options.host }, ctx);
  const secret = printed.data[0];
  if (secret === undefined) throw new Error("ghpat found a token but did not hand it over; this is a bug.");
  return secret;
};

export const verifyToken: typeof Contract.verifyToken = async (token, options = {}) => {
  if (typeof token !== "string" || token.trim() === "")
    throw new UsageError("No token was given to verifyToken.", "Pass the token as the first argument.");
  // A token never has surrounding whitespace; a file's trailing newline is not part of it.
  const secret = token.trim();
  const env = options.env ?? process.env;
  const [{ resolveHost }, { checkTokenFormat, fingerprint }, { fetchTokenInfo }] = await Promise.all([
    import("./config.js"),
    import("./core/token-format.js"),
    import("./github/user.js"),
  ]);
  const host = resolveHost(options.host, env);
  const format = checkTokenFormat(secret);
  const refusal = format.problems.find((p) => p.severity === "error" && (p.code === "alphabet" || !options.force));
  if (refusal)
    throw new UsageError(
      refusal.message,
      refusal.code === "alphabet" ? undefined : "If you are sure it is right, pass { force: true }.",
    );
  const info = await fetchTokenInfo(host, secret, format.type, { timeoutMs: options.timeoutMs, env });
  return {
    host,
    login: info.login,
    type: format.type,
    fingerprint: fingerprint(secret),
    scopes: info.scopes,
    expiresAt: info.expiresAt,
    expiryKnown: info.expiryKnown,
    rateLimit: info.rateLimit,
  };
};
