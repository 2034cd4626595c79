import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { helperCommand } from "../../src/commands/setup-git/run.js";
import { BIN, runProcess, type RunResult, type Sandbox } from "./sandbox.js";

/** git's own askpass stub from t/lib-credential.sh: it logs the prompt and answers askpass-username / askpass-password. */
export function writeAskpass(dir: string): string {
  const file = join(dir, "askpass");
  writeFileSync(
    file,
    `#!/bin/sh
echo >&2 askpass: $*
what=$(echo $1 | cut -d" " -f1 | tr A-Z a-z | tr -cd a-z)
echo "askpass-$what"
`,
  );
  chmodSync(file, 0o755);
  return file;
}

/** The helper entry exactly as setup-git writes it. */
export function ghpatHelper(): string {
  return helperCommand(process.execPath, BIN);
}

/**
 * git's environment for a sandbox, built explicitly: no system config, no
 * terminal prompt, HOME in the sandbox, nothing of the developer's (this
 * machine sets GIT_SSL_CAINFO, which would override http.sslCAInfo).
 */
/** The sandbox's environment for git; an `undefined` in `extra` removes a variable. */
export function gitEnv(sb: Sandbox, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...sb.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Runs real git and fails the test if a canary reaches its stderr (stdout too unless `secretOnStdout`). */
export async function runGit(
  sb: Sandbox,
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string>; secretOnStdout?: boolean } = {},
): Promise<RunResult> {
  const result = await runProcess("git", args, {
    env: options.env ?? gitEnv(sb),
    input: options.input,
    cwd: options.cwd ?? sb.dir,
    timeoutMs: 60_000,
  });
  sb.assertNoLeak(result, { stdout: !options.secretOnStdout });
  return result;
}

export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}

export function expectGitOk(result: RunResult, what: string): void {
  expect(result.code, `${what} failed:\n${result.stderr}`).toBe(0);
}
