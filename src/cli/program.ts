import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { examples } from "./shared.js";
import { registerTokenCommands } from "./commands/tokens.js";
import { registerCompletionCommand } from "./commands/completion.js";

export function buildProgram(): Command {
  const program = new Command("ghpat")
    .description("Keep GitHub personal access tokens in the OS keychain, know what they can do, and hand them to git.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  examples(program, ["ghpat add", "ghpat list", "GH_TOKEN=$(ghpat token) gh repo list", "ghpat help add"]);
  registerTokenCommands(program);
  registerCompletionCommand(program);
  return program;
}

/** The command a path of names or aliases leads to, if any. */
function findCommand(program: Command, names: readonly string[]): Command | undefined {
  let current: Command | undefined = program;
  for (const name of names) {
    current = current?.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!current) return undefined;
  }
  return current;
}

/**
 * `help <command...>` is answered as `<command...> --help`. An unknown name is
 * parsed as a command instead, so commander reports it with its closest
 * match (commander's own help command prints the root help and exits 0).
 */
function routeHelp(program: Command, argv: string[]): string[] {
  if (argv[0] !== "help" || argv.length < 2) return argv;
  const names = argv.slice(1).filter((a) => !a.startsWith("-"));
  return findCommand(program, names) ? [...names, "--help"] : names;
}

/** Commander's own parse errors become usage errors (exit 2); help and version exit 0. */
export async function runProgram(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(routeHelp(program, argv), { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return;
      // No command at all: commander has printed the help on stderr.
      if (error.code === "commander.help") throw new UsageError("No command given.", "Run 'ghpat help <command>' for one command's help.");
      // The message keeps commander's "(Did you mean ...?)" line.
      throw new UsageError(error.message.replace(/^error: /, ""), "Run 'ghpat --help' for usage.");
    }
    throw error;
  }
}
