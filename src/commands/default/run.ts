import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { defaultSpec } from "./spec.js";

export type DefaultOptions = OptionsOf<typeof defaultSpec>;

export async function runDefault(options: DefaultOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const record = await openVault(ctx.env).setDefault(options.name);
  ctx.out.info(`'${record.name}' is now the default token for ${record.host}.`);
}

export const run: RunFunction<typeof defaultSpec> = runDefault;
