import { defineSpec, withRun } from "../shared/spec.js";

export const newSpec = defineSpec({
  name: "new",
  description:
    "Open GitHub's token creation page filled in with what you ask for, then check the token you made against it and store it. Fine-grained permission names are those of GitHub's creation page (contents, pull_requests, workflows, members, ...; see 'Create a token' in the README)",
  summary: "Create a token on GitHub with a prefilled link, then check and store it",
  args: [{ name: "name", help: "the token's name in ghpat and on GitHub (default: your login)" }],
  flags: {
    fineGrained: { type: "switch", help: "a fine-grained token (the default)", conflicts: "classic" },
    classic: { type: "switch", help: "a classic token, with --scopes" },
    permission: {
      type: "list",
      placeholder: "name:level",
      help: "a fine-grained permission, e.g. contents:write (repeatable; read, write or admin as each allows)",
    },
    scopes: { type: "string", placeholder: "scopes", help: "classic scopes, comma-separated, e.g. repo,read:org" },
    owner: {
      type: "string",
      placeholder: "owner",
      help: "the fine-grained token's resource owner, a user or organisation (default: you); matches OWNER/* unless --match or --no-match",
    },
    expiresIn: { type: "string", placeholder: "days|none", help: "lifetime: 1 to 366 days, or none (default: 30)" },
    note: {
      type: "string",
      placeholder: "text",
      help: "a note to yourself (the fine-grained token's description on GitHub)",
    },
    match: { type: "list", placeholder: "pattern", help: "use it for OWNER, OWNER/* or OWNER/REPO (repeatable)" },
    ownerMatch: {
      type: "negatable",
      long: "--match",
      help: "with --owner and no --match, leave the matches empty instead of OWNER/*",
    },
    default: { type: "boolean", help: "make it the default token for its host" },
    host: { type: "string", placeholder: "host", help: "GitHub host (default: GH_HOST or github.com)" },
    open: { type: "switch", help: "open the link in the browser even when not on a terminal" },
    browser: { type: "negatable", help: "print the link without opening a browser" },
    printUrl: { type: "boolean", help: "print the link on standard output and exit" },
    stdin: { type: "boolean", help: "read the new token from standard input instead of prompting" },
    force: {
      type: "boolean",
      help: "store a token that differs from the request, replace a token of the same name, accept a checksum mismatch",
    },
    timeoutMs: { type: "seconds", long: "--timeout", placeholder: "seconds", help: "API timeout" },
  },
  examples: [
    "ghpat new deploy --owner acme --permission contents:write",
    "ghpat new ci --classic --scopes repo,read:org --expires-in 90",
    "ghpat new docs-bot --permission pages:write --print-url",
    'printf %s "$TOKEN" | ghpat new deploy --owner acme --permission contents:write --no-browser --stdin',
  ],
});

export default withRun(newSpec, () => import("./run.js"));
