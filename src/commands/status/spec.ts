import { defineSpec, withRun } from "../shared/spec.js";

export const statusSpec = defineSpec({
  name: "status",
  description:
    "Per host: the default token and how it stands, what git is wired to, the secret store, and the next step (no network unless --verify); exit 1 when something is wrong",
  flags: {
    verify: { type: "boolean", help: "ask the API about each host's default token first (the only network use)" },
    json: { type: "boolean", help: "print the report as JSON" },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout with --verify" },
  },
  examples: ["ghpat status", "ghpat status --verify", "ghpat status --json | jq '.hosts[] | select(.ok | not)'"],
});

export default withRun(statusSpec, () => import("./run.js"));
