/**
 * Reads `git diff`/`git log -p` output (unified, -U0, commits marked by a
 * line `\x01<sha>` from `--format=%x01%H`) as it streams, and finds tokens
 * on added lines only, each with its commit, file and line in the new
 * version. The prefixes are searched once per chunk (detect.ts); the lines
 * are walked only to keep the place.
 */
import { findTokens, type Candidate } from "./detect.js";
import { excerptOf, type FindingSource, type FoundToken } from "./finding.js";
import { fingerprint } from "../token-format.js";

const NEWLINE = 0x0a;
const PLUS = 0x2b;
const AT = 0x40;
const COMMIT_MARK = 0x01;
const DIFF_HEADER = Buffer.from("diff --git ");
const NEW_FILE = Buffer.from("+++ ");
const HUNK = Buffer.from("@@ ");
const BINARY = Buffer.from("Binary files ");

const ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  '"': '"',
  "\\": "\\",
};

/** A path as git prints it: C-quoted (with octal escapes for bytes) when it has unusual characters. */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), "utf8");
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const next = String.fromCharCode(body[i + 1] ?? 0);
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.toString("latin1", i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push((ESCAPES[next] ?? next).charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  return buf.compare(prefix, 0, prefix.length, at, Math.min(buf.length, at + prefix.length)) === 0;
}

export interface DiffScanStats {
  /** Binary files in the diff, whose content git does not show. */
  binary: number;
  /** Files with changes seen (one per file per commit). */
  files: number;
  commits: number;
}

export class DiffScanner {
  readonly stats: DiffScanStats = { binary: 0, files: 0, commits: 0 };
  private carry: Buffer = Buffer.alloc(0);
  private commit: string | null = null;
  private file = "";
  private inHeader = true;
  private newLine = 0;

  constructor(
    private readonly source: FindingSource,
    private readonly emit: (found: FoundToken) => void,
  ) {}

  push(chunk: Buffer): void {
    const buf = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const last = buf.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.carry = buf;
      return;
    }
    this.lines(buf.subarray(0, last + 1));
    this.carry = Buffer.from(buf.subarray(last + 1));
  }

  end(): void {
    if (this.carry.length > 0) this.lines(this.carry);
    this.carry = Buffer.alloc(0);
  }

  private lines(buf: Buffer): void {
    const candidates = findTokens(buf);
    let next = 0;
    let pos = 0;
    while (pos < buf.length) {
      let end = buf.indexOf(NEWLINE, pos);
      if (end === -1) end = buf.length;
      const first = buf[pos];
      if (first === PLUS && !this.inHeader) {
        while (next < candidates.length && (candidates[next] as Candidate).offset < pos) next++;
        while (next < candidates.length && (candidates[next] as Candidate).offset < end) {
          this.found(buf, pos, end, candidates[next] as Candidate);
          next++;
        }
        this.newLine++;
      } else if (first === COMMIT_MARK) {
        this.commit = buf.toString("latin1", pos + 1, end).trim();
        this.stats.commits++;
        this.inHeader = true;
      } else if (first === AT && startsWith(buf, pos, HUNK)) {
        const match = /\+(\d+)/.exec(buf.toString("latin1", pos, Math.min(end, pos + 100)));
        this.newLine = match ? Number(match[1]) : 1;
        this.inHeader = false;
      } else if (startsWith(buf, pos, DIFF_HEADER)) {
        this.inHeader = true;
        this.file = "";
        this.stats.files++;
      } else if (this.inHeader && first === PLUS && startsWith(buf, pos, NEW_FILE)) {
        const path = unquoteGitPath(buf.toString("utf8", pos + NEW_FILE.length, end).replace(/\t$/, ""));
        this.file = path.startsWith("b/") ? path.slice(2) : path;
      } else if (this.inHeader && startsWith(buf, pos, BINARY)) {
        this.stats.binary++;
      }
      pos = end + 1;
    }
  }

  private found(buf: Buffer, lineStart: number, lineEnd: number, candidate: Candidate): void {
    const contentStart = lineStart + 1;
    const column = buf.toString("utf8", contentStart, candidate.offset).length + 1;
    this.emit({
      token: candidate.token,
      finding: {
        file: this.file,
        line: this.newLine,
        column,
        kind: candidate.kind,
        fingerprint: fingerprint(candidate.token),
        checksum: candidate.checksum,
        commit: this.commit,
        name: null,
        host: null,
        source: this.source,
        excerpt: excerptOf(buf.toString("utf8", contentStart, lineEnd).replace(/\r$/, ""), column),
      },
    });
  }
}
