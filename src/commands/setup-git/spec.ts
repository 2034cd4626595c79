import { defineSpec, withRun } from "../shared/spec.js";

export const setupGitSpec = defineSpec({
  name: "setup-git",
  description: "Make git ask ghpat for HTTPS credentials of a host",
  flags: {
    host: { type: "string", placeholder: "host", help: "GitHub host (default: GH_HOST or github.com)" },
    global: { type: "switch", help: "write to your global git configuration (the default)" },
    local: { type: "switch", conflicts: "global", help: "write to the current repository's configuration" },
    path: {
      type: "boolean",
      help: "also set useHttpPath, so git sends owner/repo and 'add --match' patterns choose the token",
    },
    unset: { type: "boolean", help: "remove ghpat's helper entries for the host (with --path: useHttpPath too)" },
  },
  examples: [
    "ghpat setup-git",
    "ghpat setup-git --path",
    "ghpat setup-git --host ghe.example.com",
    "ghpat setup-git --unset",
  ],
});

export default withRun(setupGitSpec, () => import("./run.js"));
