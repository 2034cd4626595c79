import { defineSpec, withRun } from "../shared/spec.js";

export const removeSpec = defineSpec({
  name: "remove",
  aliases: ["rm"],
  description: "Delete a token from ghpat (it stays valid on GitHub; see 'revoke')",
  args: [{ name: "name", required: true }],
  flags: {
    yes: { type: "boolean", short: "-y", help: "do not ask for confirmation" },
  },
  examples: ["ghpat remove old-laptop", "ghpat remove ci-token --yes"],
});

export default withRun(removeSpec, () => import("./run.js"));
