import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import { UsageError } from "../errors.js";
import { writeFd } from "../ui/fd-write.js";
import { defaultContext, type Context } from "../commands/shared/context.js";
import { flagValue } from "../commands/shared/flag-value.js";
import { longFlag, takesValue, type AnyCommand, type ArgSpec, type FlagSpec } from "../commands/shared/spec.js";
import { refuseTokenArguments } from "../commands/shared/token-argument.js";
import { COMMANDS } from "./registry.js";

const STORES = ["keychain", "file"] as const;

function examples(command: Command, lines: readonly string[]): Command {
  return lines.length === 0
    ? command
    : command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function argument(arg: ArgSpec): Argument {
  const name = `${arg.name}${arg.variadic ? "..." : ""}`;
  const made = new Argument(arg.required ? `<${name}>` : `[${name}]`, arg.help);
  return arg.choices ? made.choices(arg.choices) : made;
}

function option(key: string, flag: FlagSpec): Option {
  const spelling = [flag.short, longFlag(key, flag)].filter(Boolean).join(", ");
  const made = new Option(takesValue(flag) ? `${spelling} <${flag.placeholder}>` : spelling, flag.help);
  switch (flag.type) {
    case "boolean":
      return made.default(false);
    case "switch":
      return made;
    case "negatable":
      // Its value under its own key, also beside a flag of the positive name (new's --match <pattern> and --no-match).
      made.attributeName = () => key;
      return made;
    case "list":
      return made.default([]).argParser(collect);
    case "string":
      if (flag.choices) made.choices(flag.choices);
      return flag.required ? made.makeOptionMandatory() : made;
    case "whole-number":
    case "seconds": {
      made.argParser((text: string) => {
        const parsed = flagValue(flag, text);
        if ("problem" in parsed) throw new InvalidArgumentError(parsed.problem);
        return parsed.value;
      });
      return flag.type === "whole-number" && flag.default !== undefined ? made.default(flag.default) : made;
    }
  }
}

/** Adds one registry entry to the program: its arguments, flags, help and a lazily loaded run. */
function addCommand(
  program: Command,
  command: AnyCommand,
  context: (argv: readonly string[]) => Context,
  argv: readonly string[],
): void {
  const { spec } = command;
  const made = program.command(spec.name, { hidden: spec.hidden ?? false });
  for (const alias of spec.aliases ?? []) made.alias(alias);
  if (spec.summary !== undefined) made.summary(spec.summary);
  made.description(spec.description);
  if (spec.usage !== undefined) made.usage(spec.usage);
  const args = spec.args ?? [];
  for (const arg of args) made.addArgument(argument(arg));
  const flags = Object.entries(spec.flags ?? {});
  const options = new Map(flags.map(([key, flag]) => [key, option(key, flag)]));
  const attributeOf = (key: string) => options.get(key)?.attributeName() ?? key;
  for (const [key, flag] of flags) {
    const flagOption = options.get(key) as Option;
    // Commander names the other option by its attribute, known once every option is made.
    if ((flag.type === "string" || flag.type === "switch") && flag.conflicts !== undefined)
      flagOption.conflicts(attributeOf(flag.conflicts));
    made.addOption(flagOption);
  }
  if (spec.allowUnknownOptions) made.allowUnknownOption();
  if (spec.allowExcessArguments) made.allowExcessArguments();
  examples(made, spec.examples);
  made.action(async (...received: unknown[]) => {
    const values = (received.at(-2) ?? {}) as Record<string, unknown>;
    const typed: Record<string, unknown> = {};
    args.forEach((arg, i) => (typed[arg.name] = received[i]));
    // A negatable flag is true unless given; commander leaves it unset when a flag of the positive name exists.
    for (const [key, flag] of flags)
      typed[key] = flag.type === "negatable" ? values[attributeOf(key)] !== false : values[attributeOf(key)];
    const run = await command.load();
    await run(typed as never, context(argv));
  });
}

export function buildProgram(argv: readonly string[] = []): Command {
  let store: string | undefined;
  let passphraseFd: string | undefined;
  const program = new Command("ghpat")
    .description("Keep GitHub personal access tokens in the OS keychain, know what they can do, and hand them to git.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: () => undefined,
      writeOut: (text) => writeFd(1, text),
      writeErr: (text) => writeFd(2, text),
    })
    .addOption(new Option("--store <kind>", "secret store for this run, as GHPAT_STORE does").choices(STORES))
    .addOption(
      new Option(
        "--passphrase-fd <n>",
        "read the file store's passphrase from descriptor N (kept out of every environment, unlike GHPAT_PASSPHRASE)",
      ),
    )
    .hook("preAction", (root) => {
      ({ store, passphraseFd } = root.opts<{ store?: string; passphraseFd?: string }>());
    });
  examples(program, ["ghpat add", "ghpat list", "GH_TOKEN=$(ghpat token) gh repo list", "ghpat help add"]);
  // --store is GHPAT_STORE by another name, and --passphrase-fd is GHPAT_PASSPHRASE_FD (read in storage/passphrase-source.ts, never passed to a child): commands see them in ctx.env.
  const context = (given: readonly string[]): Context => {
    const ctx = defaultContext(given);
    const globals = {
      ...(store === undefined ? {} : { GHPAT_STORE: store }),
      ...(passphraseFd === undefined ? {} : { GHPAT_PASSPHRASE_FD: passphraseFd }),
    };
    return Object.keys(globals).length === 0 ? ctx : { ...ctx, env: { ...ctx.env, ...globals } };
  };
  for (const command of COMMANDS) addCommand(program, command, context, argv);
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
    throw new UsageError(
      `'ghpat ${path.join(" ")}' has no subcommand '${names[found.length]}'.`,
      `Run 'ghpat help ${path.join(" ")}'.`,
    );
  }
  return [...path, "--help"];
}

/** The command and choices of the required option commander found missing (`import` without `--from`), when it has choices. */
function missingChoices(
  program: Command,
  argv: readonly string[],
  message: string,
): { command: string; long: string; choices: readonly string[] } | undefined {
  const long = /'(--[A-Za-z0-9-]+)/.exec(message)?.[1];
  if (long === undefined) return undefined;
  for (const command of program.commands) {
    if (![command.name(), ...command.aliases()].some((name) => argv.includes(name))) continue;
    const choices = command.options.find((o) => o.long === long)?.argChoices;
    if (choices && choices.length > 0) return { command: command.name(), long, choices };
  }
  return undefined;
}

/** Commander's own parse errors become usage errors (exit 2); help and version exit 0. */
export async function runProgram(argv: string[]): Promise<void> {
  refuseTokenArguments(argv);
  const program = buildProgram(argv);
  try {
    await program.parseAsync(routeHelp(program, argv), { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return;
      // No command at all: commander has printed the help on stderr.
      if (error.code === "commander.help")
        throw new UsageError("No command given.", "Run 'ghpat help <command>' for one command's help.");
      if (error.code === "commander.missingMandatoryOptionValue") {
        const missing = missingChoices(program, argv, error.message);
        if (missing) {
          throw new UsageError(
            `${error.message.replace(/^error: /, "")}; it takes one of: ${missing.choices.join(", ")}.`,
            `For example 'ghpat ${missing.command} ${missing.long} ${missing.choices[0]}'; 'ghpat help ${missing.command}' says more.`,
          );
        }
      }
      // The message keeps commander's "(Did you mean ...?)" line.
      throw new UsageError(error.message.replace(/^error: /, ""), "Run 'ghpat --help' for usage.");
    }
    throw error;
  }
}
