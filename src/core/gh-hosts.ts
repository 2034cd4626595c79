export interface GhHost {
  host: string;
  /** The active account gh recorded for the host, when it says. */
  user: string | null;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.endsWith(trimmed[0]))
    return trimmed.slice(1, -1);
  return trimmed;
}

/**
 * The hosts in gh's `hosts.yml`: its top-level keys, each with the `user`
 * key directly under it. Only this flat shape is read (it is all gh writes);
 * the tokens themselves come from `gh auth token`, never from this file.
 */
export function parseGhHosts(text: string): GhHost[] {
  const hosts: GhHost[] = [];
  let current: GhHost | undefined;
  let childIndent: number | undefined;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      const key = /^([^:#]+):\s*(?:#.*)?$/.exec(line);
      current = key?.[1] ? { host: unquote(key[1]).toLowerCase(), user: null } : undefined;
      if (current) hosts.push(current);
      childIndent = undefined;
      continue;
    }
    if (!current) continue;
    childIndent ??= indent;
    if (indent !== childIndent) continue;
    const user = /^\s*user:\s*([^#]+?)\s*(?:#.*)?$/.exec(line);
    if (user?.[1]) current.user = unquote(user[1]);
  }
  return hosts;
}
