import { describe, expect, it } from "vitest";
import { CommanderError, type Command } from "commander";
import { parsePlainArgs } from "../../src/cli/plain-args.js";
import { buildProgram } from "../../src/cli/program.js";
import { COMMANDS } from "../../src/cli/registry.js";
import listCommand from "../../src/commands/list/spec.js";
import type { AnyCommand } from "../../src/commands/shared/spec.js";

const list = listCommand.spec;

describe("list's arguments on the fast path", () => {
  it("takes the plain forms", () => {
    expect(parsePlainArgs(list, [])).toEqual({ host: undefined, json: false });
    expect(parsePlainArgs(list, ["--json"])).toEqual({ host: undefined, json: true });
    expect(parsePlainArgs(list, ["--host", "ghe.example.com", "--json"])).toEqual({
      host: "ghe.example.com",
      json: true,
    });
    expect(parsePlainArgs(list, ["--host=ghe.example.com"])).toEqual({ host: "ghe.example.com", json: false });
    expect(parsePlainArgs(list, ["--json", "--"])).toEqual({ host: undefined, json: true });
  });

  it("leaves everything else to the program: help, mistakes, global flags", () => {
    for (const args of [
      ["--help"],
      ["-h"],
      ["--bogus"],
      ["extra"],
      ["--host"],
      ["--json=yes"],
      ["--store", "file"],
      ["--", "extra"],
      ["-j"],
      ["--host", "-x"],
      ["--", "--json"],
      ["--no-json"],
      ["--js"],
    ]) {
      expect(parsePlainArgs(list, args), args.join(" ")).toBeNull();
    }
  });
});

/** What commander hands the verb for these arguments, or null when it refuses them (or prints help). */
async function commanderOptions(command: AnyCommand, args: string[]): Promise<Record<string, unknown> | null> {
  let received: Record<string, unknown> | null = null;
  const program = buildProgram();
  const sub = program.commands.find((c) => c.name() === command.spec.name) as Command;
  sub.configureOutput({ writeOut: () => undefined, writeErr: () => undefined, outputError: () => undefined });
  const real = command.load;
  // Stand in for the verb: record the options the program built, run nothing.
  (command as { load: AnyCommand["load"] }).load = async () => async (options: never) => void (received = options);
  try {
    await program.parseAsync([command.spec.name, ...args], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return null;
  } finally {
    (command as { load: AnyCommand["load"] }).load = real;
  }
  return received;
}

const SAMPLES = [
  [],
  ["--json"],
  ["--host", "x.example"],
  ["--host=x.example", "--json"],
  ["get"],
  ["store"],
  ["names"],
  ["hosts"],
  ["--", "get"],
  ["get", "extra"],
  ["--help"],
  ["-h"],
  ["--bogus"],
  ["--json", "--json"],
];

describe.each(COMMANDS.filter((c) => c.spec.hot).map((c) => [c.spec.name, c] as const))(
  "the generated parser of hot command %s",
  (_name, command) => {
    it.each(SAMPLES.map((s) => [s.join(" ") || "(none)", s] as const))(
      "agrees with commander wherever it answers: %s",
      async (_label, args) => {
        const plain = parsePlainArgs(command.spec, args);
        if (plain === null) return;
        expect(await commanderOptions(command, args)).toEqual(plain);
      },
    );

    it("answers the plain forms itself", () => {
      // A required argument (api's endpoint) is part of the plainest form.
      const plainest = (command.spec.args ?? []).filter((arg) => arg.required).map(() => "user");
      expect(parsePlainArgs(command.spec, plainest)).not.toBeNull();
      expect(parsePlainArgs(command.spec, [...plainest, "--help"])).toBeNull();
    });
  },
);
