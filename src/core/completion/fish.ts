import { allCommands, kindCode, pathKey, type CommandSpec } from "./spec.js";

/** A single-quoted fish word: only backslash and quote are special inside. */
function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function switchFunction(name: string, subject: string, arms: Array<{ patterns: string[]; body: string[] }>): string {
  return [
    `function ${name}`,
    `    switch ${subject}`,
    ...arms.flatMap((arm) => [
      `        case ${arm.patterns.map(fishQuote).join(" ")}`,
      ...arm.body.map((line) => `            ${line}`),
    ]),
    "    end",
    "end",
  ].join("\n");
}

function printLines(lines: string[]): string[] {
  return lines.length === 0 ? [] : [`printf '%s\\n' ${lines.map(fishQuote).join(" ")}`];
}

function described(name: string, description: string): string {
  return description ? `${name}\t${description}` : name;
}

/**
 * The fish script: the tables as functions that print lines ("NAME<TAB>description"
 * where fish shows one), and one walker that every completion goes through.
 */
export function fishScript(root: CommandSpec, version: string): string {
  const commands = allCommands(root);
  // "x" in front: a bare value such as "--help" would be taken as switch's own option.
  const key = (...parts: string[]) => `x${parts.join("|")}`;
  return `# fish completion for ghpat ${version}, generated from its command definitions.
# This shell:   ghpat completion fish | source
# Every shell:  ghpat completion fish > ~/.config/fish/completions/ghpat.fish
# Token names come from 'ghpat __complete names', which reads the index only, never the keychain.

# __ghpat_child PATH WORD: the subcommand WORD names under PATH (aliases resolved).
${switchFunction(
  "__ghpat_child",
  '"x$argv[1]|$argv[2]"',
  commands.flatMap((c) =>
    c.subcommands.map((s) => ({
      patterns: [s.path.at(-1) ?? "", ...s.aliases].map((n) => key(pathKey(c), n)),
      body: [`echo ${fishQuote(s.path.at(-1) ?? "")}`],
    })),
  ),
)}

# __ghpat_subcommands PATH
${switchFunction(
  "__ghpat_subcommands",
  '"x$argv[1]"',
  commands
    .filter((c) => c.subcommands.length > 0)
    .map((c) => ({
      patterns: [key(pathKey(c))],
      body: printLines(c.subcommands.map((s) => described(s.path.at(-1) ?? "", s.description))),
    })),
)}

# __ghpat_flags PATH
${switchFunction(
  "__ghpat_flags",
  '"x$argv[1]"',
  commands.map((c) => ({
    patterns: [key(pathKey(c))],
    body: printLines(c.options.flatMap((o) => o.flags.map((f) => described(f, o.description)))),
  })),
)}

# __ghpat_option_value PATH FLAG: what FLAG's value is, when it takes one.
${switchFunction(
  "__ghpat_option_value",
  '"x$argv[1]|$argv[2]"',
  commands.flatMap((c) =>
    c.options
      .filter((o) => o.value)
      .map((o) => ({
        patterns: o.flags.map((f) => key(pathKey(c), f)),
        body: [`echo ${fishQuote(kindCode(o.value ?? { kind: "any" }))}`],
      })),
  ),
)}

# __ghpat_args PATH: one line per positional; "..." after the last when it repeats.
${switchFunction(
  "__ghpat_args",
  '"x$argv[1]"',
  commands
    .filter((c) => c.args.length > 0)
    .map((c) => ({
      patterns: [key(pathKey(c))],
      body: printLines([...c.args.map(kindCode), ...(c.variadic ? ["..."] : [])]),
    })),
)}

function __ghpat_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l program ghpat
    set -q tokens[1]; and set program $tokens[1]
    set -l cmdpath ''
    set -l pos 0
    set -l expect ''
    set -l dashdash 0
    set -l after 0
    for w in $tokens[2..-1]
        if test $dashdash = 1
            set after (math $after + 1)
            continue
        end
        if test -n "$expect"
            set expect ''
            continue
        end
        if test "x$w" = x--
            set dashdash 1
            continue
        end
        if string match -q -- '--*=*' $w
            continue
        end
        if string match -q -- '-?*' $w
            set expect (__ghpat_option_value "$cmdpath" $w)
            continue
        end
        if test $pos = 0
            set -l child (__ghpat_child "$cmdpath" $w)
            if test -n "$child"
                set cmdpath (string trim -- "$cmdpath $child")
                continue
            end
        end
        set pos (math $pos + 1)
    end

    set -l kind ''
    set -l prefix ''
    if test $dashdash = 1
        # After "--" (ghpat exec): a command, then its own arguments.
        if test $after = 0
            __fish_complete_command
        else
            __fish_complete_path $cur
        end
        return
    else if test -n "$expect"
        set kind $expect
    else if string match -q -- '--*=*' $cur
        set -l flag (string split -m 1 = -- $cur)[1]
        set kind (__ghpat_option_value "$cmdpath" $flag)
        set prefix "$flag="
    else if string match -q -- '-*' $cur
        __ghpat_flags "$cmdpath"
        return
    else
        set -l subs (__ghpat_subcommands "$cmdpath")
        if test $pos = 0; and set -q subs[1]
            printf '%s\\n' $subs
            return
        end
        set -l args (__ghpat_args "$cmdpath")
        set -l variadic 0
        if test "x$args[-1]" = x...
            set variadic 1
            set -e args[-1]
        end
        set -l count (count $args)
        if test $pos -lt $count
            set kind $args[(math $pos + 1)]
        else if test $variadic = 1; and test $count -gt 0
            set kind $args[-1]
        end
    end

    switch "x$kind"
        case xcommands
            __ghpat_subcommands ''
        case xnames xhosts
            for value in ($program __complete $kind 2>/dev/null)
                printf '%s%s\\n' $prefix $value
            end
        case 'xchoices:*'
            for value in (string split ' ' -- (string replace 'choices:' '' -- $kind))
                printf '%s%s\\n' $prefix $value
            end
        case xfiles
            __fish_complete_path $cur
    end
end

complete -c ghpat -e
complete -c ghpat -f -a '(__ghpat_complete)'
`;
}
