/** ghpat's exit codes (docs/design.md, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  notFound: 3,
  storeUnavailable: 4,
  network: 5,
  /** A bug in ghpat itself (sysexits' EX_SOFTWARE), never a verdict on a token: scripts can tell the two apart. */
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every failure ghpat reports. `message` says what happened, `hint` what to do
 * next. Neither may ever contain a token: callers build them from names,
 * hosts and fingerprints only.
 */
export class GhpatError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly code: string;
  override name = "GhpatError";

  constructor(message: string, options: { exitCode: ExitCode; code: string; hint?: string | undefined }) {
    super(message);
    this.exitCode = options.exitCode;
    this.code = options.code;
    this.hint = options.hint;
  }
}

export class UsageError extends GhpatError {
  override name = "UsageError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, code: "EUSAGE", hint });
  }
}

export class CheckFailedError extends GhpatError {
  override name = "CheckFailedError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.checkFailed, code: "ECHECK", hint });
  }
}

export class NotFoundError extends GhpatError {
  override name = "NotFoundError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.notFound, code: "ENOTFOUND", hint });
  }
}

export class StoreUnavailableError extends GhpatError {
  override name = "StoreUnavailableError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.storeUnavailable, code: "ESTORE", hint });
  }
}

export class NetworkError extends GhpatError {
  override name = "NetworkError";
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.network, code: "ENETWORK", hint });
  }
}

export class InterruptedError extends GhpatError {
  override name = "InterruptedError";
  constructor(message = "Interrupted.") {
    super(message, { exitCode: ExitCode.interrupted, code: "EINTERRUPTED" });
  }
}

/** An index file that cannot be trusted; it is never overwritten. */
export class CorruptIndexError extends GhpatError {
  override name = "CorruptIndexError";
  constructor(file: string, detail: string) {
    super(`The index ${file} is not valid: ${detail}`, {
      exitCode: ExitCode.usage,
      code: "EINDEX",
      hint: `ghpat will not overwrite it. Restore it from a backup, or move it aside and run 'ghpat doctor --fix' to rebuild records from the secret store.`,
    });
  }
}

/**
 * The same failure (its exit code and code kept) told with what it means for
 * the command at hand: "... Nothing was stored.". Anything that is not a
 * GhpatError is a bug and passes through untouched.
 */
export function withContext(
  error: unknown,
  change: { message: (message: string) => string; hint?: (hint: string | undefined) => string | undefined },
): unknown {
  if (!(error instanceof GhpatError)) return error;
  const told = new GhpatError(change.message(error.message), {
    exitCode: error.exitCode,
    code: error.code,
    hint: change.hint ? change.hint(error.hint) : error.hint,
  });
  told.name = error.name;
  return told;
}

/** "hint" and "more" as one hint: either may be missing. */
export function extendHint(hint: string | undefined, more: string): string {
  return `${hint ?? ""} ${more}`.trim();
}

export function isGhpatError(error: unknown): error is GhpatError {
  return error instanceof GhpatError;
}
