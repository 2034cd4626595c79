import { defineSpec, withRun } from "../shared/spec.js";

export const execSpec = defineSpec({
  name: "exec",
  usage: "[options] [name] -- <command> [args...]",
  description:
    "Run a command with GH_TOKEN and GITHUB_TOKEN set to a token (GH_ENTERPRISE_TOKEN and GITHUB_ENTERPRISE_TOKEN instead for an Enterprise Server)",
  args: [
    { name: "name", help: "token name (default: the host's default token)" },
    { name: "command", help: "the command to run, after --", variadic: true },
  ],
  flags: {
    host: {
      type: "string",
      placeholder: "host",
      help: "GitHub host whose default token to use (default: GH_HOST or github.com)",
    },
  },
  // The command's own options (before a missing '--') reach the verb, which explains.
  allowUnknownOptions: true,
  examples: [
    "ghpat exec -- gh repo list",
    "ghpat exec work -- gh api user",
    "ghpat exec --host ghe.example.com -- gh issue list",
  ],
});

export default withRun(execSpec, () => import("./run.js"));
