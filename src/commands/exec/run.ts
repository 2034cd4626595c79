import { localDay } from "../../core/days.js";
import { spawn, type ChildProcess } from "node:child_process";
import { childEnvironment } from "../../config.js";
import { NotFoundError, UsageError } from "../../errors.js";
import { tokenVariables } from "../../core/env-token.js";
import { isExpired, recentlyUsed, type TokenRecord } from "../../core/record.js";
import { openVault } from "../../storage/open.js";
import { handledSecrets } from "../../ui/redact.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { Context } from "../shared/context.js";
import { chooseToken } from "../shared/choose-token.js";
import type { RunFunction } from "../shared/spec.js";
import type { execSpec } from "./spec.js";
import { nudgeAfterHandingOut } from "../../storage/nudge-state.js";

/** The token to use and the command, split from the program's arguments at '--' (splitExecArgs). */
export interface ExecOptions {
  name?: string | undefined;
  host?: string | undefined;
  command: string[];
}

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Signals a person or a supervisor sends to stop or poke the command; ghpat passes them on and waits. */
const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];

/** Returns whether it warned. */
function warnIfUnusable(record: TokenRecord, ctx: Context): boolean {
  if (isExpired(record, ctx.now()))
    ctx.out.warn(
      `'${record.name}' expired on ${localDay(record.expiresAt ?? "")}; the command will probably be refused.`,
    );
  else if (record.status === "revoked" || record.status === "rejected" || record.status === "expired") {
    ctx.out.warn(`'${record.name}' is marked ${record.status}; run 'ghpat verify ${record.name}' or replace it.`);
  } else return false;
  return true;
}

/** Best effort: a busy or read-only index must not stop the command from running. */
async function recordUse(record: TokenRecord, ctx: Context): Promise<void> {
  const now = ctx.now();
  if (recentlyUsed(record, now)) return;
  try {
    await openVault(ctx.env).updateRecords([record.name], (t) =>
      recentlyUsed(t, now) ? t : { ...t, lastUsedAt: now.toISOString() },
    );
  } catch (error) {
    ctx.out.warn(`Could not record that '${record.name}' was used: ${(error as Error).message}`);
  }
}

/**
 * The child's environment, in gh's variables for the token's host: GH_TOKEN
 * and GITHUB_TOKEN for github.com and *.ghe.com, GH_ENTERPRISE_TOKEN and
 * GITHUB_ENTERPRISE_TOKEN for an Enterprise Server. GH_TOKEN alone would
 * not do for both: gh never reads GH_TOKEN for an Enterprise
 * Server, and in a clone of a github.com repository gh (or ghpat's own
 * fallback to the environment) would send it to github.com. GH_HOST names the
 * token's host, so that gh, outside a repository, talks to that host. The
 * file store's passphrase is not passed on (childEnvironment).
 */
export function tokenEnvironment(base: Context["env"], token: string, host: string): Record<string, string> {
  const env = childEnvironment(base);
  env.GH_HOST = host;
  for (const variable of tokenVariables(host)) env[variable] = token;
  return env;
}

/**
 * Runs the command with the token in its environment and reports how it
 * ended; the caller passes the exit code or signal on.
 */
export async function runExec(options: ExecOptions, ctx: Context): Promise<ExecResult> {
  refuseTokenArgument(options.name);
  const [command, ...args] = options.command;
  if (command === undefined || command === "") {
    throw new UsageError("No command to run.", "Put it after '--': ghpat exec [name] -- gh repo list");
  }
  const chosen = await chooseToken(options, ctx, "ghpat exec NAME -- COMMAND");
  handledSecrets.add(chosen.token);
  if (chosen.record) {
    // The nudge, when no louder warning said it already; before the command starts, so that it does not land in the middle of its output.
    if (!warnIfUnusable(chosen.record, ctx))
      await nudgeAfterHandingOut(chosen.record, { env: ctx.env, now: ctx.now, warn: (line) => ctx.out.info(line) });
    await recordUse(chosen.record, ctx);
  }

  // Forwarding starts before the command does. The command may already run
  // (and print) before spawn() returns; a signal then, with no handler yet,
  // would kill ghpat and leave the command orphaned. A handler runs on a
  // later turn of the event loop, when `child` is set.
  let child: ChildProcess | undefined;
  const forward = (signal: NodeJS.Signals) => {
    try {
      child?.kill(signal);
    } catch {
      // the child is already gone
    }
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  try {
    child = spawn(command, args, { stdio: "inherit", env: tokenEnvironment(ctx.env, chosen.token, chosen.host) });
    const started = child;
    return await new Promise<ExecResult>((resolvePromise, reject) => {
      started.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT")
          reject(new NotFoundError(`'${command}' was not found.`, "Check the command's name and your PATH."));
        else if (error.code === "EACCES")
          reject(
            new UsageError(`'${command}' cannot be run: permission denied.`, "Check that it is an executable file."),
          );
        else reject(error);
      });
      started.once("exit", (code, signal) => resolvePromise({ code, signal }));
    });
  } finally {
    for (const signal of FORWARDED) process.off(signal, forward);
  }
}

/**
 * `exec [name] -- cmd args`: commander cannot tell `exec -- gh` (no name)
 * from `exec gh`, so the raw arguments are split at the first `--` here.
 */
export function splitExecArgs(raw: readonly string[]): { name: string | undefined; command: string[] } {
  const start = raw.indexOf("exec");
  const rest = start === -1 ? [] : raw.slice(start + 1);
  const dashes = rest.indexOf("--");
  if (dashes === -1) throw new UsageError("Put '--' before the command to run.", "ghpat exec [name] -- gh repo list");
  const before = rest.slice(0, dashes);
  const unknown = before.find((arg) => arg.startsWith("-") && arg !== "--host" && !arg.startsWith("--host="));
  if (unknown !== undefined)
    throw new UsageError(`Unknown option '${unknown}' before '--'.`, "ghpat exec [--host HOST] [name] -- gh repo list");
  const positional = before.filter((arg, i) => !arg.startsWith("-") && before[i - 1] !== "--host");
  if (positional.length > 1)
    throw new UsageError(
      `Expected at most one token name before '--', got: ${positional.join(" ")}.`,
      "ghpat exec [name] -- gh repo list",
    );
  return { name: positional[0], command: rest.slice(dashes + 1) };
}

export const run: RunFunction<typeof execSpec> = async (options, ctx) => {
  const { name, command } = splitExecArgs(ctx.argv);
  const result = await runExec({ name, host: options.host, command }, ctx);
  if (result.signal) {
    // Die the way the child died, so a caller sees the signal too; the exit code is the fallback.
    const { constants } = await import("node:os");
    process.exitCode = 128 + (constants.signals[result.signal] ?? 0);
    // Any listener left for this signal would otherwise swallow it.
    process.removeAllListeners(result.signal);
    process.kill(process.pid, result.signal);
    return;
  }
  process.exitCode = result.code ?? 1;
};
