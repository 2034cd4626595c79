/**
 * The lean entry for `ghpat git-credential <operation>`: main.ts loads this
 * module instead of the commander program (git runs it on every fetch).
 *
 * Exit status: 0 whenever there is simply no answer (unknown operation,
 * malformed request, no matching token). On an internal failure (keychain
 * unavailable, corrupt index) one message goes to stderr and the exit code
 * is the design's (4, 2, ...). git ignores a helper's exit status for `get`,
 * `store` and `erase`: an empty answer with any status makes it ask its next
 * helper, then the user; the code is only for people and scripts.
 */
import { MAX_INPUT_BYTES } from "../core/credential-protocol.js";
import { GhpatError, ExitCode } from "../errors.js";
import { runGitCredential } from "../commands/git-credential.js";
import { handledSecrets, redact } from "../ui/redact.js";
import { readAll } from "../ui/stdin.js";

async function readRequest(): Promise<Buffer | null> {
  try {
    return await readAll(process.stdin, MAX_INPUT_BYTES);
  } catch {
    return null;
  }
}

/** `args` follow `git-credential`; git appends the operation last (`!ghpat git-credential get`). */
export async function runGitCredentialCli(args: string[]): Promise<void> {
  try {
    await runGitCredential(args.at(-1), {
      env: process.env,
      now: () => new Date(),
      readRequest,
      respond: (text) => void process.stdout.write(text),
      warn: (text) => void process.stderr.write(`${redact(text, handledSecrets)}\n`),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof GhpatError && error.hint ? `\n${error.hint}` : "";
    process.stderr.write(`ghpat git-credential: ${redact(message + hint, handledSecrets)}\n`);
    process.exitCode = error instanceof GhpatError ? error.exitCode : ExitCode.checkFailed;
  }
}
