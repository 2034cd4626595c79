import { defineSpec, withRun } from "../shared/spec.js";

export const revokeSpec = defineSpec({
  name: "revoke",
  description: "Revoke a token on github.com (credential revocation API), then remove it from ghpat",
  args: [{ name: "name", required: true }],
  flags: {
    yes: { type: "boolean", short: "-y", help: "do not ask for confirmation" },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: ["ghpat revoke old-laptop", "ghpat revoke leaked-ci-token --yes"],
});

export default withRun(revokeSpec, () => import("./run.js"));
