import { spawn } from "node:child_process";
import { childEnvironment, type Env } from "../../config.js";
import { DiffScanner, type DiffScanStats } from "../../core/scan/diff.js";
import type { FindingSource, FoundToken } from "../../core/scan/finding.js";
import { NotFoundError, UsageError } from "../../errors.js";

const DIFF_OPTIONS = ["-U0", "--no-color", "--no-ext-diff", "--no-textconv"];

/** What --staged reads: the index against HEAD (or the empty tree before the first commit), added lines only. */
export const STAGED_ARGS = ["-c", "core.quotePath=false", "diff", "--cached", ...DIFF_OPTIONS];
/** What --history reads: every commit of every ref, in one streaming process, added lines only. */
export const HISTORY_ARGS = ["-c", "core.quotePath=false", "log", "-p", "--all", ...DIFF_OPTIONS, "--format=%x01%H"];

/**
 * Runs one git process in `cwd` and finds tokens on the added lines of what
 * it prints, as it prints it: memory stays flat however long the history.
 */
export function scanDiff(
  args: readonly string[],
  cwd: string,
  source: FindingSource,
  env: Env,
  found: FoundToken[],
): Promise<DiffScanStats> {
  return new Promise((resolvePromise, reject) => {
    const scanner = new DiffScanner(source, (token) => found.push(token));
    const child = spawn("git", args, { cwd, env: childEnvironment(env), stdio: ["ignore", "pipe", "pipe"] });
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => scanner.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error) => {
      reject(
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? new NotFoundError("git was not found on PATH.", "Install git to scan a repository's history or index.")
          : error,
      );
    });
    child.on("close", (code) => {
      const message = Buffer.concat(stderr).toString("utf8").trim();
      // A repository without any commit has no history to scan: that is no error.
      if (code !== 0 && !/does not have any commits yet|bad default revision/.test(message)) {
        reject(
          new UsageError(
            `git ${args.includes("log") ? "log" : "diff"} failed in ${cwd}: ${message.split("\n")[0] ?? `exit ${code}`}`,
            "Check that the directory is a readable git repository.",
          ),
        );
        return;
      }
      scanner.end();
      resolvePromise(scanner.stats);
    });
  });
}
