import { UsageError } from "../../errors.js";
import { bashScript } from "../../core/completion/bash.js";
import { fishScript } from "../../core/completion/fish.js";
import type { CommandSpec } from "../../core/completion/spec.js";
import { zshScript } from "../../core/completion/zsh.js";
import { VERSION } from "../../version.js";
import type { Context } from "../shared/context.js";
import type { RunFunction } from "../shared/spec.js";
import type { completionSpec } from "./spec.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionOptions {
  shell: string;
  /** The program's commands, flags and arguments, read from its definition. */
  spec: CommandSpec;
}

const RENDERERS: Record<Shell, (spec: CommandSpec, version: string) => string> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
};

export function completionScript(shell: string, spec: CommandSpec): string {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`ghpat has no completion for '${shell}'.`, `Choose one of: ${SHELLS.join(", ")}.`);
  }
  return RENDERERS[shell as Shell](spec, VERSION);
}

/** Prints the script on stdout, for `source <(ghpat completion bash)` and friends. */
export async function runCompletion(options: CompletionOptions, ctx: Context): Promise<void> {
  ctx.out.data(completionScript(options.shell, options.spec));
}

export const run: RunFunction<typeof completionSpec> = async (options, ctx) => {
  // The scripts describe the program as commander sees it, help commands and global flags included.
  const [{ buildProgram }, { completionSpec: programSpec }] = await Promise.all([
    import("../../cli/program.js"),
    import("../../cli/completion-spec.js"),
  ]);
  await runCompletion({ shell: options.shell, spec: programSpec(buildProgram()) }, ctx);
};
