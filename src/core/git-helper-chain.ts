/**
 * The credential helpers git runs for a URL, worked out from its
 * configuration as git itself does (gitcredentials(7), git-config(1)): every
 * `credential.helper` and `credential.<url>.helper` entry whose URL matches,
 * in the order git reads its files (system, global, local, worktree, the
 * command line, each include in place), an empty value clearing the list
 * so far. Pure: the entries come from `git config --show-scope
 * --show-origin --null --get-regexp` (src/commands/shared/git-wiring.ts).
 */
import { asciiLower } from "./ascii.js";

export interface GitConfigEntry {
  /** system, global, local, worktree, command; "" when git did not say. */
  scope: string;
  /** `file:/path`, `command line:`, ... as git prints it. */
  origin: string;
  key: string;
  value: string;
  /** A key written without `=` (`[x] flag`): a boolean that is true; `value` is then "". */
  bare?: true;
}

/** `git config --null --show-scope --show-origin`: `scope NUL origin NUL key LF value NUL`, repeated. */
export function parseGitConfigList(output: string, withScope = true): GitConfigEntry[] {
  const fields = output.split("\0");
  const width = withScope ? 3 : 2;
  const entries: GitConfigEntry[] = [];
  for (let i = 0; i + width - 1 < fields.length; i += width) {
    const scope = withScope ? (fields[i] ?? "") : "";
    const origin = fields[i + width - 2] ?? "";
    const keyValue = fields[i + width - 1] ?? "";
    const newline = keyValue.indexOf("\n");
    entries.push(
      newline < 0
        ? { scope, origin, key: keyValue, value: "", bare: true }
        : { scope, origin, key: keyValue.slice(0, newline), value: keyValue.slice(newline + 1) },
    );
  }
  return entries;
}

/** The file an entry came from, or null for the command line and the like. */
export function originFile(entry: Pick<GitConfigEntry, "origin">): string | null {
  return entry.origin.startsWith("file:") ? entry.origin.slice("file:".length) : null;
}

/** `!<command> git-credential`, as setup-git writes it, naming ghpat: the command, else null. */
export function ghpatHelperCommand(value: string): string | null {
  const match = /^!(.*\S)\s+git-credential\s*$/s.exec(value);
  if (!match?.[1] || !/ghpat/i.test(match[1])) return null;
  return match[1];
}

/** `credential.helper` → "" (every URL); `credential.https://host.helper` → "https://host"; other keys → null. */
export function helperSubsection(key: string): string | null {
  const lower = asciiLower(key);
  if (!lower.startsWith("credential.") || !lower.endsWith(".helper")) return null;
  return key.slice("credential.".length, -".helper".length).replace(/\.$/, "");
}

/** What git asks helpers about: `https://host[:port]`, no user, no path (setup-git's level). */
export interface HelperTarget {
  protocol: string;
  /** Lower case, port included when it is not the protocol's default. */
  host: string;
}

export function helperTarget(host: string, protocol = "https"): HelperTarget {
  return { protocol, host: withoutDefaultPort(asciiLower(host), protocol) };
}

function withoutDefaultPort(host: string, protocol: string): string {
  const standard = protocol === "https" ? ":443" : protocol === "http" ? ":80" : null;
  return standard !== null && host.endsWith(standard) ? host.slice(0, -standard.length) : host;
}

/**
 * Does a section's URL apply to the target? "yes"; "maybe" when it names a
 * path or a user, so that it applies to some of the host's requests only
 * (some repositories, some users); "no".
 */
export type Applies = "yes" | "maybe" | "no";

/** One host pattern label against one label: `*` matches any run of characters within the label (git's urlmatch). */
function labelMatches(pattern: string, label: string): boolean {
  if (!pattern.includes("*")) return pattern === label;
  const parts = pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[^.]*")}$`).test(label);
}

function hostMatches(pattern: string, host: string): boolean {
  const [patternName = "", patternPort] = splitPort(pattern);
  const [name = "", port] = splitPort(host);
  if (patternPort !== port) return false;
  const want = patternName.split(".");
  const have = name.split(".");
  return want.length === have.length && want.every((label, i) => labelMatches(label, have[i] as string));
}

function splitPort(host: string): [string, string | undefined] {
  const colon = host.lastIndexOf(":");
  return colon < 0 ? [host, undefined] : [host.slice(0, colon), host.slice(colon + 1)];
}

export function subsectionApplies(subsection: string, target: HelperTarget): Applies {
  if (subsection === "") return "yes";
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(subsection);
  // A subsection that is no URL (`credential.github.com.helper`) is matched as a partial URL: host, then path.
  const protocol = scheme ? asciiLower(scheme[1] as string) : null;
  if (protocol !== null && protocol !== target.protocol) return "no";
  let rest = scheme ? subsection.slice(scheme[0].length) : subsection;
  const slash = rest.indexOf("/");
  const path = slash < 0 ? "" : rest.slice(slash + 1);
  rest = slash < 0 ? rest : rest.slice(0, slash);
  const at = rest.lastIndexOf("@");
  const user = at < 0 ? "" : rest.slice(0, at);
  const host = withoutDefaultPort(asciiLower(at < 0 ? rest : rest.slice(at + 1)), target.protocol);
  if (!hostMatches(host, target.host)) return "no";
  return user !== "" || path.replace(/\/+$/, "") !== "" ? "maybe" : "yes";
}

/**
 * The helpers git runs for the target, in order: each matching value is
 * added, an empty one clears the list. An entry that may apply (a path or
 * user section) is counted among the helpers, but its empty value clears
 * nothing: the answer errs on the side of a helper too many.
 */
export function helperChain(
  entries: readonly GitConfigEntry[],
  target: HelperTarget,
): { chain: GitConfigEntry[]; lastReset: GitConfigEntry | null } {
  let chain: GitConfigEntry[] = [];
  let lastReset: GitConfigEntry | null = null;
  for (const entry of entries) {
    const subsection = helperSubsection(entry.key);
    if (subsection === null) continue;
    const applies = subsectionApplies(subsection, target);
    if (applies === "no") continue;
    if (entry.value === "") {
      if (applies === "yes") {
        chain = [];
        lastReset = entry;
      }
      continue;
    }
    chain = [...chain, entry];
  }
  return { chain, lastReset };
}

/** What git's helper list for a host means for ghpat. */
export interface HelperWiring {
  url: string;
  /** Every helper git runs, in order. */
  chain: GitConfigEntry[];
  /** The ones that run ghpat. */
  ghpat: GitConfigEntry[];
  /** The others: each is asked for the host's credentials, and each is handed the token ghpat gives on success. */
  foreign: GitConfigEntry[];
  /** "ghpat": ghpat alone; "none": ghpat not among them; "shared": ghpat and others. */
  state: "ghpat" | "none" | "shared";
  /** The empty value that started the list (setup-git's reset, when it is the last word). */
  lastReset: GitConfigEntry | null;
}

export function helperWiring(entries: readonly GitConfigEntry[], host: string): HelperWiring {
  const target = helperTarget(host);
  const { chain, lastReset } = helperChain(entries, target);
  const ghpat = chain.filter((e) => ghpatHelperCommand(e.value) !== null);
  const foreign = chain.filter((e) => ghpatHelperCommand(e.value) === null);
  const state = ghpat.length === 0 ? "none" : foreign.length === 0 ? "ghpat" : "shared";
  return { url: `${target.protocol}://${target.host}`, chain, ghpat, foreign, state, lastReset };
}

/** Where an entry is, for messages: `credential.helper in /home/me/.gitconfig (global)`. */
export function describeEntry(entry: GitConfigEntry): string {
  const where = originFile(entry) ?? (entry.origin.replace(/:$/, "") || "git's configuration");
  return `${entry.key} in ${where}${entry.scope ? ` (${entry.scope})` : ""}`;
}

/** A helper's name as people know it: `store`, `manager`, or the command. */
export function helperName(entry: Pick<GitConfigEntry, "value">): string {
  return entry.value.trim();
}
