import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Argument, Command, Option } from "commander";
import { afterAll, expect, it } from "vitest";
import { completionSpec } from "../../src/cli/completion-spec.js";
import { completionScript } from "../../src/commands/completion/run.js";
import { bashComplete, describeShell, fishComplete, writeScript, zshComplete } from "../helpers/shells.js";

/**
 * Shapes the other commands will have (docs/commands.md): a variadic name
 * (verify), option choices (migrate --to), a file value (revoke-reminder
 * --ics), a pass-through command after "--" (exec), a choice argument
 * (git-credential), and a nested subcommand. The scripts handle them from
 * the definition alone.
 */
function futureProgram(): Command {
  const program = new Command("ghpat").version("1.0.0", "-V, --version");
  program
    .command("verify [name...]")
    .description("Ask the API about tokens")
    .option("--require-scopes <scopes>", "scopes every token must have")
    .option("--json", "JSON");
  program
    .command("migrate")
    .description("Move secrets")
    .addOption(new Option("--to <store>", "target store").choices(["keychain", "file"]));
  program
    .command("revoke-reminder")
    .description("Report tokens")
    .option("--ics <file>", "calendar file")
    .option("--days <n>", "days");
  program.command("exec [name]").description("Run a command with a token").option("--host <host>", "host");
  program
    .command("git-credential")
    .description("git's helper")
    .addArgument(new Argument("<operation>").choices(["get", "store", "erase"]));
  const remote = program.command("remote").description("Remotes");
  remote.command("show <name>").alias("sh").description("Show one").option("--verbose", "more");
  return program;
}

const dir = mkdtempSync(join(tmpdir(), "ghpat-completion-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in `ghpat` that answers the scripts' call-back like the real one. */
const binDir = join(dir, "bin");
mkdirSync(binDir);
writeFileSync(
  join(binDir, "ghpat"),
  `#!/bin/sh\ncase "$1 $2" in\n  "__complete names") printf '%s\\n' one two ;;\n  "__complete hosts") printf '%s\\n' github.com ;;\nesac\n`,
);
chmodSync(join(binDir, "ghpat"), 0o755);
writeFileSync(join(dir, "data.txt"), "");
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LANG: "C.UTF-8" };
const spec = completionSpec(futureProgram());

describeShell("bash")("generated bash script for commands still to come", () => {
  const script = writeScript(dir, "future.bash", completionScript("bash", spec));
  const complete = (line: string) => bashComplete(script, line, env, binDir);

  it("completes every variadic name, choices, files, nested commands and aliases", async () => {
    expect(await complete("ghpat verify ")).toEqual(["one", "two"]);
    expect(await complete("ghpat verify one two ")).toEqual(["one", "two"]);
    expect(await complete("ghpat verify --require-scopes ")).toEqual([]);
    expect(await complete("ghpat migrate --to ")).toEqual(["keychain", "file"]);
    expect(await complete("ghpat migrate --to=f")).toEqual(["file"]);
    expect(await complete("ghpat git-credential ")).toEqual(["get", "store", "erase"]);
    expect(await complete(`ghpat revoke-reminder --ics ${dir}/da`)).toEqual([`${dir}/data.txt`]);
    expect(await complete("ghpat remote ")).toEqual(["show", "help"]);
    expect(await complete("ghpat remote sh ")).toEqual(["one", "two"]);
    expect(await complete("ghpat remote show --")).toEqual(["--verbose", "--help"]);
    expect(await complete("ghpat help ")).toContain("revoke-reminder");
  });

  it("hands the words after '--' to ordinary command and file completion", async () => {
    expect(await complete("ghpat exec one -- ")).toEqual(expect.arrayContaining(["bash"]));
    expect(await complete(`ghpat exec one -- cat ${dir}/da`)).toEqual([`${dir}/data.txt`]);
  });
});

describeShell("zsh")("generated zsh script for commands still to come", () => {
  const script = writeScript(dir, "future.zsh", completionScript("zsh", spec));
  const complete = (line: string) => zshComplete(script, line, env, binDir);

  it("completes names, choices, files, nested commands, and hands '--' to _normal", async () => {
    expect(await complete("ghpat verify one ")).toEqual(["one", "two"]);
    expect(await complete("ghpat migrate --to ")).toEqual(["keychain", "file"]);
    expect(await complete("ghpat revoke-reminder --ics ")).toEqual(["<files>"]);
    expect(await complete("ghpat remote ")).toEqual(["show:Show one", "help:display help for command"]);
    expect(await complete("ghpat remote sh ")).toEqual(["one", "two"]);
    // words shifted past "--": the command after it is words[1].
    expect(await complete("ghpat exec one -- cat ")).toEqual(["<normal:cat:2>"]);
  });
});

describeShell("fish")("generated fish script for commands still to come", () => {
  const script = writeScript(dir, "future.fish", completionScript("fish", spec));
  const complete = async (line: string) => (await fishComplete(script, line, env, binDir)).map((l) => l.split("\t")[0]);

  it("completes names, choices, files and nested commands", async () => {
    expect(await complete("ghpat verify one ")).toEqual(["one", "two"]);
    expect(await complete("ghpat migrate --to ")).toEqual(["file", "keychain"]);
    expect(await complete("ghpat git-credential ")).toEqual(["erase", "get", "store"]);
    expect(await complete(`ghpat revoke-reminder --ics ${dir}/da`)).toEqual([`${dir}/data.txt`]);
    expect(await complete("ghpat remote ")).toEqual(["help", "show"]);
    expect(await complete("ghpat remote sh ")).toEqual(["one", "two"]);
  });
});

it("refuses a shell it has no script for", () => {
  expect(() => completionScript("powershell", spec)).toThrow(/no completion for 'powershell'/);
});
