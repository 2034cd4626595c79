import type { Command } from "commander";
import { context, examples, seconds } from "../shared.js";

/** doctor: checks the store, the index, git's wiring, the API and Node, and repairs what it safely can. */
export function registerDoctorCommand(program: Command): void {
  examples(
    program
      .command("doctor")
      .description("Check the secret store, the index, orphans, git's wiring, the API and Node; --fix repairs what it safely can")
      .option("--fix", "repair what can be repaired safely (never deletes a secret that has no record)", false)
      .option("--json", "print the report as JSON", false)
      .option("--timeout <seconds>", "API timeout", seconds)
      .action(async (opts) => {
        const { runDoctor } = await import("../../commands/doctor/run.js");
        await runDoctor({ json: opts.json, fix: opts.fix, timeoutMs: opts.timeout }, await context());
      }),
    ["ghpat doctor", "ghpat doctor --fix", "ghpat doctor --json | jq '.checks[] | select(.status != \"ok\")'"],
  );
}
