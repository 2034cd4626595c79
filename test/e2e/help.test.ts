import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { visibleCommands } from "../../src/cli/reference.js";
import { Sandbox } from "../helpers/sandbox.js";

/** Read from the program definition, so commands added later are held to the same rules. */
const commands = visibleCommands(buildProgram());
const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe("help", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.cleanup());

  it("the program lists commands, and 'ghpat help' prints the same help", async () => {
    const help = await sb.run(["--help"]);
    expect(help.code).toBe(0);
    for (const { path } of commands.filter((c) => c.path.length === 1)) expect(help.stdout).toContain(`  ${path[0]}`);
    expect(help.stdout).toMatch(/\nExamples:\n {2}\$ ghpat /);
    const viaHelp = await sb.run(["help"]);
    expect(viaHelp).toMatchObject({ code: 0, stdout: help.stdout });
  });

  it.each(commands.map((c) => [c.path.join(" "), c] as const))(
    "'ghpat %s --help' has a description, every flag and an example; 'ghpat help' agrees",
    async (_, { path, command }) => {
      const help = await sb.run([...path, "--help"]);
      expect(help.code, help.stderr).toBe(0);
      expect(help.stderr).toBe("");
      expect(help.stdout).toMatch(new RegExp(`^Usage: ghpat ${path.join(" ")}`));

      const description = command.description();
      expect(description.length, "the command needs a description").toBeGreaterThan(10);
      expect(squash(help.stdout)).toContain(squash(description));

      for (const option of command.options.filter((o) => !o.hidden)) {
        expect(help.stdout, `flag ${option.flags}`).toContain(option.flags);
        expect(option.description.length, `flag ${option.flags} needs a description`).toBeGreaterThan(3);
      }
      expect(help.stdout).toContain("-h, --help");

      const examples = help.stdout.split("\nExamples:\n")[1] ?? "";
      const lines = examples.split("\n").filter((l) => l.startsWith("  $ "));
      expect(lines.length, "at least one example").toBeGreaterThanOrEqual(1);
      expect(
        lines.some((l) => l.includes(`ghpat ${path.join(" ")}`)),
        "an example runs the command itself",
      ).toBe(true);

      const viaHelp = await sb.run(["help", ...path]);
      expect(viaHelp).toMatchObject({ code: 0, stdout: help.stdout });
    },
  );

  it("'help' never runs a command, even with arguments after it", async () => {
    const result = await sb.run(["help", "token", "work"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("'ghpat token' has no subcommand 'work'");
  });

  it("aliases show the same help", async () => {
    const list = await sb.run(["list", "--help"]);
    expect((await sb.run(["help", "ls"])).stdout).toBe(list.stdout);
  });
});

describe("mistakes get a suggestion and exit 2", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
  });
  afterEach(() => sb.cleanup());

  it("suggests the closest command for a typo, also under 'help'", async () => {
    for (const args of [["tokn"], ["help", "tokn"], ["lsit", "--json"]]) {
      const result = await sb.run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`unknown command '${args.find((a) => a !== "help")}'`);
      expect(result.stderr).toMatch(/Did you mean (token|list)\?/);
      expect(result.stderr).toContain("ghpat --help");
    }
  });

  it("suggests the closest flag", async () => {
    const result = await sb.run(["list", "--josn"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--josn'");
    expect(result.stderr).toContain("Did you mean --json?");
  });

  it("without a command: the help on stderr, a usage error, exit 2", async () => {
    const result = await sb.run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: ghpat");
    expect(result.stderr).toContain("No command given.");
    expect(result.stderr).not.toContain("outputHelp");
  });
});
