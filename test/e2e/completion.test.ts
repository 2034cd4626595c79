import { writeFileSync, mkdirSync } from "node:fs";
import { expect, it, beforeEach } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { completionSpec } from "../../src/cli/completion-spec.js";
import { allCommands } from "../../src/core/completion/spec.js";
import { canaryToken } from "../helpers/canary.js";
import { makeUnverifiedRecord } from "../helpers/records.js";
import { Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";
import { bashComplete, describeShell, fishComplete, ghpatOnPath, writeScript, zshComplete } from "../helpers/shells.js";

/** The program's own definition: these tests keep holding for commands added later. */
const spec = completionSpec(buildProgram());
const commands = allCommands(spec).filter((c) => c.path.length > 0 && c.path[0] !== "help");
const topLevel = spec.subcommands.map((c) => c.path[0]);
const NO_BUS = { DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" };

async function scriptFor(sb: Sandbox, shell: "bash" | "zsh" | "fish"): Promise<string> {
  const result = await sb.run(["completion", shell]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe("");
  return writeScript(sb.dir, `ghpat.${shell}`, result.stdout);
}

/** Stores tokens (keychain + index) as `ghpat add --no-verify` would. */
async function storeTokens(sb: Sandbox): Promise<void> {
  sb.seed(
    (
      [
        ["work", "github.com"],
        ["personal", "github.com"],
        ["alice@ghe.example.com:8443", "ghe.example.com:8443"],
      ] as const
    ).map(([name, host]) => ({ name, host, token: sb.canary(canaryToken()) })),
  );
}

describeShell("bash")("bash completion (a real bash sources the script)", () => {
  let sb: Sandbox;
  let binDir: string;
  let script: string;
  beforeEach(async () => {
    sb = new Sandbox({ keyringEnv });
    binDir = ghpatOnPath(sb.dir);
    script = await scriptFor(sb, "bash");
    return () => sb.cleanup();
  });
  const complete = (line: string, env: Record<string, string> = {}) =>
    bashComplete(script, line, { ...sb.env, ...env }, binDir);

  it("offers every command for 'ghpat ' and narrows on a prefix", async () => {
    expect((await complete("ghpat ")).sort()).toEqual([...topLevel].sort());
    expect(topLevel).toEqual(
      expect.arrayContaining(["add", "list", "token", "remove", "default", "completion", "help"]),
    );
    expect(await complete("ghpat to")).toEqual(["token"]);
    expect(await complete("ghpat com")).toEqual(["completion"]);
    expect(await complete("ghpat --")).toEqual(["--version", "--store", "--passphrase-fd", "--help"]);
  });

  it("offers each command's own flags, for every command in the program", async () => {
    for (const command of commands) {
      const longFlags = command.options.flatMap((o) => o.flags).filter((f) => f.startsWith("--"));
      expect(longFlags.length, `${command.path.join(" ")} has no flags at all`).toBeGreaterThan(0);
      expect((await complete(`ghpat ${command.path.join(" ")} --`)).sort(), command.path.join(" ")).toEqual(
        [...longFlags].sort(),
      );
    }
    // Aliases lead to the same command.
    expect(await complete("ghpat ls --j")).toEqual(["--json"]);
  });

  it("offers nothing for 'ghpat token ' when nothing is stored, and never fails", async () => {
    expect(await complete("ghpat token ")).toEqual([]);
  });

  it("offers choices: shells after 'completion', commands after 'help'", async () => {
    expect(await complete("ghpat completion ")).toEqual(["bash", "zsh", "fish"]);
    expect(await complete("ghpat completion z")).toEqual(["zsh"]);
    expect((await complete("ghpat help ")).sort()).toEqual([...topLevel].sort());
  });

  describeKeychain("with stored tokens", () => {
    it("offers stored names for 'ghpat token ' from the index alone (no keychain reachable)", async () => {
      await storeTokens(sb);
      const names = ["alice@ghe.example.com:8443", "personal", "work"];
      expect(await complete("ghpat token ", NO_BUS)).toEqual(names);
      expect(await complete("ghpat token w", NO_BUS)).toEqual(["work"]);
      expect(await complete("ghpat rm ", NO_BUS)).toEqual(names);
      expect(await complete("ghpat default --help p", NO_BUS)).toEqual(["personal"]);
      // A second positional is not a name.
      expect(await complete("ghpat token work ", NO_BUS)).toEqual([]);
      // 'add' takes a new name: nothing to offer.
      expect(await complete("ghpat add ", NO_BUS)).toEqual([]);
      // bash replaces only what follows the last '@' or ':' of the word.
      expect(await complete("ghpat token alice@ghe", NO_BUS)).toEqual(["ghe.example.com:8443"]);
      expect(await complete("ghpat token alice@ghe.example.com:8", NO_BUS)).toEqual(["8443"]);
      // Hosts after --host, in both spellings.
      expect(await complete("ghpat list --host ", NO_BUS)).toEqual(["ghe.example.com:8443", "github.com"]);
      expect(await complete("ghpat token --host=git", NO_BUS)).toEqual(["github.com"]);
      // An option's value is not the command's name argument.
      expect(await complete("ghpat token --host github.com ", NO_BUS)).toEqual(names);
      sb.assertNoLeak();
    });
  });
});

describeShell("zsh")("zsh completion", () => {
  let sb: Sandbox;
  let binDir: string;
  let script: string;
  beforeEach(async () => {
    sb = new Sandbox({ keyringEnv });
    binDir = ghpatOnPath(sb.dir);
    script = await scriptFor(sb, "zsh");
    return () => sb.cleanup();
  });

  it("parses (zsh -n) and registers _ghpat with compinit", async () => {
    const { runProcess } = await import("../helpers/sandbox.js");
    const parse = await runProcess("zsh", ["-n", script], { env: sb.env, timeoutMs: 20_000 });
    expect(parse.code, parse.stderr).toBe(0);
    const loaded = await runProcess(
      "zsh",
      [
        "-f",
        "-c",
        'autoload -U compinit && compinit -u -D && source "$1" && print -r -- "${_comps[ghpat]}"',
        "zsh",
        script,
      ],
      { env: { ...sb.env, HOME: sb.home }, timeoutMs: 20_000 },
    );
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stdout.trim()).toBe("_ghpat");
  });

  it("offers commands with descriptions, flags, and stored names", async () => {
    const offered = await zshComplete(script, "ghpat ", sb.env, binDir);
    expect(offered.map((l) => l.split(":")[0]).sort()).toEqual([...topLevel].sort());
    expect(offered).toContain("token:Print a token (the host's default when no name is given)");
    expect(await zshComplete(script, "ghpat list --", sb.env, binDir)).toEqual(
      expect.arrayContaining(["--json:print JSON records", "--host:only tokens for this host"]),
    );
    expect(await zshComplete(script, "ghpat completion ", sb.env, binDir)).toEqual(["bash", "zsh", "fish"]);
    mkdirSync(sb.configDir, { recursive: true });
    writeFileSync(sb.indexPath(), indexWith(["work", "alice@ghe.example.com:8443"]));
    expect(await zshComplete(script, "ghpat token ", { ...sb.env, ...NO_BUS }, binDir)).toEqual([
      "alice@ghe.example.com:8443",
      "work",
    ]);
  });
});

describeShell("fish")("fish completion", () => {
  let sb: Sandbox;
  let binDir: string;
  let script: string;
  beforeEach(async () => {
    sb = new Sandbox({ keyringEnv });
    binDir = ghpatOnPath(sb.dir);
    script = await scriptFor(sb, "fish");
    return () => sb.cleanup();
  });

  it("parses (fish -n) and fish itself completes commands, flags and stored names", async () => {
    const { runProcess } = await import("../helpers/sandbox.js");
    const parse = await runProcess("fish", ["--no-config", "-n", script], { env: sb.env, timeoutMs: 20_000 });
    expect(parse.code, parse.stderr).toBe(0);

    const offered = await fishComplete(script, "ghpat ", sb.env, binDir);
    expect(offered.map((l) => l.split("\t")[0]).sort()).toEqual([...topLevel].sort());
    expect(offered).toContain("token\tPrint a token (the host's default when no name is given)");
    expect((await fishComplete(script, "ghpat tok", sb.env, binDir)).map((l) => l.split("\t")[0])).toEqual(["token"]);
    expect((await fishComplete(script, "ghpat list --", sb.env, binDir)).map((l) => l.split("\t")[0]).sort()).toEqual([
      "--help",
      "--host",
      "--json",
    ]);

    mkdirSync(sb.configDir, { recursive: true });
    writeFileSync(sb.indexPath(), indexWith(["work", "personal"]));
    expect(await fishComplete(script, "ghpat token ", { ...sb.env, ...NO_BUS }, binDir)).toEqual(["personal", "work"]);
    expect(await fishComplete(script, "ghpat list --host ", { ...sb.env, ...NO_BUS }, binDir)).toEqual(["github.com"]);
  });
});

/** An index written by hand (no digest sidecar: ghpat validates it in full before answering). */
function indexWith(names: string[]): string {
  const tokens = names.map((name, i) =>
    makeUnverifiedRecord(name, {
      host: name.includes("@") ? name.slice(name.indexOf("@") + 1) : "github.com",
      fingerprint: `ghp_…AAA${i}`,
      default: i === 0,
    }),
  );
  return `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`;
}

describeShell("bash")("ghpat __complete and ghpat completion", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox({ keyringEnv });
    return () => sb.cleanup();
  });

  it("__complete prints names and hosts from the index, and nothing (exit 0) for a corrupt index or an unknown kind", async () => {
    mkdirSync(sb.configDir, { recursive: true });
    writeFileSync(sb.indexPath(), indexWith(["work", "bob@ghe.example.com"]));
    expect((await sb.run(["__complete", "names"], { env: NO_BUS })).stdout).toBe("bob@ghe.example.com\nwork\n");
    expect((await sb.run(["__complete", "hosts"], { env: NO_BUS })).stdout).toBe("ghe.example.com\ngithub.com\n");
    for (const args of [["__complete", "secrets"], ["__complete"]]) {
      const result = await sb.run(args);
      expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    }
    writeFileSync(sb.indexPath(), "{ not json");
    const corrupt = await sb.run(["__complete", "names"]);
    expect(corrupt).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(sb.readIndexText()).toBe("{ not json");
  });

  it("refuses an unknown shell with exit 2 and names the choices", async () => {
    const result = await sb.run(["completion", "powershell"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("bash, zsh, fish");
  });
});
