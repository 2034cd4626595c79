import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../add/run.js";

export interface DefaultOptions {
  name: string;
}

export async function runDefault(options: DefaultOptions, ctx: Context): Promise<void> {
  refuseTokenArgument(options.name);
  const record = await openVault(ctx.env).setDefault(options.name);
  ctx.out.info(`'${record.name}' is now the default token for ${record.host}.`);
}
