import { defineSpec, withRun } from "../shared/spec.js";

export const editSpec = defineSpec({
  name: "edit",
  description: "Change a stored token's name, --match patterns, note or default without pasting it again",
  args: [{ name: "name", required: true }],
  flags: {
    rename: {
      type: "string",
      long: "--name",
      placeholder: "new",
      help: "rename it (its secret moves to the new name's keychain slot)",
    },
    addMatch: {
      type: "list",
      placeholder: "pattern",
      help: "also use it for OWNER, OWNER/* or OWNER/REPO (repeatable)",
    },
    removeMatch: { type: "list", placeholder: "pattern", help: "drop one of its --match patterns (repeatable)" },
    note: { type: "string", placeholder: "text", help: "replace its note ('' clears it)" },
    default: { type: "boolean", help: "make it the default token for its host" },
  },
  examples: [
    "ghpat edit work --name acme",
    "ghpat edit acme --add-match acme/* --remove-match acme",
    "ghpat edit acme --note 'CI only' --default",
  ],
});

export default withRun(editSpec, () => import("./run.js"));
