import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { writeFd } from "../ui/fd-write.js";
import { examples } from "./shared.js";
import { registerTokenCommands } from "./commands/tokens.js";
import { registerReminderCommands } from "./commands/reminders.js";
import { registerVerifyCommand } from "./commands/verify.js";
import { registerCompletionCommand } from "./commands/completion.js";
import { registerStorageCommands } from "./commands/storage.js";
import { registerGitCommands } from "./commands/git.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { refuseTokenArguments } from "../commands/shared/token-argument.js";

export function buildProgram(): Command {
  const program = new Command("ghpat")
    .description("Keep GitHub personal access tokens in the OS keychain, know what they can do, and hand them to git.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => undefined, writeOut: (text) => writeFd(1, text), writeErr: (text) => writeFd(2, text) });
  examples(program, ["ghpat add", "ghpat list", "GH_TOKEN=$(ghpat token) gh repo list", "ghpat help add"]);
  registerTokenCommands(program);
  registerReminderCommands(program);
  registerVerifyCommand(program);
  registerCompletionCommand(program);
  registerStorageCommands(program);
  registerGitCommands(program);
  registerDoctorCommand(program);
  return program;
}

/** How far a path of names or aliases leads into the program: the commands matched, in order. */
function resolvePath(program: Command, names: readonly string[]): Command[] {
  const found: Command[] = [];
  let current = program;
  for (const name of names) {
    const next = current.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!next) break;
    found.push(next);
    current = next;
  }
  return found;
}

/**
 * `help <command...>` is answered as `<command...> --help`; it never runs a
 * command. An unknown top-level name is parsed as a command instead, so
 * commander reports it with its closest match (commander's own help command
 * would print the root help and exit 0).
 */
function routeHelp(program: Command, argv: string[]): string[] {
  if (argv[0] !== "help" || argv.length < 2) return argv;
  const names = argv.slice(1).filter((a) => !a.startsWith("-"));
  const found = resolvePath(program, names);
  if (found.length === 0) return names.slice(0, 1);
  const path = found.map((c) => c.name());
  if (found.length < names.length) {
    throw new UsageError(`'ghpat ${path.join(" ")}' has no subcommand '${names[found.length]}'.`, `Run 'ghpat help ${path.join(" ")}'.`);
  }
  return [...path, "--help"];
}

/** Commander's own parse errors become usage errors (exit 2); help and version exit 0. */
export async function runProgram(argv: string[]): Promise<void> {
  refuseTokenArguments(argv);
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
