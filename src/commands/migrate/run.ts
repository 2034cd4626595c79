import { storeKind, type Env, type StoreKind } from "../../config.js";
import { NotFoundError } from "../../errors.js";
import { migrateSecrets, type CrashPoint, type MigrationResult } from "../../storage/migrate.js";
import { openVault } from "../../storage/open.js";
import type { Context } from "../shared/context.js";
import type { OptionsOf, RunFunction } from "../shared/spec.js";
import type { migrateSpec } from "./spec.js";
import { counted, plural } from "../../core/plural.js";

export type MigrateOptions = OptionsOf<typeof migrateSpec>;

const STORE_NAMES: Record<StoreKind, string> = { keychain: "OS keychain", file: "file store" };

/**
 * Test hook: GHPAT_TEST_CRASH_AT=<point> kills this process with SIGKILL at
 * that step of the migration, so tests can prove an interruption loses nothing.
 */
function crashPointFrom(env: Env): CrashPoint {
  const wanted = env.GHPAT_TEST_CRASH_AT;
  if (!wanted) return () => undefined;
  return (point) => {
    if (point === wanted) process.kill(process.pid, "SIGKILL");
  };
}

function names(records: MigrationResult["moved"]): string {
  return records.map((r) => `'${r.name}'`).join(", ");
}

/** Moves every secret into one store, verifying each copy before the original goes. */
export async function runMigrate(options: MigrateOptions, ctx: Context): Promise<MigrationResult> {
  const target = STORE_NAMES[options.to];
  const result = await migrateSecrets(openVault(ctx.env), options.to, crashPointFrom(ctx.env));
  const { moved, already, missing, cleaned } = result;
  if (moved.length > 0) ctx.out.info(`Moved ${counted(moved.length, "token")} to the ${target}: ${names(moved)}.`);
  else if (missing.length === 0)
    ctx.out.info(
      already.length === 0
        ? "There are no tokens to move."
        : `All ${counted(already.length, "token is", "tokens are")} already in the ${target}.`,
    );
  if (cleaned > moved.length)
    ctx.out.info(
      `Deleted ${cleaned - moved.length} ${plural(cleaned - moved.length, "copy", "copies")} that an interrupted migration had left behind.`,
    );
  if (storeKind(ctx.env) !== options.to) {
    ctx.out.info(
      `New tokens still go to the ${STORE_NAMES[storeKind(ctx.env)]}: set GHPAT_STORE=${options.to} (or pass --store ${options.to}) to keep them in the ${target} too.`,
    );
  }
  if (missing.length > 0) {
    throw new NotFoundError(
      `The ${plural(missing.length, "secret")} of ${names(missing)} ${plural(missing.length, "is", "are")} missing from ${plural(missing.length, "its store", "their stores")}, so ${plural(missing.length, "it was", "they were")} not moved.`,
      `Re-add ${plural(missing.length, "it", "them")} with 'ghpat add NAME --force', or drop the ${plural(missing.length, "record")} with 'ghpat remove NAME'.`,
    );
  }
  return result;
}

export const run: RunFunction<typeof migrateSpec> = runMigrate;
