import { UsageError } from "../../errors.js";
import { isInteractive } from "../../config.js";
import { checkTokenFormat, trimTokenInput } from "../../core/token-format.js";
import { askSecret } from "../../ui/prompts.js";
import { handledSecrets } from "../../ui/redact.js";
import { tokenFromInput } from "../../ui/stdin.js";
import type { Context } from "./context.js";

/** How often an empty answer at the prompt is asked again before giving up. */
export const PROMPT_TRIES = 3;

/**
 * A token from standard input or the masked prompt, without the whitespace
 * around it; from here on every message is scrubbed of it. `--stdin` on a
 * terminal would show the token as it is typed, so there it is asked for
 * with the masked prompt instead (or refused, where ghpat does not prompt).
 * `command` is how the user runs this with --stdin, for the hints.
 */
export async function readToken(stdin: boolean, ctx: Context, prompt: string, command: string): Promise<string> {
  let token: string;
  if (stdin && process.stdin.isTTY !== true) token = tokenFromInput(await ctx.readStdin());
  else {
    if (stdin && !isInteractive(process.stdin, ctx.env)) {
      throw new UsageError(
        "--stdin reads the token from standard input, and that is a terminal here: the token would be shown as you type it.",
        `Pipe it in, e.g. 'printf %s "$TOKEN" | ${command} --stdin'.`,
      );
    }
    token = await askToken(prompt, command, ctx);
  }
  handledSecrets.add(token);
  return token;
}

async function askToken(prompt: string, command: string, ctx: Context): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const answer = trimTokenInput(await askSecret(prompt, "--stdin"));
    if (answer !== "") return answer;
    if (attempt >= PROMPT_TRIES) {
      throw new UsageError(
        `No token was given (${PROMPT_TRIES} empty answers). Nothing was changed.`,
        `Paste the token at the prompt, or pipe it: 'printf %s "$TOKEN" | ${command} --stdin'.`,
      );
    }
    ctx.out.warn("No token was given. Paste the token, then press Enter.");
  }
}

export interface CheckedFormat extends ReturnType<typeof checkTokenFormat> {
  /** An error of the offline check was let through by `flag` (a checksum mismatch, an unknown prefix, a wrong shape). */
  accepted: boolean;
}

/**
 * Offline format check: errors refuse the token unless `accept` is set, and
 * `flag` is the option that sets it (bad characters never pass).
 */
export function checkFormatOrThrow(token: string, accept: boolean, flag: string, ctx: Context): CheckedFormat {
  const format = checkTokenFormat(token);
  let accepted = false;
  for (const problem of format.problems) {
    if (problem.severity === "warning") ctx.out.warn(problem.message);
    else if (problem.code === "alphabet" || !accept) {
      throw new UsageError(
        problem.message,
        problem.code === "alphabet" ? undefined : `If you are sure it is right, pass ${flag}.`,
      );
    } else {
      accepted = true;
      ctx.out.warn(`${problem.message} (accepted because of ${flag})`);
    }
  }
  return { ...format, accepted };
}
