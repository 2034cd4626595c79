import { defineSpec, withRun } from "../shared/spec.js";

/** What the completion scripts run on every Tab: the names or hosts of stored tokens, from the index alone. */
export const completeSpec = defineSpec({
  name: "__complete",
  description: "Print the names or hosts of stored tokens, for the completion scripts",
  args: [{ name: "kind", help: "names or hosts" }],
  examples: [],
  hot: true,
  hidden: true,
});

export default withRun(completeSpec, () => import("./run.js"));
