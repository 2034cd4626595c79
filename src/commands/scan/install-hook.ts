import { chmod, readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CHAINED_SUFFIX, hookScript, isGhpatHook } from "../../core/scan/hook.js";
import { UsageError } from "../../errors.js";
import type { Context } from "../shared/context.js";
import { git } from "./files.js";

/**
 * Writes the repository's pre-commit hook (where git looks for it:
 * core.hooksPath and worktrees included) to run `ghpat scan --staged`.
 * Its own earlier hook is rewritten; a foreign one is refused unless
 * `force`, and then kept beside it and run first.
 */
export async function installHook(rest: readonly string[], options: { force: boolean }, ctx: Context): Promise<void> {
  if (rest.length > 1)
    throw new UsageError(
      "install-hook takes at most one repository directory.",
      "Run it inside the repository: ghpat scan install-hook.",
    );
  const dir = resolve(rest[0] ?? ".");
  const where = await git(["rev-parse", "--git-path", "hooks/pre-commit"], dir, ctx.env);
  if (where.code !== 0)
    throw new UsageError(
      `${dir} is not in a git repository.`,
      "Run 'ghpat scan install-hook' inside the repository whose commits it should check.",
    );
  const hook = resolve(dir, where.stdout.toString("utf8").trim());
  const existing = await readFile(hook, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  let chained: string | null = null;
  if (existing !== null && isGhpatHook(existing)) {
    // Ours: rewritten as it is, still chaining to what it chained to.
    const line = existing.split("\n").find((l) => l.startsWith("# The hook that was here first runs before it: "));
    chained = line === undefined ? null : line.slice("# The hook that was here first runs before it: ".length);
  } else if (existing !== null) {
    if (!options.force)
      throw new UsageError(
        `${hook} is a pre-commit hook ghpat did not write; it was left as it is.`,
        `Pass --force to keep it (as pre-commit${CHAINED_SUFFIX}) and run it before ghpat's check.`,
      );
    chained = `${hook}${CHAINED_SUFFIX}`;
    await rename(hook, chained);
    await chmod(chained, 0o755);
  }
  await mkdir(dirname(hook), { recursive: true });
  await writeFile(hook, hookScript(ctx.self, chained), { mode: 0o755 });
  await chmod(hook, 0o755);
  ctx.out.info(
    `Installed ${hook}: 'git commit' now refuses staged changes that add a GitHub token${chained === null ? "" : `, after running the hook that was there (now ${chained})`}. Bypass it once with 'git commit --no-verify'.`,
  );
}
