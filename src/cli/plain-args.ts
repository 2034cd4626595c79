/**
 * The fast path's argument parser, driven by a command's spec: it takes the
 * plain forms (`--json`, `--host NAME`, `--host=NAME`, `-y`, positionals,
 * `--` before operands) and returns null for anything else (help, a mistake,
 * a global flag such as --store), which then goes to the commander program
 * for its help or its error message. It recognises; it does not explain.
 * util.parseArgs would cost about 1 ms to load on each run.
 */
import { flagValue } from "../commands/shared/flag-value.js";
import { longFlag, takesValue, type CommandSpecData, type FlagSpec } from "../commands/shared/spec.js";

type Options = Record<string, unknown>;

function initialValue(flag: FlagSpec): unknown {
  switch (flag.type) {
    case "boolean":
      return false;
    case "negatable":
      return true;
    case "list":
      return [];
    case "whole-number":
      return flag.default;
    default:
      return undefined;
  }
}

function assignPositionals(spec: CommandSpecData, positionals: readonly string[], options: Options): boolean {
  const args = spec.args ?? [];
  let next = 0;
  for (const arg of args) {
    if (arg.variadic) {
      options[arg.name] = positionals.slice(next);
      next = positionals.length;
      continue;
    }
    const value = positionals[next];
    if (value === undefined) {
      if (arg.required) return false;
    } else {
      if (arg.choices && !arg.choices.includes(value)) return false;
      next++;
    }
    options[arg.name] = value;
  }
  return next === positionals.length || spec.allowExcessArguments === true;
}

export function parsePlainArgs(spec: CommandSpecData, args: readonly string[]): Options | null {
  if (spec.allowUnknownOptions) return null;
  const flags = new Map<string, [string, FlagSpec]>();
  const options: Options = {};
  for (const [key, flag] of Object.entries(spec.flags ?? {})) {
    flags.set(longFlag(key, flag), [key, flag]);
    if (flag.short) flags.set(flag.short, [key, flag]);
    options[key] = initialValue(flag);
  }
  const given = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const found = flags.get(eq === -1 ? arg : arg.slice(0, eq));
    if (found === undefined) return null;
    const [key, flag] = found;
    given.add(key);
    if (!takesValue(flag)) {
      if (eq !== -1) return null;
      options[key] = flag.type !== "negatable";
      continue;
    }
    let text: string | undefined;
    if (eq !== -1) text = arg.slice(eq + 1);
    else {
      text = args[i + 1];
      if (text === undefined || text.startsWith("-")) return null;
      i++;
    }
    const parsed = flagValue(flag, text);
    if (!("value" in parsed)) return null;
    if (flag.type === "list") (options[key] as string[]).push(text);
    else options[key] = parsed.value;
  }
  for (const [key, flag] of Object.entries(spec.flags ?? {})) {
    if (flag.type === "string" && flag.required && !given.has(key)) return null;
    if (
      (flag.type === "string" || flag.type === "switch") &&
      flag.conflicts !== undefined &&
      given.has(key) &&
      given.has(flag.conflicts)
    )
      return null;
  }
  return assignPositionals(spec, positionals, options) ? options : null;
}
