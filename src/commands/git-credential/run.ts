/**
 * The lean entry for `ghpat git-credential <operation>`: its spec is hot, so
 * scripts/build.mjs gives it a bundle of its own that never loads the
 * commander program, because git runs it on every fetch.
 *
 * Exit status: 0 whenever there is simply no answer (unknown operation,
 * malformed request, no matching token). On an internal failure (keychain
 * unavailable, corrupt index) one message goes to stderr and the exit code
 * is the design's (4, 2, ...). git ignores a helper's exit status for `get`,
 * `store` and `erase`: an empty answer with any status makes it ask its next
 * helper, then the user; the code is only for people and scripts.
 */
import { readSync } from "node:fs";
import { MAX_INPUT_BYTES } from "../../core/credential-protocol.js";
import { GhpatError, ExitCode, UsageError } from "../../errors.js";
import { runGitCredential } from "./helper.js";
import { handledSecrets, redact } from "../../ui/redact.js";
import { readAll } from "../../ui/stdin.js";
import { writeFd } from "../../ui/fd-write.js";
import type { RunFunction } from "../shared/spec.js";
import type { gitCredentialSpec } from "./spec.js";

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * git's pipe, read with plain read(2) calls: process.stdin would first build
 * Node's stream stack, a good part of this command's start-up time. A
 * non-blocking descriptor (EAGAIN) hands the rest over to the stream.
 * Returns null when the input exceeds `limit`.
 */
async function readStdin(limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let size = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = errno(error);
      // Windows reports the end of a pipe as an error.
      if (code === "EOF") break;
      if (code !== "EAGAIN") throw error;
      const rest = await readAll(process.stdin, limit - size);
      chunks.push(rest);
      size += rest.length;
      break;
    }
    if (n === 0) break;
    size += n;
    if (size > limit) return null;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks, size);
}

async function readRequest(): Promise<Buffer | null> {
  try {
    return await readStdin(MAX_INPUT_BYTES);
  } catch (error) {
    // readAll's one refusal: more than the limit arrived through the stream.
    if (error instanceof UsageError) return null;
    throw error;
  }
}

function warn(text: string): void {
  try {
    writeFd(2, `${redact(text, handledSecrets)}\n`);
  } catch {
    // Nowhere left to say it.
  }
}

/** git appends the operation (`!ghpat git-credential get`). */
export async function runGitCredentialCli(operation: string | undefined): Promise<void> {
  try {
    await runGitCredential(operation, {
      env: process.env,
      now: () => new Date(),
      readRequest,
      respond: (text) => writeFd(1, text),
      warn,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof GhpatError && error.hint ? `\n${error.hint}` : "";
    warn(`ghpat git-credential: ${message}${hint}`);
    process.exitCode = error instanceof GhpatError ? error.exitCode : ExitCode.internal;
  }
}

/** The last word after `git-credential`: git appends the operation to whatever the helper line holds. */
function lastOperand(argv: readonly string[], options: { operation: string | undefined }): string | undefined {
  const at = argv.indexOf("git-credential");
  return at === -1 ? options.operation : argv.slice(at + 1).at(-1);
}

export const run: RunFunction<typeof gitCredentialSpec> = (options, ctx) =>
  runGitCredentialCli(lastOperand(ctx.argv, options));
