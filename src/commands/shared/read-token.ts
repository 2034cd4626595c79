import { UsageError } from "../../errors.js";
import { checkTokenFormat } from "../../core/token-format.js";
import { askSecret } from "../../ui/prompts.js";
import { handledSecrets } from "../../ui/redact.js";
import { tokenFromInput } from "../../ui/stdin.js";
import type { Context } from "./context.js";

/** A token from standard input or the masked prompt; from here on every message is scrubbed of it. */
export async function readToken(stdin: boolean, ctx: Context, prompt: string): Promise<string> {
  const token = stdin ? tokenFromInput(await ctx.readStdin()) : await askSecret(prompt, "--stdin");
  handledSecrets.add(token);
  return token;
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
      throw new UsageError(problem.message, problem.code === "alphabet" ? undefined : `If you are sure it is right, pass ${flag}.`);
    } else {
      accepted = true;
      ctx.out.warn(`${problem.message} (accepted because of ${flag})`);
    }
  }
  return { ...format, accepted };
}
