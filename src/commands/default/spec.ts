import { defineSpec, withRun } from "../shared/spec.js";

export const defaultSpec = defineSpec({
  name: "default",
  description: "Make a token the default for its host",
  args: [{ name: "name", required: true }],
  examples: ["ghpat default work"],
});

export default withRun(defaultSpec, () => import("./run.js"));
