/**
 * A command's spec: plain data that the commander program, the generated
 * fast-path parser, shell completion and docs/commands.md are all built from
 * (src/cli/registry.ts lists every spec). A verb's run function takes options
 * typed from its spec's arguments and flags, so a flag exists in one place.
 */
import type { Context } from "./context.js";

interface FlagBase {
  help: string;
  /** `-y`: a one-letter spelling besides the long one. */
  short?: `-${string}`;
  /** The long spelling; default: the option's key in kebab case (`staleDays` → `--stale-days`). */
  long?: `--${string}`;
}

/** `--json`: false unless given (help shows "(default: false)"). */
export interface BooleanFlag extends FlagBase {
  type: "boolean";
}
/** `--global`: true when given, else undefined (help shows no default). */
export interface SwitchFlag extends FlagBase {
  type: "switch";
  conflicts?: string;
}
/** `--no-verify`: true unless `--no-<long>` is given. */
export interface NegatableFlag extends FlagBase {
  type: "negatable";
}
/** `--host <host>`: a string, optionally one of `choices`. */
export interface StringFlag extends FlagBase {
  type: "string";
  placeholder: string;
  choices?: readonly string[];
  /** The flag must be given (commander's mandatory option). */
  required?: boolean;
  /** Another flag's key that may not be given with this one. */
  conflicts?: string;
}
/** `--match <pattern>`, repeatable: every value, in order. */
export interface ListFlag extends FlagBase {
  type: "list";
  placeholder: string;
}
/** `--days <n>`: a whole number, 0 included. */
export interface WholeNumberFlag extends FlagBase {
  type: "whole-number";
  placeholder: string;
  default?: number;
}
/** `--timeout <seconds>`: seconds on the command line, milliseconds to the verb. */
export interface SecondsFlag extends FlagBase {
  type: "seconds";
  placeholder: string;
}
export type FlagSpec = BooleanFlag | SwitchFlag | NegatableFlag | StringFlag | ListFlag | WholeNumberFlag | SecondsFlag;

export interface ArgSpec {
  name: string;
  /** Shown under "Arguments:" in the help; commands without any show none. */
  help?: string;
  required?: boolean;
  /** The last argument takes every remaining value. */
  variadic?: boolean;
  choices?: readonly string[];
}

export interface CommandSpecData {
  name: string;
  aliases?: readonly string[];
  /** The one line the command list shows; `description` when absent. */
  summary?: string;
  description: string;
  /** Replaces the generated usage line (`[options] [name] -- <command> [args...]`). */
  usage?: string;
  args?: readonly ArgSpec[];
  flags?: Readonly<Record<string, FlagSpec>>;
  examples: readonly string[];
  /** Built into its own bundle, answered before commander loads (see scripts/build.mjs). */
  hot?: boolean;
  /** Not listed in help or completion. */
  hidden?: boolean;
  /** Options the program does not know reach the verb (which reads `ctx.argv`). */
  allowUnknownOptions?: boolean;
  /** More positionals than `args` names are no error; the verb reads them from `ctx.argv`. */
  allowExcessArguments?: boolean;
}

type Choice<C, Fallback> = C extends readonly (infer V)[] ? V : Fallback;

export type FlagValue<F extends FlagSpec> = F extends BooleanFlag | NegatableFlag
  ? boolean
  : F extends SwitchFlag
    ? true | undefined
    : F extends StringFlag
      ? F["required"] extends true
        ? Choice<F["choices"], string>
        : Choice<F["choices"], string> | undefined
      : F extends ListFlag
        ? string[]
        : F extends WholeNumberFlag
          ? F["default"] extends number
            ? number
            : number | undefined
          : number | undefined;

type ArgValue<A extends ArgSpec> = A["variadic"] extends true
  ? string[]
  : A["required"] extends true
    ? Choice<A["choices"], string>
    : Choice<A["choices"], string> | undefined;

type ArgsOptions<A> = A extends readonly ArgSpec[] ? { [K in A[number] as K["name"]]: ArgValue<K> } : unknown;
type FlagsOptions<F> =
  F extends Readonly<Record<string, FlagSpec>> ? { -readonly [K in keyof F]: FlagValue<F[K]> } : unknown;

/** What a verb's run function receives: each argument by name, each flag by key. */
export type OptionsOf<S extends CommandSpecData> = ArgsOptions<S["args"]> & FlagsOptions<S["flags"]>;

/** What a verb returns is for its tests and the library; the CLI ignores it. */
export type RunFunction<S extends CommandSpecData> = (options: OptionsOf<S>, ctx: Context) => Promise<unknown>;

/** A spec with its lazily loaded run function: what the registry lists. */
export interface Command<S extends CommandSpecData = CommandSpecData> {
  spec: S;
  load(): Promise<RunFunction<S>>;
}

/** Any command, as the registry, the program and the fast path hold it: they pass options built from the spec itself. */
export interface AnyCommand {
  spec: CommandSpecData;
  load(): Promise<(options: never, ctx: Context) => Promise<unknown>>;
}

/** Declares a spec; `const` keeps its literal types, from which the options are typed. */
export function defineSpec<const S extends CommandSpecData>(spec: S): S {
  return spec;
}

/** The command, its run loaded only when it runs: `withRun(spec, () => import("./run.js"))`. */
export function withRun<S extends CommandSpecData>(spec: S, load: () => Promise<{ run: RunFunction<S> }>): Command<S> {
  return { spec, load: () => load().then((module) => module.run) };
}

/** `staleDays` → `--stale-days`; `verify` (negatable) → `--no-verify`. */
export function longFlag(key: string, flag: FlagSpec): string {
  const long = flag.long ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return flag.type === "negatable" ? long.replace(/^--/, "--no-") : long;
}

export function takesValue(flag: FlagSpec): flag is StringFlag | ListFlag | WholeNumberFlag | SecondsFlag {
  return flag.type === "string" || flag.type === "list" || flag.type === "whole-number" || flag.type === "seconds";
}
