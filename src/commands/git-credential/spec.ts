import { defineSpec, withRun } from "../shared/spec.js";

export const gitCredentialSpec = defineSpec({
  name: "git-credential",
  description: "git's credential helper: answers git on stdin/stdout (set it up with 'ghpat setup-git')",
  args: [{ name: "operation", help: "get, store or erase (git appends it)" }],
  // git appends the operation last: with anything before it, the last word counts (see run.ts).
  allowExcessArguments: true,
  examples: ["ghpat setup-git", "printf 'protocol=https\\nhost=github.com\\n\\n' | ghpat git-credential get"],
  hot: true,
});

export default withRun(gitCredentialSpec, () => import("./run.js"));
