import { InvalidArgumentError, type Command } from "commander";
import type { Context } from "../commands/shared/context.js";

/** Variables set by global flags (--store → GHPAT_STORE); they win over the process environment. */
let globalEnv: Record<string, string> = {};

export function setGlobalEnv(values: Record<string, string>): void {
  globalEnv = values;
}

/** The command's context: the process environment, plus what global flags set. */
export async function context(): Promise<Context> {
  const { defaultContext } = await import("../commands/shared/context.js");
  const ctx = defaultContext();
  return Object.keys(globalEnv).length === 0 ? ctx : { ...ctx, env: { ...ctx.env, ...globalEnv } };
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("Expected a whole number.");
  return n;
}

/** `--timeout 10` (seconds) → milliseconds. */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("Expected a number of seconds greater than 0.");
  return Math.round(n * 1000);
}

export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}
