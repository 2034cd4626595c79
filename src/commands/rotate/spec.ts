import { defineSpec, withRun } from "../shared/spec.js";

export const rotateSpec = defineSpec({
  name: "rotate",
  description: "Replace a token with its successor, keeping its name, matches, default and note",
  args: [{ name: "name", required: true }],
  flags: {
    stdin: { type: "boolean", help: "read the new token from standard input instead of prompting" },
    revokeOld: { type: "boolean", help: "revoke the old token on github.com after the swap, without asking" },
    force: {
      type: "boolean",
      help: "accept a successor with another login, fewer scopes, a checksum mismatch or an unknown prefix",
    },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: ["ghpat rotate work", 'printf %s "$NEW_TOKEN" | ghpat rotate ci-bot --stdin --revoke-old'],
});

export default withRun(rotateSpec, () => import("./run.js"));
