import { Option, type Command } from "commander";
import { UsageError } from "../../errors.js";
import { context, examples } from "../shared.js";

/**
 * `exec [name] -- cmd args`: commander cannot tell `exec -- gh` (no name)
 * from `exec gh`, so the raw arguments are split at the first `--` here.
 */
export function splitExecArgs(raw: readonly string[]): { name: string | undefined; command: string[] } {
  const start = raw.indexOf("exec");
  const rest = start === -1 ? [] : raw.slice(start + 1);
  const dashes = rest.indexOf("--");
  if (dashes === -1) throw new UsageError("Put '--' before the command to run.", "ghpat exec [name] -- gh repo list");
  const before = rest.slice(0, dashes);
  const unknown = before.find((arg) => arg.startsWith("-") && arg !== "--host" && !arg.startsWith("--host="));
  if (unknown !== undefined) throw new UsageError(`Unknown option '${unknown}' before '--'.`, "ghpat exec [--host HOST] [name] -- gh repo list");
  const positional = before.filter((arg, i) => !arg.startsWith("-") && before[i - 1] !== "--host");
  if (positional.length > 1) throw new UsageError(`Expected at most one token name before '--', got: ${positional.join(" ")}.`, "ghpat exec [name] -- gh repo list");
  return { name: positional[0], command: rest.slice(dashes + 1) };
}

/** The program's arguments as given (commander keeps them, untyped, as `rawArgs`). */
function rawArguments(command: Command): string[] {
  const raw = (command.parent as { rawArgs?: unknown } | null)?.rawArgs;
  return Array.isArray(raw) ? raw.map(String) : process.argv.slice(2);
}

/** git-credential, setup-git, exec: handing tokens to git and other programs. */
export function registerGitCommands(program: Command): void {
  // main.ts answers `git-credential` without loading commander; this entry is for --help.
  examples(
    program
      .command("git-credential")
      .argument("[operation]", "get, store or erase (git appends it)")
      .description("git's credential helper: answers git on stdin/stdout (set it up with 'ghpat setup-git')")
      .action(async (operation: string | undefined) => {
        const { runGitCredentialCli } = await import("../../commands/git-credential/run.js");
        await runGitCredentialCli(operation === undefined ? [] : [operation]);
      }),
    ["ghpat setup-git", "printf 'protocol=https\\nhost=github.com\\n\\n' | ghpat git-credential get"],
  );

  examples(
    program
      .command("setup-git")
      .description("Make git ask ghpat for HTTPS credentials of a host")
      .option("--host <host>", "GitHub host (default: GH_HOST or github.com)")
      .option("--global", "write to your global git configuration (the default)")
      .addOption(new Option("--local", "write to the current repository's configuration").conflicts("global"))
      .option("--path", "also set useHttpPath, so git sends owner/repo and 'add --match' patterns choose the token", false)
      .option("--unset", "remove ghpat's helper entries for the host (with --path: useHttpPath too)", false)
      .action(async (opts) => {
        const { runSetupGit } = await import("../../commands/setup-git/run.js");
        await runSetupGit(
          { host: opts.host, scope: opts.local ? "local" : "global", path: opts.path, unset: opts.unset, nodePath: process.execPath, binPath: process.argv[1] ?? "ghpat" },
          await context(),
        );
      }),
    ["ghpat setup-git", "ghpat setup-git --path", "ghpat setup-git --host ghe.example.com", "ghpat setup-git --unset"],
  );

  examples(
    program
      .command("exec")
      .usage("[options] [name] -- <command> [args...]")
      .argument("[name]", "token name (default: the host's default token)")
      .argument("[command...]", "the command to run, after --")
      .description("Run a command with GH_TOKEN and GITHUB_TOKEN set to a token (GH_ENTERPRISE_TOKEN and GITHUB_ENTERPRISE_TOKEN instead for an Enterprise Server)")
      .option("--host <host>", "GitHub host whose default token to use (default: GH_HOST or github.com)")
      // The command's own options (before a missing '--') reach splitExecArgs, which explains.
      .allowUnknownOption()
      .action(async (_name: unknown, _command: unknown, opts, command: Command) => {
        const { name, command: argv } = splitExecArgs(rawArguments(command));
        const { runExec } = await import("../../commands/exec/run.js");
        const result = await runExec({ name, host: opts.host, command: argv }, await context());
        if (result.signal) {
          // Die the way the child died, so a caller sees the signal too; the exit code is the fallback.
          const { constants } = await import("node:os");
          process.exitCode = 128 + (constants.signals[result.signal] ?? 0);
          // Any listener left for this signal would otherwise swallow it.
          process.removeAllListeners(result.signal);
          process.kill(process.pid, result.signal);
          return;
        }
        process.exitCode = result.code ?? 1;
      }),
    ["ghpat exec -- gh repo list", "ghpat exec work -- gh api user", "ghpat exec --host ghe.example.com -- gh issue list"],
  );
}
