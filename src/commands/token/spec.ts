import { defineSpec, withRun } from "../shared/spec.js";

export const tokenSpec = defineSpec({
  name: "token",
  description: "Print a token (the host's default when no name is given)",
  args: [{ name: "name" }],
  flags: {
    host: { type: "string", placeholder: "host", help: "GitHub host (default: GH_HOST or github.com)" },
  },
  examples: ["GH_TOKEN=$(ghpat token) gh repo list", "ghpat token work", "ghpat token --host ghe.example.com"],
});

export default withRun(tokenSpec, () => import("./run.js"));
