/**
 * What a shell needs to complete ghpat, independent of commander: built from
 * the program definition (src/cli/completion-spec.ts) and rendered into a
 * bash, zsh or fish script. Commands added to the program are covered
 * without touching the renderers.
 */

/** What to offer for a positional argument or an option's value. */
export type ValueKind =
  | { kind: "names" } // stored token names, asked of `ghpat __complete names` (the index only)
  | { kind: "hosts" } // hosts of stored tokens
  | { kind: "commands" } // ghpat's own commands (for `ghpat help <command>`)
  | { kind: "files" }
  | { kind: "choices"; values: string[] }
  | { kind: "any" }; // free text: nothing to offer

export interface OptionSpec {
  /** Every spelling: `-y`, `--yes`. */
  flags: string[];
  description: string;
  /** Absent for a switch; present when the option takes a value. */
  value?: ValueKind | undefined;
}

export interface CommandSpec {
  /** Names from the root: `[]` for ghpat itself, `["token"]`, ... */
  path: string[];
  aliases: string[];
  description: string;
  options: OptionSpec[];
  /** One entry per positional, in order. */
  args: ValueKind[];
  /** The last positional repeats (`verify [name...]`). */
  variadic: boolean;
  subcommands: CommandSpec[];
}

/** The kinds the scripts call back into ghpat for: cheap index reads, never the keychain. */
export const DYNAMIC_KINDS = ["names", "hosts"] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

/** Every command in the tree, root first, depth first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

/** `token` → "token", root → "" : the key the scripts switch on. */
export function pathKey(spec: Pick<CommandSpec, "path">): string {
  return spec.path.join(" ");
}

/** An encoding of a value kind that all three shells can switch on. */
export function kindCode(kind: ValueKind): string {
  return kind.kind === "choices" ? `choices:${kind.values.join(" ")}` : kind.kind;
}
