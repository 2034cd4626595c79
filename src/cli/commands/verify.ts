import type { Command } from "commander";
import { context, examples, positiveInt, seconds } from "../shared.js";

/** verify: ask the API what each token can do and when it dies. */
export function registerVerifyCommand(program: Command): void {
  examples(
    program
      .command("verify [names...]")
      .description("Ask the GitHub API about stored tokens (all when none is named) and update what ghpat knows")
      .option("--host <host>", "only tokens for this host; with --stdin, the token's host (default: GH_HOST or github.com)")
      .option("--stdin", "verify one token read from standard input, without storing it", false)
      .option("--require-scopes <scopes>", "fail tokens lacking any of these comma-separated scopes (repo covers repo:status, ...)")
      .option("--min-days <n>", "fail tokens that expire within N days", positiveInt)
      .option("--concurrency <n>", "checks in flight at once (default 8)", positiveInt)
      .option("--timeout <seconds>", "API timeout per attempt (default: GHPAT_TIMEOUT or 10)", seconds)
      .option("--json", "print one JSON object per token", false)
      .action(async (names: string[], opts) => {
        const { runVerify } = await import("../../commands/verify/run.js");
        await runVerify(
          { names, host: opts.host, stdin: opts.stdin, json: opts.json, requireScopes: opts.requireScopes, minDays: opts.minDays, concurrency: opts.concurrency, timeoutMs: opts.timeout },
          await context(),
        );
      }),
    ["ghpat verify", "ghpat verify work --require-scopes repo,read:org", "printf %s \"$TOKEN\" | ghpat verify --stdin --require-scopes repo --min-days 7", "ghpat verify --json | jq '.[] | select(.ok | not)'"],
  );
}
