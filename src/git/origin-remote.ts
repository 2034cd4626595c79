import { execFile } from "node:child_process";
import { childEnvironment, type Env } from "../config.js";
import { NotFoundError } from "../errors.js";

/**
 * The URL of the current repository's `origin` remote, as git reports it
 * (`git remote get-url origin` applies `url.<base>.insteadOf`); null outside
 * a repository or without such a remote.
 */
export function originRemoteUrl(env: Env, cwd: string = process.cwd()): Promise<string | null> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      "git",
      ["remote", "get-url", "origin"],
      { env: childEnvironment(env), cwd, encoding: "utf8", timeout: 10_000 },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new NotFoundError(
              "git was not found on PATH, so {owner} and {repo} cannot be filled.",
              "Install git, or write the owner and repository out.",
            ),
          );
          return;
        }
        const url = stdout.trim();
        resolvePromise(error || url === "" ? null : url);
      },
    );
  });
}
