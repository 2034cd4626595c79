import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { examples } from "./shared.js";
import { registerTokenCommands } from "./commands/tokens.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { refuseTokenArguments } from "./argv-guard.js";

export function buildProgram(): Command {
  const program = new Command("ghpat")
    .description("Keep GitHub personal access tokens in the OS keychain, know what they can do, and hand them to git.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  examples(program, ["ghpat add", "ghpat list", "GH_TOKEN=$(ghpat token) gh repo list", "ghpat help add"]);
  registerTokenCommands(program);
  registerDoctorCommand(program);
  return program;
}

/** Commander's own parse errors become usage errors (exit 2); help and version exit 0. */
export async function runProgram(argv: string[]): Promise<void> {
  refuseTokenArguments(argv);
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return;
      throw new UsageError(error.message.replace(/^error: /, ""), "Run 'ghpat --help' for usage.");
    }
    throw error;
  }
}
