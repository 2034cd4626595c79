import { defineSpec, withRun } from "../shared/spec.js";

export const defaultSpec = defineSpec({
  name: "default",
  description: "Make a token the default for its host; with no name, print each host's default",
  args: [{ name: "name" }],
  examples: ["ghpat default work", "ghpat default"],
});

export default withRun(defaultSpec, () => import("./run.js"));
