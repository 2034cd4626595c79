/**
 * The pre-commit hook `ghpat scan install-hook` writes: `ghpat scan
 * --staged` by absolute paths (a GUI git client may run hooks without your
 * PATH), after the hook that was there before, kept beside it, when there
 * was one.
 */
import { shQuote } from "../completion/sh-data.js";

export const HOOK_MARK = "# Installed by 'ghpat scan install-hook'";
/** Where a foreign hook is kept when --force chains it. */
export const CHAINED_SUFFIX = ".before-ghpat";

export function isGhpatHook(text: string): boolean {
  return text.includes(HOOK_MARK);
}

export function hookScript(self: { node: string; script: string }, chained: string | null): string {
  return [
    "#!/bin/sh",
    HOOK_MARK,
    "# It refuses a commit whose staged changes add a GitHub token ('ghpat scan --staged').",
    ...(chained === null
      ? []
      : [`# The hook that was here first runs before it: ${chained}`, `${shQuote(chained)} "$@" || exit $?`]),
    `exec ${shQuote(self.node)} ${shQuote(self.script)} scan --staged`,
    "",
  ].join("\n");
}
