import type { Command } from "commander";

/** The help a command prints for `--help`, examples included, at a fixed width and without colour. */
export function helpText(command: Command, width = 80): string {
  let text = "";
  command.configureOutput({
    writeOut: (chunk) => void (text += chunk),
    getOutHelpWidth: () => width,
    getOutHasColors: () => false,
  });
  command.outputHelp();
  return text;
}

/** Every visible command below `command`, depth first, with its names from the root. */
export function visibleCommands(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return command
    .createHelp()
    .visibleCommands(command)
    .filter((sub) => command.commands.includes(sub)) // commander's implicit `help` has no help of its own
    .flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...visibleCommands(sub, [...path, sub.name()])]);
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

/** docs/commands.md: the help of the program and of every command, as `ghpat help <command>` prints it. */
export function commandReference(program: Command): string {
  const sections = [
    { title: program.name(), command: program },
    ...visibleCommands(program).map((c) => ({ title: [program.name(), ...c.path].join(" "), command: c.command })),
  ];
  return [
    "# Command reference",
    "",
    "<!-- Generated from the command definitions by `npm run docs`; test/unit/docs.test.ts fails when this file is out of date. -->",
    "",
    ...sections.map((s) => `- [\`${s.title}\`](#${anchor(s.title)})`),
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", "```text", helpText(s.command).trimEnd(), "```", ""]),
  ].join("\n");
}
