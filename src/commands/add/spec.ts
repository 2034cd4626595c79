import { defineSpec, withRun } from "../shared/spec.js";

export const addSpec = defineSpec({
  name: "add",
  description: "Check a token, ask GitHub whose it is, and store it in the keychain",
  args: [{ name: "name" }],
  flags: {
    host: { type: "string", placeholder: "host", help: "GitHub host (default: GH_HOST or github.com)" },
    stdin: { type: "boolean", help: "read the token from standard input instead of prompting" },
    verify: { type: "negatable", help: "store without asking the GitHub API (the token stays 'unverified')" },
    default: { type: "boolean", help: "make it the default token for its host" },
    match: { type: "list", placeholder: "pattern", help: "use it for OWNER, OWNER/* or OWNER/REPO (repeatable)" },
    note: { type: "string", placeholder: "text", help: "a note to yourself" },
    permission: {
      type: "list",
      placeholder: "name:level",
      help: "declare a fine-grained permission you gave the token, e.g. contents:write (repeatable; no API reports them)",
    },
    force: { type: "boolean", help: "replace a token of the same name (and nothing else)" },
    acceptBadChecksum: {
      type: "boolean",
      help: "store a token that fails the offline check (checksum mismatch, unknown prefix, wrong shape); refused when it would replace a token that verified",
    },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: [
    "ghpat add",
    'printf %s "$TOKEN" | ghpat add work --stdin --match my-org/*',
    "ghpat add --host ghe.example.com --default",
    "ghpat add deploy --permission contents:write --permission metadata:read",
  ],
});

export default withRun(addSpec, () => import("./run.js"));
