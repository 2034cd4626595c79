import { compareCodeUnits } from "../../core/record.js";
import { openIndex, openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import { refuseTokenArgument } from "../shared/token-argument.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { defaultSpec } from "./spec.js";

export type DefaultOptions = OptionsOf<typeof defaultSpec>;

/** Each host's default, one line per host: `github.com  work (ghp_…abcd)`, or what git gets without one. */
async function printDefaults(ctx: Context): Promise<void> {
  const { tokens } = await openIndex(ctx.env).read();
  if (tokens.length === 0) {
    ctx.out.info("No tokens stored. Add one with 'ghpat add'.");
    return;
  }
  const hosts = [...new Set(tokens.map((t) => t.host))].sort(compareCodeUnits);
  const width = Math.max(...hosts.map((h) => h.length));
  const lines = hosts.map((host) => {
    const marked = tokens.find((t) => t.host === host && t.default);
    if (marked) return `${host.padEnd(width)}  ${marked.name} (${marked.fingerprint})`;
    const mine = tokens.filter((t) => t.host === host);
    return `${host.padEnd(width)}  no default (${mine.length} tokens; 'ghpat default NAME' picks one)`;
  });
  ctx.out.data(lines.join("\n"));
}

export async function runDefault(options: DefaultOptions, ctx: Context): Promise<void> {
  if (options.name === undefined) {
    await printDefaults(ctx);
    return;
  }
  refuseTokenArgument(options.name);
  const record = await openVault(ctx.env).setDefault(options.name);
  ctx.out.info(`'${record.name}' is now the default token for ${record.host}.`);
}

export const run: RunFunction<typeof defaultSpec> = runDefault;
