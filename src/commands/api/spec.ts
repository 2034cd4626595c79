import { defineSpec, withRun } from "../shared/spec.js";

export const apiSpec = defineSpec({
  name: "api",
  description:
    "Call the GitHub REST or GraphQL API with the token git would get for the endpoint's owner or repository, never put in argv",
  args: [
    {
      name: "endpoint",
      required: true,
      help: "path relative to the host's API base (repos/OWNER/REPO/issues, a leading / optional), or graphql; {owner} and {repo} come from the origin remote",
    },
  ],
  flags: {
    method: {
      type: "string",
      short: "-X",
      placeholder: "method",
      help: "HTTP method (default: GET, or POST when fields or --input are given)",
    },
    rawField: {
      type: "list",
      short: "-f",
      placeholder: "key=value",
      help: "a string field (repeatable): into the JSON body, or the query for GET",
    },
    field: {
      type: "list",
      short: "-F",
      long: "--field",
      placeholder: "key=value",
      help: "a typed field (repeatable): true, false, null, integers, @file (@- standard input); key[]=v for arrays, key[sub]=v for objects",
    },
    header: { type: "list", short: "-H", placeholder: "name:value", help: "an extra request header (repeatable)" },
    input: {
      type: "string",
      placeholder: "file",
      help: "the request body from a file ('-': standard input); fields then go into the query",
    },
    paginate: { type: "boolean", help: 'follow Link rel="next" and print every page\'s items as one JSON array' },
    include: { type: "boolean", short: "-i", help: "print the status line and the response headers before the body" },
    verbose: { type: "boolean", help: "print the request and the response headers on stderr (Authorization masked)" },
    silent: { type: "boolean", help: "do not print the response body" },
    hostname: {
      type: "string",
      placeholder: "host",
      help: "the GitHub host (default: the --token's host, else GH_HOST or github.com)",
    },
    token: {
      type: "string",
      placeholder: "name",
      help: "the stored token to use (default: chosen as for git: --match, the host's default, its only token, GH_TOKEN)",
    },
    timeoutMs: {
      type: "seconds",
      long: "--timeout",
      placeholder: "seconds",
      help: "API timeout per attempt (default: GHPAT_TIMEOUT or 10)",
    },
  },
  examples: [
    "ghpat api user",
    "ghpat api repos/acme/app/issues -f title='Flaky test' -f body=@notes.md",
    "ghpat api repos/{owner}/{repo}/pulls/12/comments -f body='Looks good'",
    "ghpat api --paginate 'repos/acme/app/issues?state=all' | jq length",
    "ghpat api graphql -f query='query($n:Int!){viewer{repositories(first:$n){nodes{name}}}}' -F n=5",
  ],
  hot: true,
});

export default withRun(apiSpec, () => import("./run.js"));
