/**
 * Finding GitHub tokens in bytes. The few fixed prefixes are searched with
 * Buffer.indexOf (native, memchr-speed) before any pattern runs, so that a
 * file without "gh" in it costs one pass of native code and nothing else;
 * each hit is then measured by hand against the token's alphabet.
 */
import { checksumOf, type TokenType } from "../token-format.js";

export type ChecksumState = "valid" | "invalid" | "none";

export interface Candidate {
  token: string;
  /** Byte offset of the token's first character. */
  offset: number;
  kind: TokenType;
  /** `valid`: a 40-character ghp_/gho_/ghu_/ghr_ whose CRC-32 matches; `invalid`: one whose does not (a look-alike); `none`: a kind without a checksum. */
  checksum: ChecksumState;
}

const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const DASH = 0x2d;

/** 1 for [A-Za-z0-9], 2 for `_`, 4 for `.` and `-` (the dotted installation form's extra characters). */
const CLASS = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = 1;
CLASS[UNDERSCORE] = 2;
CLASS[DOT] = 4;
CLASS[DASH] = 4;

const SHORT_KINDS: Readonly<Record<number, TokenType>> = {
  0x70: "classic", // ghp_
  0x6f: "oauth", // gho_
  0x75: "user-to-server", // ghu_
  0x72: "refresh", // ghr_
  0x73: "installation", // ghs_
};

const GITHUB_PAT = Buffer.from("github_pat_", "latin1");
/** "_pat_", then "github" before it: Node searches this needle about four times as fast as all of "github_pat_". */
const PAT = Buffer.from("_pat_", "latin1");
const GITHUB = GITHUB_PAT.subarray(0, 6);
/** A Buffer needle: a string one is converted on every call, which costs more than the search on text rich in "gh". */
const GH = Buffer.from("gh", "latin1");
/** 36 characters after ghp_, gho_, ghu_, ghr_: 30 random and a six-character checksum. */
const CHECKSUMMED_BODY = 36;
/** 22 characters, an underscore and 59 more after github_pat_. */
const FINE_GRAINED_BODY = 82;
/** ghs_ then at least 36 characters: the classic 40-character form and the dotted JWT-style one (about 520). */
const INSTALLATION_MIN_BODY = 36;
/** No installation token is longer; a longer run is not one. */
const INSTALLATION_MAX_BODY = 4096;

/** Whether the byte before a token lets it start there: a letter or digit would make it the tail of another word. */
function startsWord(buf: Buffer, at: number): boolean {
  return at === 0 || (CLASS[buf[at - 1] as number] as number) !== 1;
}

/** The end (exclusive) of the run of bytes of `mask` from `from`, read at most up to `limit`. */
function runEnd(buf: Buffer, from: number, mask: number, limit: number): number {
  let end = from;
  const stop = Math.min(buf.length, limit);
  while (end < stop && ((CLASS[buf[end] as number] as number) & mask) !== 0) end++;
  return end;
}

function isFineGrainedShape(buf: Buffer, body: number): boolean {
  for (let i = 0; i < FINE_GRAINED_BODY; i++) {
    const c = CLASS[buf[body + i] as number] as number;
    if (i === 22 ? c !== 2 : c !== 1) return false;
  }
  return true;
}

/** The ghp_/gho_/ghu_/ghr_/ghs_ token that starts at `at`, where "gh" was found; null when none does. */
function shortCandidateAt(buf: Buffer, at: number): Candidate | null {
  const third = buf[at + 2] as number;
  if (buf[at + 3] !== UNDERSCORE || !(third in SHORT_KINDS) || !startsWord(buf, at)) return null;
  const kind = SHORT_KINDS[third] as TokenType;
  const body = at + 4;
  if (kind === "installation") {
    let end = runEnd(buf, body, 1 | 2 | 4, body + INSTALLATION_MAX_BODY + 1);
    // A sentence's full stop or a trailing dash is not part of the token.
    while (end > body && ((CLASS[buf[end - 1] as number] as number) & 4) !== 0) end--;
    const length = end - body;
    if (length < INSTALLATION_MIN_BODY || length > INSTALLATION_MAX_BODY) return null;
    if (end < buf.length && ((CLASS[buf[end] as number] as number) & 3) !== 0) return null;
    return { token: buf.toString("latin1", at, end), offset: at, kind, checksum: "none" };
  }
  const end = runEnd(buf, body, 1, body + CHECKSUMMED_BODY + 1);
  if (end - body !== CHECKSUMMED_BODY) return null;
  if (end < buf.length && ((CLASS[buf[end] as number] as number) & 3) !== 0) return null;
  const token = buf.toString("latin1", at, end);
  const valid = checksumOf(token.slice(4, -6)) === token.slice(-6);
  return { token, offset: at, kind, checksum: valid ? "valid" : "invalid" };
}

/** The fine-grained token that starts at `at`, where "github_pat_" was found; null when none does. */
function fineGrainedAt(buf: Buffer, at: number): Candidate | null {
  const body = at + GITHUB_PAT.length;
  if (!startsWord(buf, at) || body + FINE_GRAINED_BODY > buf.length || !isFineGrainedShape(buf, body)) return null;
  const end = body + FINE_GRAINED_BODY;
  if (end < buf.length && ((CLASS[buf[end] as number] as number) & 3) !== 0) return null;
  return { token: buf.toString("latin1", at, end), offset: at, kind: "fine-grained", checksum: "none" };
}

/** The fine-grained token whose "_pat_" was found at `at`. */
function fineGrainedAfterPat(buf: Buffer, at: number): Candidate | null {
  return at >= GITHUB.length && buf.compare(GITHUB, 0, GITHUB.length, at - GITHUB.length, at) === 0
    ? fineGrainedAt(buf, at - GITHUB.length)
    : null;
}

function search(
  buf: Buffer,
  needle: Buffer,
  at: (buf: Buffer, offset: number) => Candidate | null,
  found: Candidate[],
): void {
  let from = 0;
  for (;;) {
    const offset = buf.indexOf(needle, from);
    if (offset === -1) return;
    const candidate = at(buf, offset);
    if (candidate) found.push(candidate);
    from = candidate ? candidate.offset + candidate.token.length : offset + 1;
  }
}

/**
 * Every GitHub token in `buf`, in order, look-alikes (checksum `invalid`)
 * included: the caller decides whether to show them. Two native searches,
 * "gh" and "_pat_" (of "github_pat_"); the tokens they find never start at the same byte.
 */
export function findTokens(buf: Buffer): Candidate[] {
  const found: Candidate[] = [];
  search(buf, GH, shortCandidateAt, found);
  const short = found.length;
  search(buf, PAT, fineGrainedAfterPat, found);
  if (short > 0 && found.length > short) found.sort((a, b) => a.offset - b.offset);
  return found;
}

/** Whether the bytes may hold a token at all: a prefix is there. */
export function mayHoldToken(buf: Buffer): boolean {
  let from = 0;
  for (;;) {
    const at = buf.indexOf(GH, from);
    if (at === -1) break;
    const third = buf[at + 2];
    if (buf[at + 3] === UNDERSCORE && third !== undefined && third in SHORT_KINDS) return true;
    from = at + 1;
  }
  for (let from = buf.indexOf(PAT); from !== -1; from = buf.indexOf(PAT, from + 1)) {
    if (from >= GITHUB.length && buf.compare(GITHUB, 0, GITHUB.length, from - GITHUB.length, from) === 0) return true;
  }
  return false;
}

/** A NUL in the first 8000 bytes marks a binary file, as git and grep decide. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** `ghp_********T4V4`: the prefix and the last four, never enough to use the token. */
export function maskToken(token: string): string {
  const prefix = token.startsWith("github_pat_") ? "github_pat_" : token.slice(0, 4);
  return `${prefix}********${token.slice(-4)}`;
}
