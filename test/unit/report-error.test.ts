import { afterEach, describe, expect, it } from "vitest";
import { reportError } from "../../src/cli/report-error.js";
import { GhpatError, NetworkError } from "../../src/errors.js";
import { handledSecrets } from "../../src/ui/redact.js";
import { canaryToken } from "../helpers/canary.js";

/** What reportError writes to a stderr stand-in. */
function capture(run: (stderr: { write(chunk: string): void }) => number): { code: number; text: string } {
  const chunks: string[] = [];
  const code = run({ write: (chunk) => void chunks.push(chunk) });
  return { code, text: chunks.join("") };
}

afterEach(() => handledSecrets.clear());

describe("the error printer scrubs secrets from messages and stacks", () => {
  it.each([
    ["a ghpat error", (t: string) => new NetworkError(`upstream said: bad token ${t}`, `retry without ${t}`)],
    ["a bug (plain Error)", (t: string) => new Error(`unexpected ${t}`)],
    ["a thrown string", (t: string) => `raw ${t}` as unknown as Error],
  ])("%s, with and without GHPAT_DEBUG=1", (_label, make) => {
    const token = canaryToken();
    for (const env of [{}, { GHPAT_DEBUG: "1" }]) {
      const error = make(token);
      if (error instanceof Error)
        error.stack = `${error.name}: ${error.message}\n    at handler (file:///x/${token}.js:1:1)`;
      const { text } = capture((stderr) => reportError(error, env, stderr));
      expect(text).not.toContain(token);
      expect(text).toContain(`ghp_…${token.slice(-4)}`);
      if ("GHPAT_DEBUG" in env && error instanceof Error) expect(text).toContain("at handler");
      else expect(text).not.toContain("at handler");
    }
  });

  it("scrubs a secret the process handled even when it is not shaped like a token", () => {
    const odd = "xoxb_notagithubtoken_0123456789";
    handledSecrets.add(odd);
    const { text, code } = capture((stderr) =>
      reportError(
        new GhpatError(`failed for ${odd}`, { exitCode: 4, code: "ESTORE", hint: odd }),
        { GHPAT_DEBUG: "1" },
        stderr,
      ),
    );
    expect(code).toBe(4);
    expect(text).not.toContain(odd);
  });

  it("maps exit codes: ghpat errors keep theirs, bugs are 70 (internal)", () => {
    expect(capture((stderr) => reportError(new NetworkError("x"), {}, stderr)).code).toBe(5);
    expect(capture((stderr) => reportError(new TypeError("x"), {}, stderr)).code).toBe(70);
    expect(capture((stderr) => reportError("thrown string" as unknown as Error, {}, stderr)).code).toBe(70);
  });
});
