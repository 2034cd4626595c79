import { defineSpec, withRun } from "../shared/spec.js";

export const whichSpec = defineSpec({
  name: "which",
  description:
    "Say which token git would get for a URL from 'ghpat git-credential get', and why (never prints a secret); exit 3 when none",
  args: [
    {
      name: "url",
      required: true,
      help: "what git fetches or pushes: https://github.com/OWNER/REPO.git (user@ included when git sends one)",
    },
  ],
  flags: {
    json: { type: "boolean", help: "print the answer as JSON" },
  },
  examples: [
    "ghpat which https://github.com/acme/app.git",
    "ghpat which https://ghe.example.com/team/tool --json | jq -r .token.name",
  ],
});

export default withRun(whichSpec, () => import("./run.js"));
