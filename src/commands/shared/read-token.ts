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
