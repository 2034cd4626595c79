import { runGitCredentialCli } from "../commands/git-credential/run.js";

/** `ghpat git-credential <operation>`, what git runs on every fetch, clone and push; its help comes from the program. */
export function run(argv: readonly string[]): boolean {
  if (argv.includes("--help") || argv.includes("-h")) return false;
  void runGitCredentialCli(argv.slice(1));
  return true;
}
