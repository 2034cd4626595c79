import { allCommands, kindCode, pathKey, type CommandSpec } from "./spec.js";

/** A single-quoted word for bash and zsh. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function caseArm(patterns: string[], body: string): string {
  return `    ${patterns.map(shQuote).join("|")}) ${body} ;;`;
}

function caseFunction(name: string, subject: string, arms: string[], fallback: string): string {
  return [`${name}() {`, `  case ${subject} in`, ...arms, `    *) ${fallback} ;;`, "  esac", "}"].join("\n");
}

function array(values: string[]): string {
  return `__ghpat_r=(${values.map(shQuote).join(" ")})`;
}

/**
 * The tables both bash and zsh switch on, as functions that set `__ghpat_r`
 * (no subshell per call). Keys are command paths joined by spaces, root "".
 */
export function shDataFunctions(root: CommandSpec, options: { described: boolean }): string {
  const commands = allCommands(root);
  const parts: string[] = [];

  parts.push(
    "# __ghpat_child PATH WORD: the subcommand WORD names under PATH (aliases resolved), or nothing.",
    caseFunction(
      "__ghpat_child",
      '"$1|$2"',
      commands.flatMap((c) =>
        c.subcommands.map((s) =>
          caseArm(
            [s.path.at(-1) ?? "", ...s.aliases].map((n) => `${pathKey(c)}|${n}`),
            `__ghpat_r=${shQuote(s.path.at(-1) ?? "")}`,
          ),
        ),
      ),
      "__ghpat_r=",
    ),
    "# __ghpat_subcommands PATH",
    caseFunction(
      "__ghpat_subcommands",
      '"$1"',
      commands
        .filter((c) => c.subcommands.length > 0)
        .map((c) => caseArm([pathKey(c)], array(c.subcommands.map((s) => s.path.at(-1) ?? "")))),
      "__ghpat_r=()",
    ),
    "# __ghpat_flags PATH",
    caseFunction(
      "__ghpat_flags",
      '"$1"',
      commands.map((c) => caseArm([pathKey(c)], array(c.options.flatMap((o) => o.flags)))),
      "__ghpat_r=()",
    ),
    "# __ghpat_option_value PATH FLAG: what FLAG's value is, when it takes one.",
    caseFunction(
      "__ghpat_option_value",
      '"$1|$2"',
      commands.flatMap((c) =>
        c.options
          .filter((o) => o.value)
          .map((o) =>
            caseArm(
              o.flags.map((f) => `${pathKey(c)}|${f}`),
              `__ghpat_r=${shQuote(kindCode(o.value ?? { kind: "any" }))}`,
            ),
          ),
      ),
      "__ghpat_r=",
    ),
    "# __ghpat_args PATH: what each positional is; __ghpat_variadic=1 when the last repeats.",
    caseFunction(
      "__ghpat_args",
      '"$1"',
      commands
        .filter((c) => c.args.length > 0)
        .map((c) => caseArm([pathKey(c)], `${array(c.args.map(kindCode))}; __ghpat_variadic=${c.variadic ? 1 : 0}`)),
      "__ghpat_r=(); __ghpat_variadic=0",
    ),
  );

  if (options.described) {
    // zsh's _describe wants NAME:DESCRIPTION, with colons in NAME escaped.
    const described = (name: string, description: string) => `${name.replace(/:/g, "\\:")}:${description}`;
    parts.push(
      "# __ghpat_subcommands_described PATH",
      caseFunction(
        "__ghpat_subcommands_described",
        '"$1"',
        commands
          .filter((c) => c.subcommands.length > 0)
          .map((c) =>
            caseArm([pathKey(c)], array(c.subcommands.map((s) => described(s.path.at(-1) ?? "", s.description)))),
          ),
        "__ghpat_r=()",
      ),
      "# __ghpat_flags_described PATH",
      caseFunction(
        "__ghpat_flags_described",
        '"$1"',
        commands.map((c) =>
          caseArm([pathKey(c)], array(c.options.flatMap((o) => o.flags.map((f) => described(f, o.description))))),
        ),
        "__ghpat_r=()",
      ),
    );
  }
  return parts.join("\n");
}

/**
 * One word of the walk over the line before the cursor, the same in bash and
 * zsh: an option's value, "--" (which sets `dashdash` to `dashdashValue`), an
 * option, a subcommand, or a positional. It ends in `continue` or counts `pos`.
 */
export function shWalkStep(dashdashValue: string): string {
  return [
    '    if [[ -n $expect ]]; then expect=""; continue; fi',
    '    case "$w" in',
    `      --) dashdash=${dashdashValue}; continue ;;`,
    "      --*=*) continue ;;",
    '      -?*) __ghpat_option_value "$cmdpath" "$w"; expect="$__ghpat_r"; continue ;;',
    "    esac",
    "    if ((pos == 0)); then",
    '      __ghpat_child "$cmdpath" "$w"',
    '      if [[ -n $__ghpat_r ]]; then cmdpath="${cmdpath:+$cmdpath }$__ghpat_r"; continue; fi',
    "    fi",
    "    pos=$((pos + 1))",
  ].join("\n");
}
