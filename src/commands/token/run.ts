import { nudgeAfterHandingOut } from "../../storage/nudge-state.js";
import type { Context } from "../shared/context.js";
import { chooseToken } from "../shared/choose-token.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { tokenSpec } from "./spec.js";

export type TokenOptions = OptionsOf<typeof tokenSpec>;

/** Prints the secret and a newline: one of the two places a token is ever printed. Then the nudge, if one is due, on stderr. */
export async function runToken(options: TokenOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const chosen = await chooseToken(options, ctx, "ghpat token NAME");
  ctx.out.data(chosen.token);
  if (chosen.record)
    await nudgeAfterHandingOut(chosen.record, { env: ctx.env, now: ctx.now, warn: (line) => ctx.out.info(line) });
}

export const run: RunFunction<typeof tokenSpec> = runToken;
