/**
 * When each token was last nudged about: `<config dir>/nudges.json`, kept out
 * of the index so that a nudge never takes the index's lock or rewrites it.
 * It holds names and times only. A missing, unreadable or corrupt file counts
 * as "never nudged": the worst it costs is one extra line on stderr.
 *
 * No lock: two git processes nudging at the same moment may both print the
 * line, which is harmless, and the atomic write means neither can leave a
 * torn file behind.
 */
import { readFile, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configDir, type Env } from "../config.js";
import { nudgeDays, nudgedToday, nudgeFor } from "../core/nudge.js";
import type { TokenRecord } from "../core/record.js";
import { temporaryName } from "./temporary-name.js";

export const NUDGE_STATE_VERSION = 1;

export interface NudgeState {
  version: typeof NUDGE_STATE_VERSION;
  /** nudgeKey → ISO 8601 time of the last nudge. */
  lastNudged: Record<string, string>;
}

export function nudgeStatePath(env: Env): string {
  return join(configDir(env), "nudges.json");
}

/** Hand-checked rather than through zod: this file is read on git's hot path. */
function validState(value: unknown): NudgeState | null {
  if (typeof value !== "object" || value === null) return null;
  const { version, lastNudged } = value as Partial<NudgeState>;
  if (
    version !== NUDGE_STATE_VERSION ||
    typeof lastNudged !== "object" ||
    lastNudged === null ||
    Array.isArray(lastNudged)
  )
    return null;
  const clean: Record<string, string> = {};
  for (const [key, at] of Object.entries(lastNudged))
    if (typeof at === "string" && !Number.isNaN(Date.parse(at))) clean[key] = at;
  return { version, lastNudged: clean };
}

/** node:fs's callback readFile: node:fs/promises would load readline and more on git's every fetch. */
function readText(path: string): Promise<string> {
  return new Promise((resolve, reject) =>
    readFile(path, "utf8", (error, text) => (error ? reject(error) : resolve(text))),
  );
}

export async function readNudgeState(env: Env): Promise<NudgeState> {
  try {
    const state = validState(JSON.parse(await readText(nudgeStatePath(env))));
    if (state !== null) return state;
  } catch {
    // Missing or corrupt: start afresh.
  }
  return { version: NUDGE_STATE_VERSION, lastNudged: {} };
}

const KEEP_MS = 2 * 86_400_000;

/** Records a nudge at `now`, dropping entries too old to matter, so the file stays a few lines long. */
export async function recordNudge(env: Env, state: NudgeState, key: string, now: Date): Promise<void> {
  const lastNudged: Record<string, string> = {};
  for (const [k, at] of Object.entries(state.lastNudged))
    if (now.getTime() - Date.parse(at) < KEEP_MS) lastNudged[k] = at;
  lastNudged[key] = now.toISOString();
  // A new file renamed into place, as atomic-file.ts writes, but synchronously (no fs/promises, no
  // thread pool for a few lines) and not flushed to disk: losing it in a power cut costs one more
  // nudge, and git waits for this process to end.
  const path = nudgeStatePath(env);
  const temp = temporaryName(path);
  try {
    writeFileSync(temp, `${JSON.stringify({ version: NUDGE_STATE_VERSION, lastNudged } satisfies NudgeState)}\n`, {
      mode: 0o600,
      flag: "wx",
    });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export interface NudgeContext {
  env: Env;
  now(): Date;
  /** stderr, one line. */
  warn(line: string): void;
}

/**
 * The nudge for a token just handed out: at most once per token per day, on
 * stderr, never with a secret, never over the network. Call it after the
 * answer is written. It never throws: a nudge that cannot be recorded is
 * still printed, and a nudge that cannot be printed is dropped.
 *
 * Shared by `git-credential get`, `token`, `exec` and `api`.
 */
export async function nudgeAfterHandingOut(record: TokenRecord, ctx: NudgeContext): Promise<void> {
  try {
    const now = ctx.now();
    const nudge = nudgeFor(record, now, nudgeDays(ctx.env));
    if (nudge === null) return;
    const state = await readNudgeState(ctx.env);
    if (nudgedToday(state.lastNudged[nudge.key], now)) return;
    ctx.warn(nudge.line);
    await recordNudge(ctx.env, state, nudge.key, now);
  } catch {
    // A read-only or full config directory: the nudge is a courtesy, the answer already went out.
  }
}
