import { defineSpec, withRun } from "../shared/spec.js";

export const migrateSpec = defineSpec({
  name: "migrate",
  description: "Move every secret into one store, verifying each copy before deleting the original",
  flags: {
    to: {
      type: "string",
      placeholder: "store",
      choices: ["keychain", "file"],
      required: true,
      help: "the store to move to",
    },
  },
  examples: ["GHPAT_PASSPHRASE=... ghpat migrate --to file", "ghpat migrate --to keychain"],
});

export default withRun(migrateSpec, () => import("./run.js"));
