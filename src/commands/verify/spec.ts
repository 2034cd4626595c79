import { defineSpec, withRun } from "../shared/spec.js";

export const verifySpec = defineSpec({
  name: "verify",
  description: "Ask the GitHub API about stored tokens (all when none is named) and update what ghpat knows",
  args: [{ name: "names", variadic: true }],
  flags: {
    host: {
      type: "string",
      placeholder: "host",
      help: "only tokens for this host; with --stdin, the token's host (default: GH_HOST or github.com)",
    },
    stdin: { type: "boolean", help: "verify one token read from standard input, without storing it" },
    requireScopes: {
      type: "string",
      placeholder: "scopes",
      help: "fail tokens lacking any of these comma-separated scopes (repo covers repo:status, ...)",
    },
    minDays: { type: "whole-number", placeholder: "n", help: "fail tokens that expire within N days" },
    requireRepo: {
      type: "list",
      placeholder: "owner/repo",
      help: "fail tokens that do not reach this repository (GET /repos/OWNER/REPO is not 200; repeatable)",
    },
    concurrency: { type: "whole-number", placeholder: "n", help: "checks in flight at once (default 8)" },
    timeoutMs: {
      type: "seconds",
      long: "--timeout",
      placeholder: "seconds",
      help: "API timeout per attempt (default: GHPAT_TIMEOUT or 10)",
    },
    json: { type: "boolean", help: "print one JSON object per token" },
  },
  examples: [
    "ghpat verify",
    "ghpat verify work --require-scopes repo,read:org",
    'printf %s "$TOKEN" | ghpat verify --stdin --require-scopes repo --min-days 7',
    "ghpat verify deploy --require-repo acme/api --require-repo acme/web",
    "ghpat verify --json | jq '.[] | select(.ok | not)'",
  ],
});

export default withRun(verifySpec, () => import("./run.js"));
