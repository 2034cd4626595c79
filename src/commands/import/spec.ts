import { defineSpec, withRun } from "../shared/spec.js";

export const importSpec = defineSpec({
  name: "import",
  description: "Move tokens kept in plain text by git (~/.git-credentials) or gh into ghpat",
  args: [{ name: "file" }],
  flags: {
    from: {
      type: "string",
      placeholder: "source",
      choices: ["git-credentials", "gh"],
      required: true,
      help: "where the tokens are",
    },
    verify: { type: "negatable", help: "import without asking the GitHub API (the tokens stay 'unverified')" },
    removePlaintext: {
      type: "switch",
      conflicts: "keepPlaintext",
      help: "remove the imported lines from the git credentials file",
    },
    keepPlaintext: { type: "switch", help: "leave the git credentials file as it is" },
    backup: { type: "boolean", help: "keep a copy (mode 0600) of the git credentials file before rewriting it" },
    json: { type: "boolean", help: "print what happened to each token as JSON" },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: [
    "ghpat import --from git-credentials --remove-plaintext",
    "ghpat import --from git-credentials ~/old/.git-credentials --keep-plaintext",
    "ghpat import --from gh",
  ],
});

export default withRun(importSpec, () => import("./run.js"));
