import { Argument, type Command } from "commander";
import { context, examples } from "../shared.js";

/** completion: shell completion scripts generated from this program's own definition. */
export function registerCompletionCommand(program: Command): void {
  examples(
    program
      .command("completion")
      .summary("Print a shell completion script (bash, zsh or fish)")
      .description(
        "Print a shell completion script for bash, zsh or fish. It completes commands, their flags, and the names and hosts of stored tokens, which it reads from the index on each Tab (never from the keychain). It is generated from this version's commands: regenerate it after upgrading, or load it on every shell start.",
      )
      .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
      .action(async (shell: string) => {
        const [{ runCompletion }, { completionSpec }] = await Promise.all([import("../../commands/completion/run.js"), import("../completion-spec.js")]);
        await runCompletion({ shell, spec: completionSpec(program) }, await context());
      }),
    [
      "source <(ghpat completion bash)",
      "ghpat completion bash > ~/.local/share/bash-completion/completions/ghpat",
      "mkdir -p ~/.zfunc && ghpat completion zsh > ~/.zfunc/_ghpat",
      "ghpat completion fish > ~/.config/fish/completions/ghpat.fish",
    ],
  );
}
