import { indexPath, type Env } from "../../config.js";
import { compareCodeUnits } from "../../core/record.js";
import { IndexReader } from "../../storage/index-reader.js";
import { writeFd } from "../../ui/fd-write.js";
import { DYNAMIC_KINDS, type DynamicKind } from "../../core/completion/spec.js";
import type { RunFunction } from "../shared/spec.js";
import type { completeSpec } from "./spec.js";

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareCodeUnits);
}

function isDynamicKind(kind: string | undefined): kind is DynamicKind {
  return (DYNAMIC_KINDS as readonly string[]).includes(kind ?? "");
}

/**
 * `ghpat __complete names|hosts`, what the completion scripts call on Tab.
 * It reads the index only (skipping validation when the digest matches),
 * never the keychain, and never fails loudly: a shell prompt is no place for
 * an error, so anything wrong means nothing is offered.
 */
export async function runComplete(
  kind: string | undefined,
  env: Env = process.env,
  write: (text: string) => void = (t) => writeFd(1, t),
): Promise<void> {
  if (!isDynamicKind(kind)) return;
  let values: string[];
  try {
    const { tokens } = await new IndexReader(indexPath(env)).read();
    values = sorted(tokens.map((t) => (kind === "names" ? t.name : t.host)));
  } catch {
    return;
  }
  if (values.length > 0) write(`${values.join("\n")}\n`);
}

export const run: RunFunction<typeof completeSpec> = (options, ctx) => runComplete(options.kind, ctx.env);
