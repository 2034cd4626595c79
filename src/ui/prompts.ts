import { isInteractive } from "../config.js";
import { InterruptedError, UsageError } from "../errors.js";

/** Prompts exist only on a terminal outside CI; otherwise the caller's flag is named. */
export function requireInteractive(alternative: string): void {
  if (!isInteractive(process.stdin) || process.stderr.isTTY !== true) {
    throw new UsageError(
      `This needs an answer, and ghpat prompts only on a terminal outside CI.`,
      `Use ${alternative}.`,
    );
  }
}

function isPromptExit(error: unknown): boolean {
  return error instanceof Error && error.name === "ExitPromptError";
}

export async function askSecret(message: string, alternative: string): Promise<string> {
  requireInteractive(alternative);
  const { password } = await import("@inquirer/prompts");
  try {
    return await password({ message, mask: "*" }, { output: process.stderr });
  } catch (error) {
    if (isPromptExit(error)) throw new InterruptedError();
    throw error;
  }
}

export async function askConfirm(message: string, alternative: string): Promise<boolean> {
  requireInteractive(alternative);
  const { confirm } = await import("@inquirer/prompts");
  try {
    return await confirm({ message, default: false }, { output: process.stderr });
  } catch (error) {
    if (isPromptExit(error)) throw new InterruptedError();
    throw error;
  }
}
