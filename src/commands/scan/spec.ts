import { defineSpec, withRun } from "../shared/spec.js";

export const scanSpec = defineSpec({
  name: "scan",
  summary:
    "Find GitHub tokens in files, the git index or history, and your home directory; name the ones that are yours",
  description:
    "Find GitHub tokens where they must not be: in the files under each PATH (default: the current directory; inside a git work tree, tracked and untracked files but not ignored ones), in the changes staged for commit (--staged), in every commit's added lines (--history), or in the places tokens pile up in a home directory (--home). Tokens with a checksum (40-character ghp_, gho_, ghu_, ghr_) must pass it; those that fail are look-alikes, counted and dropped. A token that is one of yours is named, without opening the keychain. 'ghpat scan install-hook' installs a git pre-commit hook that runs 'ghpat scan --staged'. Exits 1 when anything is found, 0 when nothing is.",
  usage: "[options] [path...]  |  install-hook [--force]",
  args: [
    {
      name: "paths",
      help: "files or directories to scan (default: the current directory); 'install-hook' installs the pre-commit hook",
      variadic: true,
    },
  ],
  flags: {
    staged: { type: "boolean", help: "scan the changes staged for commit (the pre-commit check)" },
    history: { type: "boolean", help: "scan every commit's added lines, in all refs" },
    home: {
      type: "boolean",
      help: "scan shell histories, ~/.git-credentials, ~/.netrc, ~/.npmrc, gh's hosts.yml, docker's config.json and .env files under the current directory",
    },
    allFiles: { type: "boolean", help: "in a git work tree, scan ignored files too" },
    maxFileSize: {
      type: "string",
      placeholder: "size",
      help: "skip files larger than this, in bytes or with K, M or G (default 10M)",
    },
    includeInvalid: { type: "boolean", help: "also show look-alikes whose checksum fails" },
    verify: {
      type: "boolean",
      help: "ask GitHub whether each distinct token still works (only a 401 marks it inactive)",
    },
    timeoutMs: {
      type: "seconds",
      long: "--timeout",
      placeholder: "seconds",
      help: "--verify: API timeout per attempt (default: GHPAT_TIMEOUT or 10)",
    },
    format: {
      type: "string",
      placeholder: "format",
      choices: ["text", "json", "sarif", "github"],
      help: "text (default), json, sarif (SARIF 2.1.0, for code scanning) or github (workflow annotations)",
    },
    json: { type: "boolean", help: "the same as --format json" },
    force: {
      type: "boolean",
      help: "install-hook: chain a pre-commit hook ghpat did not write (kept beside it, run first)",
    },
  },
  examples: [
    "ghpat scan",
    "ghpat scan --history",
    "ghpat scan --home",
    "ghpat scan src config --json",
    "ghpat scan --format sarif > ghpat.sarif",
    "ghpat scan install-hook",
  ],
});

export default withRun(scanSpec, () => import("./run.js"));
