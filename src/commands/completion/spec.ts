import { defineSpec, withRun } from "../shared/spec.js";

export const completionSpec = defineSpec({
  name: "completion",
  summary: "Print a shell completion script (bash, zsh or fish)",
  description:
    "Print a shell completion script for bash, zsh or fish. It completes commands, their flags, and the names and hosts of stored tokens, which it reads from the index on each Tab (never from the keychain). It is generated from this version's commands: regenerate it after upgrading, or load it on every shell start.",
  args: [{ name: "shell", help: "bash, zsh or fish", required: true, choices: ["bash", "zsh", "fish"] }],
  examples: [
    "source <(ghpat completion bash)",
    "ghpat completion bash > ~/.local/share/bash-completion/completions/ghpat",
    "mkdir -p ~/.zfunc && ghpat completion zsh > ~/.zfunc/_ghpat",
    "ghpat completion fish > ~/.config/fish/completions/ghpat.fish",
  ],
});

export default withRun(completionSpec, () => import("./run.js"));
