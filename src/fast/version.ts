import { writeSync } from "node:fs";

declare const __GHPAT_VERSION__: string;

/** `ghpat --version` or `-V` on its own. */
export function run(argv: readonly string[]): boolean {
  if (argv.length !== 1) return false;
  writeSync(1, `${__GHPAT_VERSION__}\n`);
  return true;
}
