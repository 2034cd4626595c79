import { Option, type Command } from "commander";
import { context, examples, seconds, setGlobalEnv } from "../shared.js";

/** --store, migrate and import: where secrets live and how they get there. */
export function registerStorageCommands(program: Command): void {
  program
    .addOption(new Option("--store <kind>", "secret store for this run, as GHPAT_STORE does").choices(["keychain", "file"]))
    .hook("preAction", (root) => {
      const { store } = root.opts<{ store?: string }>();
      // The flag is GHPAT_STORE by another name: commands see it in ctx.env.
      setGlobalEnv(store === undefined ? {} : { GHPAT_STORE: store });
    });

  examples(
    program
      .command("migrate")
      .description("Move every secret into one store, verifying each copy before deleting the original")
      .addOption(new Option("--to <store>", "the store to move to").choices(["keychain", "file"]).makeOptionMandatory())
      .action(async (opts) => {
        const { runMigrate } = await import("../../commands/migrate/run.js");
        await runMigrate({ to: opts.to }, await context());
      }),
    ["GHPAT_PASSPHRASE=... ghpat migrate --to file", "ghpat migrate --to keychain"],
  );

  examples(
    program
      .command("import [file]")
      .description("Move tokens kept in plain text by git (~/.git-credentials) or gh into ghpat")
      .addOption(new Option("--from <source>", "where the tokens are").choices(["git-credentials", "gh"]).makeOptionMandatory())
      .option("--no-verify", "import without asking the GitHub API (the tokens stay 'unverified')")
      .addOption(new Option("--remove-plaintext", "remove the imported lines from the git credentials file").conflicts("keepPlaintext"))
      .option("--keep-plaintext", "leave the git credentials file as it is")
      .option("--backup", "keep a copy (mode 0600) of the git credentials file before rewriting it", false)
      .option("--json", "print what happened to each token as JSON", false)
      .option("--timeout <seconds>", "API timeout", seconds)
      .action(async (file: string | undefined, opts) => {
        const { runImport } = await import("../../commands/import/run.js");
        const removePlaintext = opts.removePlaintext ? true : opts.keepPlaintext ? false : undefined;
        await runImport({ from: opts.from, file, verify: opts.verify, removePlaintext, backup: opts.backup, json: opts.json, timeoutMs: opts.timeout }, await context());
      }),
    ["ghpat import --from git-credentials --remove-plaintext", "ghpat import --from git-credentials ~/old/.git-credentials --keep-plaintext", "ghpat import --from gh"],
  );
}
