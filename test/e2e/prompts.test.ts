import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { useWorld } from "../helpers/suite.js";
import { runOnTerminal } from "../helpers/terminal.js";
import type { Sandbox } from "../helpers/sandbox.js";

/** Every place ghpat may prompt, the exit code without an answer, and the alternative it must name. */
interface PromptSite {
  what: string;
  args: string[];
  env?: Record<string, string | undefined>;
  prepare?(sb: Sandbox): Promise<void> | void;
  code: number;
  names: string;
}

const SITES: PromptSite[] = [
  { what: "the token of add", args: ["add", "x"], code: 2, names: "--stdin" },
  { what: "the confirmation of remove", args: ["remove", "kept"], code: 2, names: "--yes" },
  {
    what: "the file store's passphrase",
    args: ["token", "kept"],
    env: { GHPAT_PASSPHRASE: undefined },
    code: 4,
    names: "GHPAT_PASSPHRASE",
  },
  {
    what: "removing imported lines from git's credentials",
    args: ["import", "--from", "git-credentials"],
    prepare: (sb) => writeFileSync(join(sb.home, ".git-credentials"), "https://u:p@example.com\n"),
    code: 2,
    names: "--keep-plaintext",
  },
];

describe("no prompt without a terminal, none under CI, and each names its alternative", () => {
  const { sandbox } = useWorld({ store: "file" });

  async function seeded(): Promise<Sandbox> {
    const sb = sandbox();
    const kept = sb.canary(canaryToken());
    sb.seed([{ name: "kept", token: kept }]);
    return sb;
  }

  it.each(SITES)("$what", async (site) => {
    const sb = await seeded();
    await site.prepare?.(sb);
    const index = sb.readIndexText();
    const piped = await sb.run(site.args, { env: site.env ?? {} });
    expect(piped.code, piped.stderr).toBe(site.code);
    expect(piped.stderr).toContain(site.names);
    const ci = await runOnTerminal(sb, site.args, { env: { ...site.env, CI: "true" } });
    expect(ci.code, ci.output).toBe(site.code);
    expect(ci.output).toContain(site.names);
    // inquirer draws its prompts with a leading "?"; none may appear.
    expect(ci.output).not.toMatch(/^\?/m);
    expect(sb.readIndexText()).toBe(index);
  });
});
