/**
 * What `ghpat scan` reports about each token it finds, and how a finding is
 * placed (line, column) and shown (the line, the token masked).
 */
import { stripControls } from "../controls.js";
import type { TokenType } from "../record.js";
import { fingerprint, TOKEN_IN_TEXT } from "../token-format.js";
import { maskToken, type Candidate, type ChecksumState } from "./detect.js";

export type FindingSource = "file" | "staged" | "history" | "home";
/** `--verify`: only a 401 makes a token inactive; no answer (a timeout, a rate limit) is `unknown`. */
export type LiveState = "active" | "inactive" | "unknown";

export interface Finding {
  /** As given or relative to the current directory; for --staged and --history, the path in the repository. */
  file: string;
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default). */
  column: number;
  kind: TokenType;
  fingerprint: string;
  checksum: ChecksumState;
  /** The commit that added the line (--history); null otherwise. */
  commit: string | null;
  /** The stored token this is, when it is one of yours. */
  name: string | null;
  host: string | null;
  source: FindingSource;
  /** The line, the token (and any other on it) masked, controls removed, at most about 160 characters. */
  excerpt: string;
  /** Set by --verify. */
  live?: LiveState | undefined;
}

/** A finding with the token it is about: never printed, used to name and verify it. */
export interface FoundToken {
  finding: Finding;
  token: string;
}

const EXCERPT_WIDTH = 160;
const ANY_TOKEN = new RegExp(TOKEN_IN_TEXT, "g");

/** The line as shown: every token on it masked, tabs as spaces, no control character, cut around the column. */
export function excerptOf(line: string, column: number): string {
  let text = stripControls(line.replace(/\t/g, " ").replace(ANY_TOKEN, (token) => maskToken(token))).trim();
  if (text.length > EXCERPT_WIDTH) {
    // Where the token now sits, roughly: masking only shortens what precedes it.
    const centre = Math.min(column, text.length);
    const start = Math.max(0, Math.min(centre - EXCERPT_WIDTH / 2, text.length - EXCERPT_WIDTH));
    text = `${start > 0 ? "…" : ""}${text.slice(start, start + EXCERPT_WIDTH)}${start + EXCERPT_WIDTH < text.length ? "…" : ""}`;
  }
  return text;
}

export interface Placement {
  file: string;
  source: FindingSource;
  commit?: string | null;
  /** The line number of the buffer's first line (a diff hunk's); 1 for a file. */
  firstLine?: number;
}

/**
 * Findings for candidates in one buffer (a file, or a run of added lines):
 * line numbers are counted once, in order, up to the last candidate.
 */
export function findingsIn(buf: Buffer, candidates: readonly Candidate[], place: Placement): FoundToken[] {
  const out: FoundToken[] = [];
  let line = place.firstLine ?? 1;
  let lineStart = 0;
  for (const candidate of candidates) {
    for (;;) {
      const newline = buf.indexOf(0x0a, lineStart);
      if (newline === -1 || newline >= candidate.offset) break;
      line++;
      lineStart = newline + 1;
    }
    let lineEnd = buf.indexOf(0x0a, candidate.offset);
    if (lineEnd === -1) lineEnd = buf.length;
    const column = buf.toString("utf8", lineStart, candidate.offset).length + 1;
    out.push({
      token: candidate.token,
      finding: {
        file: place.file,
        line,
        column,
        kind: candidate.kind,
        fingerprint: fingerprint(candidate.token),
        checksum: candidate.checksum,
        commit: place.commit ?? null,
        name: null,
        host: null,
        source: place.source,
        excerpt: excerptOf(buf.toString("utf8", lineStart, lineEnd).replace(/\r$/, ""), column),
      },
    });
  }
  return out;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    ((a.commit ?? "") < (b.commit ?? "") ? -1 : (a.commit ?? "") > (b.commit ?? "") ? 1 : 0)
  );
}

/** The JSON element of a finding: the documented fields, in order (`live` only with --verify). */
export function publicFinding(finding: Finding): Finding {
  return {
    file: finding.file,
    line: finding.line,
    column: finding.column,
    kind: finding.kind,
    fingerprint: finding.fingerprint,
    checksum: finding.checksum,
    commit: finding.commit,
    name: finding.name,
    host: finding.host,
    source: finding.source,
    excerpt: finding.excerpt,
    ...(finding.live === undefined ? {} : { live: finding.live }),
  };
}
