import { runComplete } from "../commands/complete/run.js";

/** `ghpat __complete <kind>`, what the completion scripts run on every Tab. */
export function run(argv: readonly string[]): boolean {
  void runComplete(argv[1]);
  return true;
}
