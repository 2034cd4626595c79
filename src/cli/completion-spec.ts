import type { Argument, Command, Option } from "commander";
import type { CommandSpec, OptionSpec, ValueKind } from "../core/completion/spec.js";

/** Commands whose `name` argument is a new name, not a stored one. */
const NEW_NAME_COMMANDS = new Set(["add"]);

const FILE_PLACEHOLDER = /^(file|path|dir|directory)$/i;

function firstLine(text: string): string {
  return text.split("\n")[0]?.trim() ?? "";
}

function placeholder(option: Option): string | undefined {
  return /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1]?.replace(/\.\.\.$/, "");
}

function optionValue(option: Option): ValueKind | undefined {
  if (!option.required && !option.optional) return undefined;
  if (option.argChoices) return { kind: "choices", values: [...option.argChoices] };
  if (option.long === "--host") return { kind: "hosts" };
  const name = placeholder(option);
  if (name !== undefined && FILE_PLACEHOLDER.test(name)) return { kind: "files" };
  return { kind: "any" };
}

function argumentValue(argument: Argument, command: Command, isHelpCommand: boolean): ValueKind {
  if (argument.argChoices) return { kind: "choices", values: [...argument.argChoices] };
  const name = argument.name();
  if (isHelpCommand) return { kind: "commands" };
  if (/^names?$/.test(name) && !NEW_NAME_COMMANDS.has(command.name())) return { kind: "names" };
  if (FILE_PLACEHOLDER.test(name)) return { kind: "files" };
  return { kind: "any" };
}

function optionSpec(option: Option): OptionSpec {
  return {
    flags: [option.short, option.long].filter((f): f is string => typeof f === "string"),
    description: firstLine(option.description),
    value: optionValue(option),
  };
}

/**
 * Reads commander's definition: visible commands (with commander's own
 * `help`), their visible options (with `--help`), positionals and aliases.
 */
export function completionSpec(command: Command, path: string[] = [], isHelpCommand = false): CommandSpec {
  const help = command.createHelp();
  const args = command.registeredArguments;
  return {
    path,
    aliases: command.aliases(),
    description: firstLine(command.summary() || command.description()),
    options: help.visibleOptions(command).map(optionSpec),
    args: args.map((a) => argumentValue(a, command, isHelpCommand)),
    variadic: args.at(-1)?.variadic ?? false,
    subcommands: help.visibleCommands(command).map((sub) => {
      const subIsHelp = sub.name() === "help" && !command.commands.includes(sub);
      return completionSpec(sub, [...path, sub.name()], subIsHelp);
    }),
  };
}
