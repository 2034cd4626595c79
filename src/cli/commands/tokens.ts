import type { Command } from "commander";
import { collect, context, examples, seconds } from "../shared.js";

/** add, list, remove, token, default: storing and reading tokens. */
export function registerTokenCommands(program: Command): void {
  examples(
    program
      .command("add [name]")
      .description("Check a token, ask GitHub whose it is, and store it in the keychain")
      .option("--host <host>", "GitHub host (default: GH_HOST or github.com)")
      .option("--stdin", "read the token from standard input instead of prompting", false)
      .option("--no-verify", "store without asking the GitHub API (the token stays 'unverified')")
      .option("--default", "make it the default token for its host", false)
      .option("--match <pattern>", "use it for OWNER, OWNER/* or OWNER/REPO (repeatable)", collect, [])
      .option("--note <text>", "a note to yourself")
      .option("--force", "replace a token of the same name; accept a checksum mismatch or unknown prefix", false)
      .option("--timeout <seconds>", "API timeout", seconds)
      .action(async (name: string | undefined, opts) => {
        const { runAdd } = await import("../../commands/add/run.js");
        await runAdd({ name, host: opts.host, stdin: opts.stdin, verify: opts.verify, default: opts.default, match: opts.match, note: opts.note, force: opts.force, timeoutMs: opts.timeout }, await context());
      }),
    ["ghpat add", "printf %s \"$TOKEN\" | ghpat add work --stdin --match my-org/*", "ghpat add --host ghe.example.com --default"],
  );

  examples(
    program
      .command("list")
      .alias("ls")
      .description("List stored tokens from the index (never reads a secret)")
      .option("--host <host>", "only tokens for this host")
      .option("--json", "print JSON records", false)
      .action(async (opts) => {
        const { runList } = await import("../../commands/list/run.js");
        await runList({ host: opts.host, json: opts.json }, await context());
      }),
    ["ghpat list", "ghpat list --json | jq -r '.[].name'"],
  );

  examples(
    program
      .command("remove <name>")
      .alias("rm")
      .description("Delete a token from ghpat (it stays valid on GitHub; see 'revoke')")
      .option("-y, --yes", "do not ask for confirmation", false)
      .action(async (name: string, opts) => {
        const { runRemove } = await import("../../commands/remove/run.js");
        await runRemove({ name, yes: opts.yes }, await context());
      }),
    ["ghpat remove old-laptop", "ghpat remove ci-token --yes"],
  );

  examples(
    program
      .command("token [name]")
      .description("Print a token (the host's default when no name is given)")
      .option("--host <host>", "GitHub host (default: GH_HOST or github.com)")
      .action(async (name: string | undefined, opts) => {
        const { runToken } = await import("../../commands/token/run.js");
        await runToken({ name, host: opts.host }, await context());
      }),
    ["GH_TOKEN=$(ghpat token) gh repo list", "ghpat token work", "ghpat token --host ghe.example.com"],
  );

  examples(
    program
      .command("default <name>")
      .description("Make a token the default for its host")
      .action(async (name: string) => {
        const { runDefault } = await import("../../commands/default/run.js");
        await runDefault({ name }, await context());
      }),
    ["ghpat default work"],
  );
}
