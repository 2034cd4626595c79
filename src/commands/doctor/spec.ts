import { defineSpec, withRun } from "../shared/spec.js";

export const doctorSpec = defineSpec({
  name: "doctor",
  description:
    "Check the secret store, the index, orphans, git's wiring, the API and Node; --fix repairs what it safely can",
  flags: {
    fix: { type: "boolean", help: "repair what can be repaired safely (never deletes a secret that has no record)" },
    yes: {
      type: "boolean",
      help: "with --fix: drop more than one record whose secret is gone, or every record of a store that holds none of their secrets",
    },
    json: { type: "boolean", help: "print the report as JSON" },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: [
    "ghpat doctor",
    "ghpat doctor --fix",
    "ghpat doctor --fix --yes",
    "ghpat doctor --json | jq '.checks[] | select(.status != \"ok\")'",
  ],
});

export default withRun(doctorSpec, () => import("./run.js"));
