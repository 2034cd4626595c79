import type { Context } from "../shared/context.js";
import { chooseToken } from "../shared/choose-token.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { tokenSpec } from "./spec.js";

export type TokenOptions = OptionsOf<typeof tokenSpec>;

/** Prints the secret and a newline: one of the two places a token is ever printed. */
export async function runToken(options: TokenOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  ctx.out.data((await chooseToken(options, ctx, "ghpat token NAME")).token);
}

export const run: RunFunction<typeof tokenSpec> = runToken;
