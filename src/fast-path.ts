/**
 * The commands that run often enough for start-up to be their whole cost:
 * git's credential requests (every fetch, clone and push), the completion
 * callback (every Tab) and `--version`. They are built into one CommonJS
 * file (scripts/build.mjs) that bin/ghpat.js requires first, so Node's ES
 * module loader never starts for them; anything else returns false and runs
 * from the ES module bundle (main.js). Dynamic imports here stay lazy: the
 * code is in the file, but only what a command uses is initialised.
 */
import { writeSync } from "node:fs";

declare const __GHPAT_VERSION__: string;

export function runFastPath(argv: readonly string[]): boolean {
  const [first] = argv;
  if (argv.length === 1 && (first === "--version" || first === "-V")) {
    writeSync(1, `${__GHPAT_VERSION__}\n`);
    return true;
  }
  if (first === "git-credential" && !argv.includes("--help") && !argv.includes("-h")) {
    void import("./cli/git-credential.js").then(({ runGitCredentialCli }) => runGitCredentialCli(argv.slice(1)));
    return true;
  }
  if (first === "__complete") {
    void import("./cli/complete.js").then(({ runComplete }) => runComplete(argv[1]));
    return true;
  }
  return false;
}
