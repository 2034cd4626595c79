/**
 * git's plain-text credential store (`~/.git-credentials`): one URL per
 * line, `https://user:password@host[/path]`, user and password
 * percent-encoded. Lines are split on LF only, and every line is kept as the
 * exact bytes it was (CR, odd content, a missing final newline), so that a
 * rewrite changes nothing but the lines it drops.
 */
export interface StoredCredential {
  /** 1-based line number. */
  line: number;
  protocol: string;
  /** As written (lower-cased), port included; not yet validated as a host name. */
  host: string;
  username: string;
  password: string;
  /** Decoded path without the leading slash; "" when there is none. */
  path: string;
}

/** Each line with its LF (the last one may have none); nothing dropped, nothing added. */
export function splitLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const lf = data.indexOf(0x0a, start);
    const end = lf === -1 ? data.length : lf + 1;
    lines.push(data.subarray(start, end));
    start = end;
  }
  return lines;
}

function decode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Parses one line the way git's credential_from_url does: the user info ends
 * at the first `@` before the first `/` after the scheme. Returns null for
 * anything else (blank lines, comments, malformed escapes).
 */
export function parseCredentialLine(raw: Buffer, line: number): StoredCredential | null {
  let text = raw.toString("utf8");
  if (text.endsWith("\n")) text = text.slice(0, -1);
  if (text.endsWith("\r")) text = text.slice(0, -1);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (!scheme?.[1]) return null;
  const rest = text.slice(scheme[0].length);
  const slash = rest.indexOf("/") === -1 ? rest.length : rest.indexOf("/");
  const at = rest.indexOf("@");
  if (at === -1 || at > slash) return null;
  const userInfo = rest.slice(0, at);
  const colon = userInfo.indexOf(":");
  if (colon === -1) return null;
  const username = decode(userInfo.slice(0, colon));
  const password = decode(userInfo.slice(colon + 1));
  const host = decode(rest.slice(at + 1, slash));
  const path = decode(rest.slice(slash + 1));
  if (username === null || password === null || host === null || path === null || host === "") return null;
  return { line, protocol: scheme[1].toLowerCase(), host: host.toLowerCase(), username, password, path };
}

export function parseGitCredentials(data: Buffer): StoredCredential[] {
  return splitLines(data)
    .map((raw, i) => parseCredentialLine(raw, i + 1))
    .filter((c): c is StoredCredential => c !== null);
}

/** The file without the credential lines `drop` picks; every other byte stays where it was. */
export function withoutCredentials(
  data: Buffer,
  drop: (credential: StoredCredential) => boolean,
): { data: Buffer; removed: number } {
  const kept: Buffer[] = [];
  let removed = 0;
  splitLines(data).forEach((raw, i) => {
    const credential = parseCredentialLine(raw, i + 1);
    if (credential && drop(credential)) removed++;
    else kept.push(raw);
  });
  return { data: Buffer.concat(kept), removed };
}
