import { defineSpec, withRun } from "../shared/spec.js";

export const listSpec = defineSpec({
  name: "list",
  aliases: ["ls"],
  description: "List stored tokens from the index (never reads a secret)",
  flags: {
    host: { type: "string", placeholder: "host", help: "only tokens for this host" },
    json: { type: "boolean", help: "print JSON records" },
  },
  examples: ["ghpat list", "ghpat list --json | jq -r '.[].name'"],
  hot: true,
});

export default withRun(listSpec, () => import("./run.js"));
