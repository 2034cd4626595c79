/** Exit codes of DESIGN.md section 5. */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  notFound: 3,
  storeUnavailable: 4,
  network: 5,
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

export function isGhpatError(error: unknown): error is GhpatError {
  return error instanceof GhpatError;
}
