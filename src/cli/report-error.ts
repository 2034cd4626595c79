import { GhpatError, ExitCode } from "../errors.js";
import { colorEnabled, painter } from "../ui/color.js";
import { fdWritable, type Writable } from "../ui/output.js";
import { handledSecrets, redact } from "../ui/redact.js";

/**
 * The one place an error becomes a message and an exit code. Every line is
 * scrubbed of secrets this process has seen, stack traces included.
 */
export function reportError(
  error: unknown,
  env: NodeJS.ProcessEnv = process.env,
  stderr: Writable = fdWritable(2),
): number {
  const paint = painter(colorEnabled(stderr, env));
  const write = (text: string) => void stderr.write(text);
  const scrub = (text: string) => redact(text, handledSecrets);
  let exitCode: number;
  if (error instanceof GhpatError) {
    write(`${paint("red", "error:")} ${scrub(error.message)}\n`);
    if (error.hint) write(`${scrub(error.hint)}\n`);
    exitCode = error.exitCode;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(
      `${paint("red", "error:")} ${scrub(message)}\nThis is a bug in ghpat; run again with GHPAT_DEBUG=1 and report the output.\n`,
    );
    exitCode = ExitCode.internal;
  }
  if (env.GHPAT_DEBUG === "1" && error instanceof Error && error.stack) {
    write(`${scrub(error.stack)}\n`);
  }
  return exitCode;
}
